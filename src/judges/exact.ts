import { normalizeExact, snippet } from './text.js';
import type { JudgeInput, Verdict } from './types.js';

/**
 * Judge a reply against one expected answer. hard = normalised equality (trim, collapse
 * whitespace, case-fold, trailing punctuation); soft = SQuAD-style token F1, so a reply that
 * contains the answer among other words earns partial credit but never a pass.
 */
export function judgeExact(answer: string, input: JudgeInput): Verdict {
  const response = typeof input.response === 'string' ? input.response : '';
  if (typeof answer !== 'string' || normalizeExact(answer) === '') {
    const reason = 'exact judge has an empty answer; give the task a non-empty "answer"';
    return { hard: 0, soft: 0, checks: [{ op: 'exact', passed: false, broken: reason }], feedback: [], broken: [reason] };
  }
  const hard = normalizeExact(response) === normalizeExact(answer) ? 1 : 0;
  const soft = hard === 1 ? 1 : tokenF1(response, answer);
  if (hard === 1) return { hard, soft, checks: [{ op: 'exact', arg: answer, passed: true }], feedback: [], broken: [] };
  const seen = response.trim() === '' ? 'it is empty' : `it is ${snippet(response, 80)}`;
  const line = `the reply must be exactly ${JSON.stringify(answer)} and nothing else; ${seen} (token overlap ${soft.toFixed(2)})`;
  return { hard, soft, checks: [{ op: 'exact', arg: answer, passed: false, feedback: line }], feedback: [line], broken: [] };
}

/** SQuAD answer normalisation into tokens: lower-case, drop punctuation and articles, split on spaces. */
export function tokenizeAnswer(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\b(a|an|the)\b/g, ' ')
    .split(/\s+/)
    .filter((token) => token !== '');
}

/** Token F1 of a prediction against a reference (multiset overlap), SQuAD-style; 1 when both are empty. */
export function tokenF1(prediction: string, reference: string): number {
  const predicted = tokenizeAnswer(prediction);
  const expected = tokenizeAnswer(reference);
  if (predicted.length === 0 || expected.length === 0) return predicted.length === expected.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const token of expected) counts.set(token, (counts.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of predicted) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      common++;
      counts.set(token, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / predicted.length;
  const recall = common / expected.length;
  return (2 * precision * recall) / (precision + recall);
}
