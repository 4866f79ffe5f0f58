import type { Clock } from '../core/clock.js';
import type { Config } from '../config/config.js';
import type { Task } from '../tasks/types.js';
import type { Db } from '../store/db.js';
import { shortHash } from '../core/hash.js';
import { createRunModels } from './backends.js';
import { simulationLookupFor } from '../simulated/lookup.js';
import { evaluateSkill } from '../train/evaluate.js';
import { assignSplits } from '../tasks/splits.js';
import { trainerSettings } from './run-train.js';
import type { LedgerSummary } from '../models/decorators/index.js';

/** A skill's scores on a task set. */
export interface EvalReport {
  skillHash: string;
  split: 'all' | 'train' | 'val' | 'test';
  tasks: number;
  samples: number;
  score: number;
  hard: number;
  soft: number;
  perTask: Array<{ taskId: string; score: number; feedback: string[] }>;
  unscored: string[];
  calls: LedgerSummary;
}

/** Score a skill on tasks (all, or one split as training would assign it) with the configured target. */
export async function runEval(
  input: { tasks: readonly Task[]; skillText: string; skillName: string; config: Config; split: EvalReport['split']; samples: number },
  deps: { clock: Clock; env: Readonly<Record<string, string | undefined>>; tmpDir: string; db?: Db },
): Promise<EvalReport> {
  const settings = trainerSettings(input.config);
  const chosen = input.split === 'all' ? input.tasks : assignSplits(input.tasks, settings.split)[input.split];
  const simulationLookup = simulationLookupFor(input.tasks);
  const models = createRunModels(input.config, { env: deps.env, tmpDir: deps.tmpDir, clock: deps.clock, simulationLookup, ...(deps.db ? { db: deps.db } : {}) });
  const hash = shortHash(input.skillText);
  const samples = Array.from({ length: input.samples }, (_, i) => i);
  const ev = await evaluateSkill(input.skillText, hash, chosen, samples, {
    target: models.target,
    optimizer: models.optimizer,
    metric: settings.gateMetric,
    mixedWeight: settings.mixedWeight,
    skillName: input.skillName,
  }).finally(() => models.dispose());
  const feedback = new Map<string, Set<string>>();
  for (const a of ev.attempts) for (const f of a.verdict.feedback) feedback.set(a.taskId, (feedback.get(a.taskId) ?? new Set()).add(f));
  return {
    skillHash: hash,
    split: input.split,
    tasks: chosen.length,
    samples: input.samples,
    score: ev.mean,
    hard: ev.hard,
    soft: ev.soft,
    perTask: [...ev.perTask.entries()].map(([taskId, score]) => ({ taskId, score, feedback: [...(feedback.get(taskId) ?? [])] })),
    unscored: chosen.map((t) => t.id).filter((id) => !ev.perTask.has(id)),
    calls: models.ledger.summary(),
  };
}
