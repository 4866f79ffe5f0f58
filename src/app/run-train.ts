import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/config.js';
import type { Task } from '../tasks/types.js';
import type { Logger } from '../core/logger.js';
import type { Db } from '../store/db.js';
import { ensureWritableDir, writeFileAtomic } from '../core/fs.js';
import { createRunModels } from './backends.js';
import { simulationLookupFor } from '../simulated/lookup.js';
import { trainSkill, type TrainCarry, type TrainProgress } from '../train/trainer.js';
import type { TrainerConfig } from '../train/config.js';
import type { TrainResult } from '../train/types.js';
import { buildRunReport, renderRunMarkdown, type RunReport } from '../report/run-report.js';
import { recordRun } from '../store/runs.js';
import { createRejectedEditsRepo } from '../store/rejected-edits-repo.js';
import type { RejectedEditMemory } from '../train/memory.js';
import { checkBudgetsUpFront } from './preflight.js';

/** Everything a training run needs from outside. */
export interface TrainRunDeps {
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  tmpDir: string;
  db?: Db;
  logger?: Logger;
  signal?: AbortSignal;
  onProgress?: (event: TrainProgress) => void;
  /** The end of the night's window: the run's one deadline is the earlier of this and budget.maxMinutes. */
  until?: Date;
  /** Wraps each bare backend (benchmarks add latency). */
  wrapBare?: (backend: import('../models/types.js').ModelBackend) => import('../models/types.js').ModelBackend;
}

/** One run: the tasks, the skill, the settings, where to write. */
export interface TrainRunInput {
  kind: 'train' | 'demo' | 'night';
  tasks: readonly Task[];
  skillName: string;
  skillText: string;
  config: Config;
  outDir: string;
  carry?: TrainCarry;
  nightId?: number;
  /** Which skill target's rejected-edit memory to read and feed ('' for a standalone train), and the night number. */
  memory?: { skillKey: string; night?: number | null };
}

/** What a run produced. */
export interface TrainRunOutput {
  result: TrainResult;
  report: RunReport;
  runId: number | null;
  paths: { bestSkill: string; reportMd: string; reportJson: string; history: string };
}

/** Convert the config's trainer section into the trainer's own settings. */
export function trainerSettings(config: Config): TrainerConfig {
  const t = config.trainer;
  return {
    epochs: t.epochs,
    batchSize: t.batchSize,
    minibatchSize: t.minibatchSize,
    failureOnly: t.failureOnly,
    schedule: t.schedule,
    // Repeated samples of a deterministic target are copies: counting them as independent would overstate the evidence.
    gate: { ...t.gate, unit: t.gate.unit ?? (config.target.temperature === 0 ? 'task' : 'sample') },
    gateMetric: t.gateMetric,
    mixedWeight: t.mixedWeight,
    valSamples: t.valSamples,
    testSamples: t.testSamples,
    attribution: t.attribution,
    slowUpdate: t.slowUpdate,
    slowUpdateSamples: t.slowUpdateSamples,
    metaNotes: t.metaNotes,
    split: { ratios: { train: t.split.train, val: t.split.val, test: t.split.test }, floor: t.split.floor, floorFrom: t.split.floorFrom, seed: t.seed },
    seed: t.seed,
    maxEditsPerReflection: t.maxEditsPerReflection,
    maxMissingShare: t.maxMissingShare,
  };
}

/** The trainer's view of the SQLite rejected-edit memory for this run's skill target (pruned first). */
function rejectedMemoryFor(db: Db, input: TrainRunInput, clock: Clock): RejectedEditMemory {
  const repo = createRejectedEditsRepo(db);
  const settings = input.config.trainer.rejectedMemory;
  const skillKey = input.memory?.skillKey ?? '';
  const night = input.memory?.night ?? null;
  repo.prune({ now: clock.now().toISOString(), maxAgeDays: settings.maxAgeDays, maxPerSkill: settings.maxPerSkill });
  return {
    recent: () => repo.recent({ skillKey, limit: settings.limit, maxAgeDays: settings.maxAgeDays, now: clock.now().toISOString() }),
    add: (entries) => repo.add(entries.map((e) => ({ skillKey, edit: e.edit, reason: e.reason, scoreDrop: e.scoreDrop, night, at: clock.now().toISOString() }))),
  };
}

/**
 * Train a skill on tasks with the configured backends, then write best_skill.md, history.json,
 * report.md and report.json (each atomically) and record the run in the store.
 */
export async function runTraining(input: TrainRunInput, deps: TrainRunDeps): Promise<TrainRunOutput> {
  const startedAt = deps.clock.now().toISOString();
  const settings = trainerSettings(input.config);
  // Before the first call: an output folder that cannot be written, or a budget that cannot be kept, is refused
  // with the path, the number or the key that fixes it (not found out after a night of calls).
  ensureWritableDir(input.outDir);
  checkBudgetsUpFront(input.tasks, input.skillText, settings, input.config);
  const simulationLookup = simulationLookupFor(input.tasks);
  const models = createRunModels(input.config, {
    env: deps.env,
    tmpDir: deps.tmpDir,
    clock: deps.clock,
    simulationLookup,
    ...(deps.db ? { db: deps.db } : {}),
    ...(input.nightId !== undefined ? { nightId: input.nightId } : {}),
    ...(deps.wrapBare ? { wrapBare: deps.wrapBare } : {}),
    ...(deps.until ? { until: deps.until } : {}),
  });
  const memory = deps.db && input.config.trainer.rejectedMemory.limit > 0 ? rejectedMemoryFor(deps.db, input, deps.clock) : undefined;
  const result = await trainSkill(
    input.tasks,
    input.skillText,
    settings,
    {
      target: models.target,
      optimizer: models.optimizer,
      skillName: input.skillName,
      ...(memory ? { rejectedMemory: memory } : {}),
      shouldStop: () => {
        if (models.deadline.passed()) return models.deadline.reason() ?? 'the run reached its deadline';
        const state = models.budget.exhausted();
        return state.exhausted ? (state.reason ?? 'budget spent') : null;
      },
      ...(deps.logger ? { logger: deps.logger } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
    },
    input.carry ?? {},
  ).finally(() => models.dispose());
  const finishedAt = deps.clock.now().toISOString();
  const report = buildRunReport({
    kind: input.kind,
    skillName: input.skillName,
    startedAt,
    finishedAt,
    result,
    config: settings,
    calls: models.ledger.summary(),
    cache: models.cacheStats(),
    budget: models.budget.snapshot(),
  });
  const paths = {
    bestSkill: join(input.outDir, 'best_skill.md'),
    reportMd: join(input.outDir, 'report.md'),
    reportJson: join(input.outDir, 'report.json'),
    history: join(input.outDir, 'history.json'),
  };
  // Every file leaves redacted: provider error texts end up in the report, and may echo a key.
  const scrub = models.scrub;
  writeFileAtomic(paths.bestSkill, scrub(result.best.skill));
  writeFileAtomic(paths.history, scrub(`${JSON.stringify(result.steps, null, 2)}\n`));
  writeFileAtomic(paths.reportJson, scrub(`${JSON.stringify(report, null, 2)}\n`));
  writeFileAtomic(paths.reportMd, scrub(renderRunMarkdown(report)));
  // The plan rides in the run's summary, so a later `status` can say when this replay set cannot prove a gain yet.
  const runId = deps.db
    ? recordRun(deps.db, { kind: input.kind, skillName: input.skillName, startedAt, finishedAt, ...(input.nightId !== undefined ? { nightId: input.nightId } : {}), summary: { ...report.headline, plan: report.plan } }, result)
    : null;
  return { result, report, runId, paths };
}
