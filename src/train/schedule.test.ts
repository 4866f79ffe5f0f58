import { describe, it, expect } from 'vitest';
import { editBudgetAt, editBudgetSequence, roundHalfEven } from './schedule.js';

const cosine42 = { kind: 'cosine', max: 4, min: 2 } as const;

describe('roundHalfEven', () => {
  it('sends exact halves to the even neighbour', () => {
    expect(roundHalfEven(0.5)).toBe(0);
    expect(roundHalfEven(1.5)).toBe(2);
    expect(roundHalfEven(2.5)).toBe(2);
    expect(roundHalfEven(3.5)).toBe(4);
    expect(roundHalfEven(-0.5) === 0).toBe(true);
    expect(roundHalfEven(-1.5)).toBe(-2);
    expect(roundHalfEven(-2.5)).toBe(-2);
  });

  it('rounds everything else to the nearest integer', () => {
    expect(roundHalfEven(2.4999999)).toBe(2);
    expect(roundHalfEven(2.5000001)).toBe(3);
    expect(roundHalfEven(2.5000000000000004)).toBe(3);
    expect(roundHalfEven(-2.6)).toBe(-3);
    expect(roundHalfEven(7)).toBe(7);
  });

  it('passes non-finite values through', () => {
    expect(roundHalfEven(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(roundHalfEven(Number.NaN)).toBeNaN();
  });
});

describe('editBudgetAt: default cosine 4 -> 2', () => {
  it('T=40: calls 1-13 give 4, 14-26 give 3, 27-40 give 2', () => {
    const seq = editBudgetSequence(cosine42, 40);
    expect(seq).toHaveLength(40);
    expect(seq.slice(0, 13).every((v) => v === 4)).toBe(true);
    expect(seq.slice(13, 26).every((v) => v === 3)).toBe(true);
    expect(seq.slice(26, 40).every((v) => v === 2)).toBe(true);
  });

  it('T=12 gives 4,4,4,4,3,3,3,2,2,2,2,2 (call 8 is an exact 2.5 and rounds to 2)', () => {
    expect(editBudgetSequence(cosine42, 12)).toEqual([4, 4, 4, 4, 3, 3, 3, 2, 2, 2, 2, 2]);
    expect(editBudgetAt(cosine42, 8, 12)).toBe(2);
  });

  it('T=8 gives 4,4,3,3,3,2,2,2', () => {
    expect(editBudgetSequence(cosine42, 8)).toEqual([4, 4, 3, 3, 3, 2, 2, 2]);
  });

  it('T=4 gives 4,3,2,2', () => {
    expect(editBudgetSequence(cosine42, 4)).toEqual([4, 3, 2, 2]);
  });
});

describe('editBudgetAt: reference test vectors', () => {
  it('cosine(10,2,T=4) -> 9,6,3,2', () => {
    expect(editBudgetSequence({ kind: 'cosine', max: 10, min: 2 }, 4)).toEqual([9, 6, 3, 2]);
  });

  it('linear(10,2,T=4) -> 8,6,4,2', () => {
    expect(editBudgetSequence({ kind: 'linear', max: 10, min: 2 }, 4)).toEqual([8, 6, 4, 2]);
  });

  it('cosine(100,0,T=4) first call -> 85', () => {
    expect(editBudgetAt({ kind: 'cosine', max: 100, min: 0 }, 1, 4)).toBe(85);
  });

  it('cosine(20,2,T=100) call 50 -> 11', () => {
    expect(editBudgetAt({ kind: 'cosine', max: 20, min: 2 }, 50, 100)).toBe(11);
  });

  it('T in {0, 1} gives max for every kind and call', () => {
    for (const kind of ['constant', 'linear', 'cosine'] as const) {
      for (const total of [0, 1]) {
        for (const call of [1, 2, 5]) {
          expect(editBudgetAt({ kind, max: 7, min: 1 }, call, total)).toBe(7);
        }
      }
    }
  });
});

describe('editBudgetAt: exact halves and edges', () => {
  it('linear 4 -> 2 at T=4 call 3 is exactly 2.5 and rounds to 2, not 3', () => {
    expect(editBudgetAt({ kind: 'linear', max: 4, min: 2 }, 3, 4)).toBe(2);
    expect(editBudgetSequence({ kind: 'linear', max: 4, min: 2 }, 4)).toEqual([4, 3, 2, 2]);
  });

  it('linear 5 -> 2 at T=2 call 1 is exactly 3.5 and rounds up to the even 4', () => {
    expect(editBudgetAt({ kind: 'linear', max: 5, min: 2 }, 1, 2)).toBe(4);
  });

  it('constant always gives max', () => {
    expect(editBudgetSequence({ kind: 'constant', max: 3, min: 1 }, 6)).toEqual([3, 3, 3, 3, 3, 3]);
  });

  it('calls past T stay at min, and a call of 0 gives max', () => {
    expect(editBudgetAt(cosine42, 41, 40)).toBe(2);
    expect(editBudgetAt(cosine42, 1000, 40)).toBe(2);
    expect(editBudgetAt(cosine42, 0, 40)).toBe(4);
    expect(editBudgetAt({ kind: 'linear', max: 4, min: 2 }, -3, 4)).toBe(4);
  });

  it('never goes below min', () => {
    for (let call = 1; call <= 30; call += 1) {
      expect(editBudgetAt({ kind: 'cosine', max: 3, min: 1 }, call, 30)).toBeGreaterThanOrEqual(1);
      expect(editBudgetAt({ kind: 'linear', max: 3, min: 1 }, call, 30)).toBeGreaterThanOrEqual(1);
    }
  });
});
