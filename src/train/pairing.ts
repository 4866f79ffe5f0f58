import type { GateObservation } from './gate.js';
import type { Attempt, Evaluation } from './evaluate.js';

/** Pair incumbent and candidate attempts on (task, sample). */
export function pairObservations(incumbent: Evaluation, candidate: Evaluation): GateObservation[] {
  const key = (a: Attempt) => `${a.taskId}\u0000${a.sampleIndex}`;
  const cand = new Map(candidate.attempts.filter((a) => !a.brokenJudge).map((a) => [key(a), a]));
  const out: GateObservation[] = [];
  for (const a of incumbent.attempts) {
    if (a.brokenJudge) continue;
    const c = cand.get(key(a));
    if (c) out.push({ taskId: a.taskId, sampleIndex: a.sampleIndex, incumbent: a.score, candidate: c.score });
  }
  return out;
}
