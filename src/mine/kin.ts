import { shortHash } from '../core/hash.js';
import { slotsOf } from './features.js';
import type { FamilyJudge } from './grounding.js';

/** The version of what `familyKin` reads: bump it when that changes, and mining reads every family's kin again. */
export const KIN_VERSION = '1';

/**
 * The kin of a family: what its grounded judge checks (each check's operation and argument, instance values left
 * as parameters) and the shape of the answers the person accepted (the kinds of values they carry: a PR reference,
 * lengths). Clustering reads a request's words, so one recurring kind of request asked in three languages can come
 * out as three families, each too small to hold instances out; families of one kin were corrected to the same
 * rules and accepted in the same form, so they are one kind of work for the held-out split. The shape keeps apart
 * two kinds one rule serves (commit subjects and changelog entries, both imperative with no period: only the
 * entries end with their reference). Null when the judge grounds no check. Pure.
 */
export function familyKin(judge: Pick<FamilyJudge, 'status' | 'checks'>, accepted: readonly string[]): string | null {
  if (judge.status !== 'grounded' || judge.checks.length === 0) return null;
  const checks = [...new Set(judge.checks.map((c) => `${c.op} ${JSON.stringify(c.arg ?? null)} ${c.param?.kind ?? ''}`))].sort();
  return `kin-${shortHash(`${checks.join('\n')}\n--\n${answerShape(accepted)}`)}`;
}

/** The commonest set of value kinds among the accepted answers (ties: the first in order), '' with none. */
export function answerShape(accepted: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const answer of accepted) {
    const shape = [...new Set(slotsOf(answer))].sort().join('+');
    counts.set(shape, (counts.get(shape) ?? 0) + 1);
  }
  let best = '';
  let most = 0;
  for (const [shape, n] of counts) if (n > most) [best, most] = [shape, n];
  return best;
}
