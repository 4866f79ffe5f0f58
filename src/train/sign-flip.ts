import { createRng, seedFrom } from '../core/rng.js';

/**
 * One-sided p-value of a paired sign-flip (randomization) test: the share of sign assignments of the
 * per-task deltas whose mean is at least the observed mean. Under a no-op edit incumbent and candidate
 * are exchangeable, so every assignment is equally likely and the test is exact whatever the score
 * distribution (pass/fail scores included, where a t-test over-accepts). Zero deltas carry no sign.
 * Exact enumeration up to `exactLimit` non-zero deltas; beyond, a seeded Monte Carlo estimate
 * (count+1)/(draws+1), which is conservative.
 */
export function signFlipPValue(deltas: readonly number[], options: { exactLimit?: number; draws?: number } = {}): number {
  const nonZero = deltas.filter((d) => d !== 0 && Number.isFinite(d));
  const observed = nonZero.reduce((a, b) => a + b, 0);
  if (nonZero.length === 0) return 1;
  const abs = nonZero.map(Math.abs);
  // Compare sums with a tolerance so float noise in per-task means does not flip ties.
  const eps = 1e-9 * Math.max(1, abs.reduce((a, b) => a + b, 0));
  const exactLimit = options.exactLimit ?? 16;
  if (abs.length <= exactLimit) {
    const total = 2 ** abs.length;
    let atLeast = 0;
    for (let mask = 0; mask < total; mask++) {
      let sum = 0;
      for (let i = 0; i < abs.length; i++) sum += mask & (1 << i) ? abs[i]! : -abs[i]!;
      if (sum >= observed - eps) atLeast++;
    }
    return atLeast / total;
  }
  const draws = options.draws ?? 20000;
  const rng = createRng(seedFrom('sign-flip', ...abs.map((x) => x.toFixed(6))));
  let atLeast = 0;
  for (let k = 0; k < draws; k++) {
    let sum = 0;
    for (const a of abs) sum += rng.next() < 0.5 ? -a : a;
    if (sum >= observed - eps) atLeast++;
  }
  return (atLeast + 1) / (draws + 1);
}
