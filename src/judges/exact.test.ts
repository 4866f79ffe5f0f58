import { describe, it, expect } from 'vitest';
import { judgeExact, tokenF1, tokenizeAnswer } from './exact.js';

const reply = (response: string) => ({ response, toolCalls: [] });

describe('judgeExact', () => {
  it('passes on normalised equality', () => {
    expect(judgeExact('Paris', reply('  PARIS.\n'))).toMatchObject({ hard: 1, soft: 1, feedback: [], broken: [] });
    expect(judgeExact('O(n log n)', reply('o(n  log n)')).hard).toBe(1);
  });
  it('gives partial credit by token F1 but no pass for extra words', () => {
    const verdict = judgeExact('Paris', reply('The capital is Paris.'));
    expect(verdict.hard).toBe(0);
    // tokens: [capital, is, paris] vs [paris] -> precision 1/3, recall 1 -> F1 0.5
    expect(verdict.soft).toBeCloseTo(0.5);
    expect(verdict.feedback).toEqual([
      'the reply must be exactly "Paris" and nothing else; it is "The capital is Paris." (token overlap 0.50)',
    ]);
    expect(verdict.checks).toEqual([{ op: 'exact', arg: 'Paris', passed: false, feedback: verdict.feedback[0] }]);
  });
  it('scores 0 with an empty reply', () => {
    const verdict = judgeExact('42', reply(''));
    expect(verdict).toMatchObject({ hard: 0, soft: 0 });
    expect(verdict.feedback[0]).toBe('the reply must be exactly "42" and nothing else; it is empty (token overlap 0.00)');
  });
  it('an empty answer is a broken judge, not a failure', () => {
    const verdict = judgeExact('  ', reply('anything'));
    expect(verdict.hard).toBe(0);
    expect(verdict.broken).toEqual(['exact judge has an empty answer; give the task a non-empty "answer"']);
    expect(verdict.feedback).toEqual([]);
  });
});

describe('token F1', () => {
  it('drops punctuation and articles, lower-cases', () => {
    expect(tokenizeAnswer('The Quick, brown fox!')).toEqual(['quick', 'brown', 'fox']);
  });
  it('counts repeated tokens as a multiset', () => {
    expect(tokenF1('a b b', 'b')).toBeCloseTo(2 * (0.5 * 1) / 1.5);
    expect(tokenF1('x x x', 'x y')).toBeCloseTo((2 * (1 / 3) * 0.5) / (1 / 3 + 0.5));
  });
  it('is 0 with no overlap and 1 when both are empty', () => {
    expect(tokenF1('cat', 'dog')).toBe(0);
    expect(tokenF1('the', 'a')).toBe(1);
    expect(tokenF1('', 'dog')).toBe(0);
  });
});
