import type { Evaluation } from './evaluate.js';

/** The default share of val pairs that may be missing before a gate decision is "undecided". */
export const DEFAULT_MAX_MISSING_SHARE = 0.2;

/** Missing (task, sample) pairs between two evaluations: a pair is lost when either side is missing. */
export function missingPairs(incumbent: Evaluation, candidate: Evaluation): number {
  const keys = new Set<string>();
  for (const m of [...incumbent.missing, ...candidate.missing]) keys.add(`${m.taskId}\u0000${m.sampleIndex}`);
  return keys.size;
}

/**
 * Why a gate cannot decide, or null when it can: with more than `maxShare` of the expected pairs missing
 * (the provider kept failing), neither accepting nor rejecting the candidate would rest on the evidence asked for.
 */
export function undecidedReason(incumbent: Evaluation, candidate: Evaluation, expectedPairs: number, maxShare: number): string | null {
  if (expectedPairs <= 0) return null;
  const lost = missingPairs(incumbent, candidate);
  const share = lost / expectedPairs;
  if (share <= maxShare) return null;
  const codes = [...new Set([...incumbent.missing, ...candidate.missing].map((m) => m.code))].join(', ');
  return `undecided: ${lost} of ${expectedPairs} val samples missing (${Math.round(share * 100)}% > ${Math.round(maxShare * 100)}%, ${codes}); the candidate was neither accepted nor remembered as rejected`;
}
