import type { Clock } from '../core/clock.js';
import type { Config } from '../config/config.js';
import type { SimulationSpec } from '../tasks/types.js';
import type { Db } from '../store/db.js';
import type { ModelBackend } from '../models/types.js';
import { toAnthropicBackendConfig, toAzureOpenAIBackendConfig, toOpenAIBackendConfig, type ModelRoleConfig } from '../models/config.js';
import { createClaudeCliBackend } from '../models/claude-cli.js';
import { createCodexCliBackend } from '../models/codex-cli.js';
import { createSimulatedTarget } from '../simulated/target.js';
import { createSimulatedOptimizer, SIMULATED_OPTIMIZER_MODEL } from '../simulated/optimizer.js';
import { createCallLedger, createLimiter, createNightBudget, decorateBackend, type CallLedger, type CachedBackend, type Limiter, type NightBudget } from '../models/decorators/index.js';
import { createRunDeadline, withDeadline, type RunDeadline } from '../models/decorators/deadline.js';
import { createScrubber, secretValuesOf, type Scrubber } from '../core/redact.js';
import { withReplayCache } from '../models/decorators/replay-cache.js';
import { callRecordOf } from '../models/decorators/accounting.js';
import { createCacheRepo } from '../store/cache-repo.js';
import { createCallsRepo } from '../store/calls-repo.js';
import { withRedaction } from '../models/redaction.js';
import { seedFrom } from '../core/rng.js';
import { withPrices } from '../models/decorators/pricing.js';

/** What building a backend needs from the outside world. */
export interface BackendContext {
  env: Readonly<Record<string, string | undefined>>;
  tmpDir: string;
  /** For the simulated target: what it "knows" about a task, by the user text it receives. */
  simulationLookup?: (userText: string) => SimulationSpec | undefined;
  /** Wraps each bare backend before the decorators (benchmarks add simulated latency here). */
  wrapBare?: (backend: ModelBackend) => ModelBackend;
  /** For HTTP-date retry-after; the API backends fall back to the system clock without it. */
  clock?: Clock;
  /** The run's seed (`--seed`, trainer.seed): seeds the simulated models unless a role sets its own. */
  seed?: number;
}

/** The simulated roles' seeds: a role's own `simulated.seed`, else one derived from the run seed, else the fixed defaults. */
export function simulatedSeed(role: ModelRoleConfig, which: 'target' | 'optimizer', runSeed: number | undefined): number {
  if (role.simulated?.seed !== undefined) return role.simulated.seed;
  if (runSeed === undefined) return which === 'target' ? 7 : 11;
  return seedFrom('simulated', which, runSeed);
}

const sdkDeps = (ctx: BackendContext) => ({ env: ctx.env, ...(ctx.clock ? { clock: ctx.clock } : {}) });

/**
 * A provider backend whose module (and so its SDK) loads on its first call, once: importing the openai and
 * anthropic SDKs costs every command about 0.4 s of CPU at start-up, and most commands never call a provider.
 */
function sdkBackend(backend: string, model: string, load: () => Promise<ModelBackend>): ModelBackend {
  let real: Promise<ModelBackend> | undefined;
  return { backend, model, complete: async (request) => (await (real ??= load())).complete(request) };
}

/** Build the bare backend of one role (no decorators). */
export function createBackend(role: ModelRoleConfig, which: 'target' | 'optimizer', ctx: BackendContext): ModelBackend {
  const timeoutMs = role.timeoutMs ?? 180_000;
  const cli = {
    ...(role.cli?.command ? { command: role.cli.command } : {}),
    ...(role.model ? { model: role.model } : {}),
    ...(role.cli?.args ? { extraArgs: role.cli.args } : {}),
    ...(role.cli?.allowProjectAccess ? { allowProjectAccess: true } : {}),
    timeoutMs,
  };
  switch (role.backend) {
    case 'simulated': {
      // The settings are part of the model id, so the replay cache never serves replies made under other noise.
      if (which === 'target') {
        const t = { followRate: role.simulated?.followRate ?? 0.92, slipRate: role.simulated?.slipRate ?? 0.03, seed: simulatedSeed(role, 'target', ctx.seed) };
        return createSimulatedTarget({ ...t, lookup: ctx.simulationLookup ?? (() => undefined), model: `sim-target-1:f${t.followRate}:s${t.slipRate}:seed${t.seed}` });
      }
      const o = { seed: simulatedSeed(role, 'optimizer', ctx.seed), uselessRate: role.simulated?.uselessRate ?? 0.3, harmfulRate: role.simulated?.harmfulRate ?? 0.1 };
      return createSimulatedOptimizer({ ...o, model: `${SIMULATED_OPTIMIZER_MODEL}:u${o.uselessRate}:h${o.harmfulRate}:seed${o.seed}` });
    }
    case 'openai': {
      const config = toOpenAIBackendConfig(role);
      return sdkBackend('openai', config.model, async () => (await import('../models/openai.js')).createOpenAIBackend(config, sdkDeps(ctx)));
    }
    case 'azure-openai': {
      const config = toAzureOpenAIBackendConfig(role);
      return sdkBackend('azure-openai', config.deployment, async () => (await import('../models/azure-openai.js')).createAzureOpenAIBackend(config, sdkDeps(ctx)));
    }
    case 'anthropic': {
      const config = toAnthropicBackendConfig(role);
      return sdkBackend('anthropic', config.model, async () => (await import('../models/anthropic.js')).createAnthropicBackend(config, sdkDeps(ctx)));
    }
    case 'claude-cli':
      return createClaudeCliBackend(cli, { env: ctx.env, tmpDir: ctx.tmpDir });
    case 'codex-cli':
      return createCodexCliBackend(cli, { env: ctx.env, tmpDir: ctx.tmpDir });
    default:
      role.backend satisfies never;
      throw new Error(`unknown backend ${String(role.backend)}`);
  }
}

/** The decorated target and optimizer of one run, with the ledger, budget and cache that wrap them. */
export interface RunModels {
  target: ModelBackend;
  optimizer: ModelBackend;
  ledger: CallLedger;
  budget: NightBudget;
  cacheStats: () => { hits: number; misses: number };
  /** The run's one deadline; every call is tied to its signal. */
  deadline: RunDeadline;
  /** The redactor for anything this run writes or prints (rules plus the literal keys in use). */
  scrub: Scrubber;
  /** Concurrency now, per provider (it adapts to rate limits). */
  concurrency: () => Record<string, number>;
  /** Stop the deadline's timer; call when the run is over. */
  dispose(): void;
}

/** The env var a role's key comes from (undefined for backends without one). */
export function apiKeyEnvOf(role: ModelRoleConfig): string | undefined {
  if (role.apiKeyEnv) return role.apiKeyEnv;
  switch (role.backend) {
    case 'openai':
      return 'OPENAI_API_KEY';
    case 'azure-openai':
      return 'AZURE_OPENAI_API_KEY';
    case 'anthropic':
      return 'ANTHROPIC_API_KEY';
    default:
      return undefined;
  }
}

/** The redactor for one run's output: the rules plus the literal values of every key in the environment. */
export function scrubberFor(config: Config, env: Readonly<Record<string, string | undefined>>): Scrubber {
  const names = [config.target, config.optimizer].map(apiKeyEnvOf).filter((n): n is string => n !== undefined);
  return createScrubber(secretValuesOf(env, names));
}

/** Roles that reach the same provider (backend, server, key) share one adaptive limiter. */
function providerKey(role: ModelRoleConfig): string {
  if (role.backend === 'simulated') return 'simulated';
  return [role.backend, role.baseURL ?? role.azure?.endpoint ?? '', apiKeyEnvOf(role) ?? ''].join('|');
}

/** What a run adds to the backend context: the clock, the store, and the end of the night's window. */
export interface RunModelsContext extends BackendContext {
  clock: Clock;
  db?: Db;
  nightId?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The end of the night's window; the run's deadline is the earlier of this and budget.maxMinutes. */
  until?: Date;
}

/**
 * Wrap both roles the same way: one adaptive limiter per provider (halved on 429, grown back slowly), retry with
 * backoff that honours retry-after and never waits past the deadline, a per-call timeout for API backends, the
 * night budget, the call ledger, the replay cache, and the run's one deadline around all of it.
 */
export function createRunModels(config: Config, ctx: RunModelsContext): RunModels {
  const limiters = new Map<string, Limiter>();
  const limiterFor = (key: string): Limiter => {
    let limiter = limiters.get(key);
    if (!limiter) {
      limiter = createLimiter(config.concurrency);
      limiters.set(key, limiter);
    }
    return limiter;
  };
  const deadline = createRunDeadline({
    clock: ctx.clock,
    ...(config.budget.maxMinutes !== undefined ? { maxMinutes: config.budget.maxMinutes } : {}),
    ...(ctx.until ? { until: ctx.until } : {}),
  });
  const scrub = scrubberFor(config, ctx.env);
  const ledger = createCallLedger({ clock: ctx.clock, ...(ctx.db ? { sink: createCallsRepo(ctx.db) } : {}), ...(ctx.nightId !== undefined ? { nightId: ctx.nightId } : {}) });
  const budget = createNightBudget(
    {
      ...(config.budget.maxTokens !== undefined ? { maxTokens: config.budget.maxTokens } : {}),
      ...(config.budget.maxMinutes !== undefined ? { maxMinutes: config.budget.maxMinutes } : {}),
      ...(config.budget.maxCostUsd !== undefined ? { maxCostUsd: config.budget.maxCostUsd } : {}),
      allowUnpricedCalls: config.budget.allowUnpricedCalls,
    },
    ctx.clock,
  );
  const caches: CachedBackend[] = [];
  const seeded = { ...ctx, seed: ctx.seed ?? config.trainer.seed };
  const wrap = (role: ModelRoleConfig, which: 'target' | 'optimizer'): ModelBackend => {
    const made = withPrices(createBackend(role, which, seeded), config.prices);
    const bare = ctx.wrapBare ? ctx.wrapBare(made) : made;
    const isHarness = role.backend === 'claude-cli' || role.backend === 'codex-cli';
    const limiter = limiterFor(providerKey(role));
    const decorated = decorateBackend(
      bare,
      {
        limiter,
        retry: config.retry,
        ledger,
        budget: { budget, hardCeiling: config.budget.hardCeiling },
        ...(isHarness || role.backend === 'simulated' ? {} : { timeoutMs: role.timeoutMs ?? 180_000 }),
      },
      {
        clock: ctx.clock,
        remainingMs: deadline.remainingMs,
        onRetry: (event) => {
          if (event.code === 'RATE_LIMITED') limiter.onRateLimited();
        },
        ...(ctx.sleep ? { sleep: ctx.sleep } : {}),
      },
    );
    if (!ctx.db || !config.replayCache.enabled) return withRedaction(withDeadline(decorated, deadline), undefined, scrub);
    // Outside the budget and the limiter: a hit costs nothing and needs no slot.
    const cached = withReplayCache(decorated, createCacheRepo(ctx.db), { enabled: true, ttlDays: config.replayCache.ttlDays, onHit: (req, res) => ledger.record(callRecordOf(req, res, 0)) }, ctx.clock);
    caches.push(cached);
    // Outermost: no secret reaches a provider, a cache key or a cached row, and none comes back in an error.
    return withRedaction(withDeadline(cached, deadline), undefined, scrub);
  };
  return {
    target: wrap(config.target, 'target'),
    optimizer: wrap(config.optimizer, 'optimizer'),
    ledger,
    budget,
    cacheStats: () => caches.reduce((acc, c) => ({ hits: acc.hits + c.stats().hits, misses: acc.misses + c.stats().misses }), { hits: 0, misses: 0 }),
    deadline,
    scrub,
    concurrency: () => Object.fromEntries([...limiters].map(([key, l]) => [key, l.stats().concurrency])),
    dispose: () => deadline.dispose(),
  };
}
