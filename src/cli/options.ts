import type { Command } from 'commander';
import { parseConfig, type Config } from '../config/config.js';
import { parseBackendSpec, type BackendKind } from '../models/config.js';
import { SkillOptError } from '../core/errors.js';
import { numberArg } from './number-arg.js';

/** The flags that choose models and tune the trainer, shared by train and demo. */
export function addTrainerOptions(command: Command): Command {
  return command
    .option('--target <backend[:model]>', 'model that runs the tasks, e.g. simulated, openai:gpt-4o-mini, anthropic:claude-haiku-4-5')
    .option('--optimizer <backend[:model]>', 'model that reflects and proposes edits')
    .option('--gate <mode>', 'paired (exact sign-flip test, default) or strict (the paper: higher mean, ties rejected)')
    .option('--alpha <p>', 'significance level of the paired gate', numberArg('float', 0.0001, 0.5))
    .option('--gate-unit <unit>', 'paired test unit: sample (independent draws) or task (deterministic targets)')
    .option('--no-regression', 'paired gate: reject a candidate that lowers any val task')
    .option('--noise <p>', 'simulated target: probability of ignoring each instruction (slips at a third of it)', numberArg('float', 0, 1))
    .option('--seed <n>', 'seed of every random choice', numberArg('int'))
    .option('--schedule <kind>', 'edit-budget schedule: constant, linear or cosine')
    .option('--lr-max <n>', 'edit budget of the first step', numberArg('int', 1))
    .option('--lr-min <n>', 'edit budget floor', numberArg('int', 0))
    .option('--epochs <n>', 'epochs (a night is one)', numberArg('int', 1, 100))
    .option('--batch-size <n>', 'train tasks rolled out per step', numberArg('int', 1))
    .option('--minibatch-size <n>', 'trajectories per reflection call', numberArg('int', 1))
    .option('--val-samples <n>', 'samples per val task', numberArg('int', 1, 20))
    .option('--test-samples <n>', 'samples per test task', numberArg('int', 1, 20))
    .option('--no-attribution', 'keep every edit of an accepted candidate without measuring it')
    .option('--no-slow-update', 'skip the epoch-end slow update')
    .option('--max-tokens <n>', 'token budget of the run', numberArg('int', 1))
    .option('--max-minutes <n>', 'time budget of the run', numberArg('float', 0.01))
    .option('--max-cost <usd>', 'cost budget of the run in USD', numberArg('float', 0.0001))
    .option('--concurrency <n>', 'model calls in flight', numberArg('int', 1, 64));
}

/** The parsed trainer flags. */
export interface TrainerFlags {
  target?: string;
  optimizer?: string;
  gate?: string;
  alpha?: number;
  gateUnit?: string;
  regression?: boolean;
  noise?: number;
  seed?: number;
  schedule?: string;
  lrMax?: number;
  lrMin?: number;
  epochs?: number;
  batchSize?: number;
  minibatchSize?: number;
  valSamples?: number;
  testSamples?: number;
  attribution?: boolean;
  slowUpdate?: boolean;
  maxTokens?: number;
  maxMinutes?: number;
  maxCost?: number;
  concurrency?: number;
}

type RoleKey = Exclude<keyof Config['target'], 'backend'>;
const API: readonly BackendKind[] = ['openai', 'azure-openai', 'anthropic'];
/** Which backends read each per-role key; a key kept for a backend that ignores it would be a silent no-op. */
const ROLE_KEY_BACKENDS: Record<RoleKey, readonly BackendKind[]> = {
  // A model id names a model of the config's backend, never of another one.
  model: [],
  temperature: API,
  maxTokens: API,
  timeoutMs: ['openai', 'azure-openai', 'anthropic', 'claude-cli', 'codex-cli'],
  baseURL: ['openai', 'anthropic'],
  apiKeyEnv: API,
  api: ['openai', 'azure-openai'],
  structured: API,
  azure: ['azure-openai'],
  cli: ['claude-cli', 'codex-cli'],
  simulated: ['simulated'],
};

/**
 * A role after `--target/--optimizer backend[:model]`: the flag overrides backend and model, every other key of the
 * config's role is kept when the new backend reads it, and each key that does not apply is named in a warning.
 */
export function mergeRoleFlag(current: Config['target'], spec: string, which: 'target' | 'optimizer', warn: (message: string) => void): Config['target'] {
  const parsed = parseBackendSpec(spec);
  if (current.backend === parsed.backend) return { ...current, ...(parsed.model ? { model: parsed.model } : {}) };
  const next: Record<string, unknown> = { backend: parsed.backend };
  for (const [key, value] of Object.entries(current) as Array<[string, unknown]>) {
    if (key === 'backend' || value === undefined) continue;
    if (key === 'model' && parsed.model) continue;
    const applies = (ROLE_KEY_BACKENDS[key as RoleKey] ?? []).includes(parsed.backend);
    // A structured mode of one provider family is not valid for the other.
    const validStructured = key !== 'structured' || !((value === 'json_schema' || value === 'json_object') ? parsed.backend === 'anthropic' : value === 'tool' && parsed.backend !== 'anthropic');
    if (applies && validStructured) {
      next[key] = value;
      continue;
    }
    warn(`${which}.${key} in config.json (${JSON.stringify(value)}) does not apply to --${which} ${spec}; ignored for this run`);
  }
  if (parsed.model) next.model = parsed.model;
  return next as Config['target'];
}

/** Apply flags over a config and validate the result (a bad value names the flag's key and the fix); `warn` hears about ignored keys. */
export function applyTrainerFlags(config: Config, flags: TrainerFlags, warn: (message: string) => void = () => undefined): Config {
  const next = structuredClone(config) as Config & Record<string, unknown>;
  if (flags.target) next.target = mergeRoleFlag(next.target, flags.target, 'target', warn);
  if (flags.optimizer) next.optimizer = mergeRoleFlag(next.optimizer, flags.optimizer, 'optimizer', warn);
  const t = next.trainer as Record<string, unknown> & Config['trainer'];
  if (flags.gate !== undefined) (t.gate as Record<string, unknown>).mode = flags.gate;
  if (flags.alpha !== undefined) t.gate.alpha = flags.alpha;
  if (flags.gateUnit !== undefined) (t.gate as Record<string, unknown>).unit = flags.gateUnit;
  if (flags.regression === false) t.gate.noRegression = true;
  if (flags.seed !== undefined) t.seed = flags.seed;
  if (flags.schedule !== undefined) (t.schedule as Record<string, unknown>).kind = flags.schedule;
  if (flags.lrMax !== undefined) t.schedule.max = flags.lrMax;
  if (flags.lrMin !== undefined) t.schedule.min = flags.lrMin;
  if (flags.epochs !== undefined) t.epochs = flags.epochs;
  if (flags.batchSize !== undefined) t.batchSize = flags.batchSize;
  if (flags.minibatchSize !== undefined) t.minibatchSize = flags.minibatchSize;
  if (flags.valSamples !== undefined) t.valSamples = flags.valSamples;
  if (flags.testSamples !== undefined) t.testSamples = flags.testSamples;
  if (flags.attribution === false) t.attribution = false;
  if (flags.slowUpdate === false) t.slowUpdate = false;
  if (flags.maxTokens !== undefined) next.budget.maxTokens = flags.maxTokens;
  if (flags.maxMinutes !== undefined) next.budget.maxMinutes = flags.maxMinutes;
  if (flags.maxCost !== undefined) next.budget.maxCostUsd = flags.maxCost;
  if (flags.concurrency !== undefined) next.concurrency = flags.concurrency;
  if (flags.noise !== undefined) {
    for (const r of [next.target, next.optimizer]) if (r.backend === 'simulated') r.simulated = { ...r.simulated, followRate: 1 - flags.noise, slipRate: flags.noise / 3 };
  }
  const parsed = parseConfig(next);
  if (!parsed.ok) throw new SkillOptError('INPUT', `invalid option value:\n${parsed.errors.map((e) => `  ${e}`).join('\n')}`, { hint: 'run with --help to see the accepted values' });
  return parsed.config;
}
