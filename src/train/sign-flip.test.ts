import { describe, it, expect } from 'vitest';
import { signFlipPValue } from './sign-flip.js';
import { createRng } from '../core/rng.js';

describe('signFlipPValue', () => {
  it('is 1 when nothing changed', () => {
    expect(signFlipPValue([0, 0, 0])).toBe(1);
    expect(signFlipPValue([])).toBe(1);
  });

  it('is 2^-n when every one of n deltas is positive and equal', () => {
    expect(signFlipPValue([1, 1, 1, 1])).toBeCloseTo(1 / 16, 12);
    expect(signFlipPValue([0.5, 0, 0.5, 0.5, 0, 0.5, 0.5])).toBeCloseTo(1 / 32, 12);
  });

  it('counts ties with the observed sum as at least as extreme', () => {
    // +1 and -1: the sums are 2, 0, 0, -2; observed 0 -> 3 of 4 reach it.
    expect(signFlipPValue([1, -1])).toBeCloseTo(0.75, 12);
  });

  it('uses a seeded Monte Carlo estimate past the exact limit, close to the exact value', () => {
    const rng = createRng(3);
    const deltas = Array.from({ length: 14 }, () => Math.round((rng.next() - 0.3) * 6) / 3);
    const exact = signFlipPValue(deltas);
    const mc = signFlipPValue(deltas, { exactLimit: 4, draws: 20000 });
    expect(Math.abs(mc - exact)).toBeLessThan(0.02);
    expect(signFlipPValue(deltas, { exactLimit: 4 })).toBe(mc); // deterministic
  });

  it('keeps false positives at or below alpha on pass/fail noise (exchangeable skills)', () => {
    const rng = createRng(99);
    let accepted = 0;
    const trials = 400;
    for (let k = 0; k < trials; k++) {
      const deltas = Array.from({ length: 20 }, () => {
        let d = 0;
        for (let s = 0; s < 3; s++) d += (rng.next() < 0.7 ? 1 : 0) - (rng.next() < 0.7 ? 1 : 0);
        return d / 3;
      });
      if (deltas.reduce((a, b) => a + b, 0) > 0 && signFlipPValue(deltas) <= 0.05) accepted++;
    }
    expect(accepted / trials).toBeLessThanOrEqual(0.05);
  });
});
