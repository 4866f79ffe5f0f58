import type { Db } from './db.js';
import type { TrainResult } from '../train/types.js';
import type { Evaluation } from '../train/evaluate.js';

/** What identifies a run in the store. */
export interface RunMeta {
  kind: 'night' | 'train' | 'demo' | 'eval';
  skillName: string;
  startedAt: string;
  finishedAt: string;
  nightId?: number;
  summary: unknown;
}

/** Record a finished run: the run row, every edit with its fate, every gate trial, and the scored val/test attempts. One transaction. */
export function recordRun(db: Db, meta: RunMeta, result: TrainResult): number {
  const insertRun = db.prepare(
    `INSERT INTO runs (night_id, kind, skill_name, started_at, finished_at, status, baseline_val, final_val, baseline_test, final_test, summary_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEdit = db.prepare(
    `INSERT INTO edits (run_id, step, op, anchor, content, rationale, evidence_json, support, source_type, status, reason, score_delta, contribution, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertGate = db.prepare(
    `INSERT INTO gate_trials (run_id, step, kind, mode, incumbent_score, candidate_score, mean_delta, std_error, threshold, accepted, reason, per_task_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertRollout = db.prepare(
    `INSERT INTO rollouts (run_id, step, phase, task_id, sample_index, skill_sha, hard, soft, response, feedback_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const at = meta.finishedAt;
  return db.transaction(() => {
    const runId = Number(
      insertRun.run(meta.nightId ?? null, meta.kind, meta.skillName, meta.startedAt, meta.finishedAt, result.status, result.baseline.val, result.best.val, result.baseline.test, result.best.test, JSON.stringify(meta.summary)).lastInsertRowid,
    );
    for (const step of result.steps) {
      for (const e of step.edits) {
        const reason = e.outcome?.status === 'unmatched' ? `${e.outcome.reason}: ${e.outcome.detail}` : e.status === 'rejected' ? (step.gate?.reason ?? null) : null;
        const delta = e.status === 'rejected' && step.gate ? step.gate.meanDelta : null;
        insertEdit.run(runId, step.step, e.edit.op, e.edit.anchor ?? null, e.edit.content ?? null, e.edit.rationale ?? null, JSON.stringify(e.edit.evidence ?? []), e.support, e.sourceType, e.status, reason, delta, e.contribution ?? null, at);
      }
      for (const [kind, gate] of [[step.kind, step.gate], ['attribution', step.gateAfterAttribution]] as const) {
        if (!gate) continue;
        insertGate.run(runId, step.step, kind, gate.mode, nz(gate.incumbentMean), nz(gate.candidateMean), nz(gate.meanDelta), gate.stdError, gate.threshold, gate.accepted ? 1 : 0, gate.reason, JSON.stringify(gate.perTask), at);
      }
    }
    const phases: Array<[string, Evaluation | null]> = [
      ['baseline_val', result.evaluations.baselineVal],
      ['best_val', result.evaluations.bestVal],
      ['baseline_test', result.evaluations.baselineTest],
      ['best_test', result.evaluations.bestTest],
    ];
    for (const [phase, ev] of phases) {
      if (!ev) continue;
      for (const a of ev.attempts) insertRollout.run(runId, 0, phase, a.taskId, a.sampleIndex, ev.skillHash, a.verdict.hard, a.verdict.soft, a.response, JSON.stringify(a.verdict.feedback), at);
    }
    return runId;
  })();
}

function nz(x: number): number {
  return Number.isFinite(x) ? x : 0;
}
