import { readFileSync, existsSync } from 'node:fs';
import { z } from 'zod';
import { ModelRoleConfigSchema } from '../models/config.js';
import { MineConfigSchema } from '../mine/config.js';
import { DaemonConfigSchema } from '../daemon/config.js';
import { NightConfigSchema } from '../night/config.js';
import { SkillOptError } from '../core/errors.js';

const ScheduleSchema = z
  .strictObject({
    kind: z.enum(['constant', 'linear', 'cosine']).default('cosine').describe('How the per-step edit budget L_t decays: constant, linear or cosine (paper: cosine).'),
    max: z.number().int().min(1).default(4).describe('Edit budget of the first step (paper: 4).'),
    min: z.number().int().min(0).default(2).describe('Floor the budget decays to (paper: 2). Rounding is half-to-even, as the paper code.'),
  })
  .describe('The textual learning-rate schedule.');

const GateSchema = z
  .strictObject({
    mode: z.enum(['paired', 'strict']).default('paired').describe('paired: exact sign-flip test on paired val samples (ours); strict: candidate mean > incumbent mean, ties rejected (paper).'),
    alpha: z.number().gt(0).lt(1).default(0.05).describe('One-sided significance level of the paired gate: the most a no-op edit may be accepted.'),
    minDelta: z.number().min(0).default(0).describe('Smallest mean val improvement worth accepting (paired mode).'),
    noRegression: z.boolean().default(false).describe('Reject a candidate that lowers any single val task by more than regressionTolerance (paired mode).'),
    regressionTolerance: z.number().min(0).default(0).describe('How far one task may drop before noRegression rejects.'),
    unit: z
      .enum(['sample', 'task'])
      .optional()
      .describe('Unit of the paired test: sample (independent draws) or task (deterministic targets). Unset: task when target.temperature is 0, where repeated samples are copies; sample otherwise.'),
  })
  .describe('The held-out validation gate.');

const SplitSchema = z
  .strictObject({
    train: z.number().min(0).default(4).describe('Share of tasks for train (ours 4:3:3; the paper uses 2:1:7 for benchmarks with thousands of items).'),
    val: z.number().min(0).default(3).describe('Share of tasks for val (the gate).'),
    test: z.number().min(0).default(3).describe('Share of tasks for test (the headline).'),
    floor: z.number().int().min(0).default(3).describe('Minimum val and test tasks once there are floorFrom tasks.'),
    floorFrom: z.number().int().min(0).default(12).describe('Replay-set size from which the floor applies.'),
  })
  .describe('How tasks are split into train, val and test.');

const RejectedMemorySchema = z
  .strictObject({
    limit: z.number().int().min(0).default(20).describe('Most remembered rejected edits shown to each reflection (newest first; 0 turns the memory off).'),
    maxAgeDays: z.number().min(0).default(30).describe('Rejected edits older than this are no longer shown, and are pruned.'),
    maxPerSkill: z.number().int().min(1).default(200).describe('Rejected edits kept per skill target; older ones are pruned.'),
  })
  .describe('The rejected-edit memory across nights (SQLite): what the gate, attribution or the person rejected, with its score drop.');

const TrainerSchema = z
  .strictObject({
    epochs: z.number().int().min(1).default(1).describe('Epochs per run; a night is one epoch (the slow update runs at each epoch end).'),
    batchSize: z.number().int().min(1).default(40).describe('Train tasks rolled out per step (paper: 40).'),
    minibatchSize: z.number().int().min(1).default(8).describe('Trajectories per reflection call (paper: 8).'),
    failureOnly: z.boolean().default(false).describe('Reflect on failures only (skip success minibatches).'),
    maxEditsPerReflection: z.number().int().min(1).default(4).describe('Most edits one reflection may propose (the analyst cap; the schedule clips after merging).'),
    schedule: ScheduleSchema.prefault({}),
    gate: GateSchema.prefault({}),
    gateMetric: z.enum(['hard', 'soft', 'mixed']).default('hard').describe('Score the gate compares: hard (all checks pass), soft (fraction passed), or mixed.'),
    mixedWeight: z.number().min(0).max(1).default(0.5).describe('Weight of soft in the mixed metric.'),
    valSamples: z.number().int().min(1).default(3).describe('Samples per val task (incumbent and candidate use the same sample indices).'),
    testSamples: z.number().int().min(1).default(3).describe('Samples per test task for the headline score.'),
    attribution: z.boolean().default(true).describe('Measure each accepted edit by removing it; drop edits that do not earn their place.'),
    slowUpdate: z.boolean().default(true).describe('Run the gated epoch-end slow update into the protected region.'),
    slowUpdateSamples: z.number().int().min(1).default(20).describe('Train tasks compared at epoch end (paper: 20).'),
    metaNotes: z.boolean().default(true).describe('Keep optimizer-side notes on which edits helped or hurt (never shown to the target).'),
    split: SplitSchema.prefault({}),
    seed: z.number().int().default(42).describe('Seed of every random choice: the trainer, and the simulated models unless their own seed is set (paper: 42).'),
    rejectedMemory: RejectedMemorySchema.prefault({}),
    maxMissingShare: z
      .number()
      .min(0)
      .max(1)
      .default(0.2)
      .describe('Share of val samples that may be missing (calls that kept failing after retries) before a gate decision is "undecided" instead of accepted or rejected.'),
  })
  .describe('The SkillOpt trainer.');

const BudgetSchema = z
  .strictObject({
    maxTokens: z.number().int().positive().optional().describe('Most tokens (input + output) one night may spend.'),
    maxMinutes: z.number().positive().optional().describe('Longest one night may run, in minutes.'),
    maxCostUsd: z.number().positive().optional().describe('Most USD one night may spend (models without a known price fail closed).'),
    allowUnpricedCalls: z.boolean().default(false).describe('With maxCostUsd set, allow calls to models missing from the price table.'),
    hardCeiling: z.number().min(1).default(1.25).describe('New calls are refused past this multiple of a limit; at 1x the night finishes its step and stops.'),
  })
  .describe('Hard limits of one night.');

/** The whole config file. */
export const ConfigSchema = z
  .strictObject({
    target: ModelRoleConfigSchema.prefault({}).describe('The model that runs the tasks with the skill (default: simulated).'),
    optimizer: ModelRoleConfigSchema.prefault({}).describe('The model that reflects, writes guidance and grades rubrics (default: simulated).'),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(4)
      .describe('Most model calls in flight at once per provider (target and optimizer share it when they reach the same one); halved on a rate limit, grown back as calls succeed.'),
    retry: z
      .strictObject({
        maxAttempts: z.number().int().min(1).max(20).default(4).describe('Attempts per call for time-outs and server errors (5xx).'),
        maxRateLimitedAttempts: z.number().int().min(1).max(50).default(10).describe('Attempts per call when the provider answers 429 (each waits its retry-after); the run\'s deadline still ends them.'),
        baseMs: z.number().int().min(1).default(1000).describe('First back-off in milliseconds (full jitter, doubling each attempt).'),
        maxMs: z.number().int().min(1).default(30_000).describe('Longest back-off between two attempts, in milliseconds.'),
        maxRetryAfterMs: z.number().int().min(0).default(120_000).describe('A retry-after longer than this is not waited out: the call fails at once.'),
      })
      .prefault({})
      .describe('Retries of failed model calls: back-off with jitter that honours retry-after and never waits past the run\'s deadline.'),
    prices: z
      .record(
        z.string().min(1),
        z.strictObject({
          input: z.number().min(0).describe('USD per million input tokens.'),
          output: z.number().min(0).describe('USD per million output tokens.'),
          cachedInput: z.number().min(0).optional().describe('USD per million cached input tokens (default: the input price).'),
        }),
      )
      .default({})
      .describe('Prices of models missing from the built-in table (or overriding it), by model id: {"my-model": {"input": 0.15, "output": 0.6}}. A cost budget needs a price for every model it pays for.'),
    replayCache: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Reuse a rollout already paid for (same task, skill, backend, model, options and sample).'),
        ttlDays: z.number().positive().default(30).describe('Days a cached reply stays valid.'),
      })
      .prefault({})
      .describe('The replay cache in SQLite.'),
    trainer: TrainerSchema.prefault({}),
    budget: BudgetSchema.prefault({}),
    mine: MineConfigSchema.prefault({}),
    night: NightConfigSchema.prefault({}),
    harvest: z
      .strictObject({
        sources: z.array(z.enum(['claude-code', 'codex', 'copilot-chat', 'copilot-cli', 'gemini-cli'])).default(['claude-code', 'codex', 'copilot-chat', 'copilot-cli', 'gemini-cli']).describe('Transcript sources to harvest.'),
        extraRoots: z.record(z.string(), z.array(z.string())).default({}).describe('Extra transcript folders per source, e.g. {"claude-code": ["/mnt/old/.claude/projects"]}.'),
      })
      .prefault({})
      .describe('What harvest reads.'),
    daemon: DaemonConfigSchema.prefault({}),
  })
  .describe('skillopt-sleep configuration (config.json in the state folder).');

/** The validated config. */
export type Config = z.infer<typeof ConfigSchema>;

/** A config and what was wrong with the file, as `path: message` lines. */
export interface ConfigLoad {
  config: Config;
  errors: string[];
  warnings: string[];
  source: 'file' | 'defaults';
}

/** Validate a parsed config value; errors are values, never thrown. */
export function parseConfig(value: unknown): { ok: true; config: Config } | { ok: false; errors: string[] } {
  const result = ConfigSchema.safeParse(value);
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, errors: result.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`) };
}

/** The defaults (what a missing config.json means). */
export function defaultConfig(): Config {
  return ConfigSchema.parse({});
}

/** Read config.json; a missing file means defaults; a broken one is a CONFIG error naming every bad key. */
export function loadConfig(path: string): ConfigLoad {
  if (!existsSync(path)) return { config: defaultConfig(), errors: [], warnings: [], source: 'defaults' };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SkillOptError('CONFIG', `cannot read ${path}: ${(error as Error).message}`, { hint: 'make it a readable file, or move it away to use the defaults', cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SkillOptError('CONFIG', `${path} is not valid JSON: ${(error as Error).message}`, { hint: `fix the file, or move it away to use the defaults`, cause: error });
  }
  const parsed = parseConfig(raw);
  if (!parsed.ok) {
    throw new SkillOptError('CONFIG', `${path} has invalid settings:\n${parsed.errors.map((e) => `  ${e}`).join('\n')}`, {
      hint: 'correct the keys named above (`skillopt-sleep config schema` lists every key and its meaning)',
    });
  }
  return { config: parsed.config, errors: [], warnings: [], source: 'file' };
}
