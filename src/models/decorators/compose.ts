import type { Clock } from '../../core/clock.js';
import type { ModelBackend } from '../types.js';
import { callRecordOf, withLedger, type CallLedger } from './accounting.js';
import { withBudget, type NightBudget } from './budget.js';
import { withLimiter, type Limiter } from './limiter.js';
import { withReplayCache, type ReplayCacheOptions, type ReplayCacheStore } from './replay-cache.js';
import { withRetry, type RetryDeps, type RetryOptions } from './retry.js';
import { withTimeout } from './timeout.js';

/** Which decorators to put around a backend; each can be left out (retry and limiter with `false`). */
export interface DecorateOptions {
  /** Default: 4 attempts with full-jitter backoff. */
  retry?: RetryOptions | false;
  /** A shared Limiter, or a concurrency (default 4). */
  limiter?: Limiter | { concurrency?: number } | false;
  /** Per attempt; omitted means no timeout decorator (harness backends carry their own). */
  timeoutMs?: number;
  budget?: { budget: NightBudget; hardCeiling?: number };
  cache?: { store: ReplayCacheStore; options: ReplayCacheOptions };
  ledger?: CallLedger;
}

/** Time and randomness for the decorators. */
export interface DecorateDeps extends RetryDeps {
  clock: Clock;
}

/**
 * Wrap a backend, outermost first:
 *   cache   - a hit returns before anything else: no budget charge, no limiter slot, no provider call
 *             (hits still reach the ledger through the cache's onHit hook, as cached calls);
 *   budget  - (admission) refuses new calls once spending and calls in flight pass the hard ceiling;
 *   ledger  - one record per logical call (reply or final error); its duration includes queue wait;
 *   limiter - bounds calls in flight (adaptive: halved on 429); a call keeps its slot through its retries so
 *             backoff does not let a burst of fresh calls through while the provider is rate-limiting us;
 *   budget  - (reservation) with a slot held: refuses a call whose estimate would pass the ceiling, reserves it,
 *             charges every real reply once, after retries;
 *   retry   - backoff with jitter and retry-after, around each attempt;
 *   timeout - innermost, so the limit applies to each attempt rather than to the sum of attempts and waits.
 */
export function decorateBackend(inner: ModelBackend, options: DecorateOptions, deps: DecorateDeps): ModelBackend {
  let backend = inner;
  if (options.timeoutMs !== undefined) backend = withTimeout(backend, { timeoutMs: options.timeoutMs });
  if (options.retry !== false) backend = withRetry(backend, options.retry ?? {}, deps);
  const ceiling = options.budget?.hardCeiling === undefined ? {} : { hardCeiling: options.budget.hardCeiling };
  // Reserve and charge only once a slot is held: queued calls must not hold estimates of their own.
  if (options.budget) backend = withBudget(backend, options.budget.budget, ceiling);
  if (options.limiter !== false) backend = withLimiter(backend, options.limiter ?? {});
  if (options.ledger) backend = withLedger(backend, options.ledger, deps.clock);
  if (options.budget) backend = withBudget(backend, options.budget.budget, { ...ceiling, admitOnly: true });
  if (options.cache) {
    const { ledger } = options;
    const userOnHit = options.cache.options.onHit;
    backend = withReplayCache(
      backend,
      options.cache.store,
      {
        ...options.cache.options,
        onHit: (request, response) => {
          ledger?.record(callRecordOf(request, response, 0));
          userOnHit?.(request, response);
        },
      },
      deps.clock,
    );
  }
  return backend;
}
