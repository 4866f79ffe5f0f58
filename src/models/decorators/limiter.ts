import { SkillOptError } from '../../core/errors.js';
import type { ChatRequest, ChatResponse, ModelBackend } from '../types.js';

/** A counting semaphore with a FIFO queue; share one between backends that hit the same provider. */
export interface Limiter {
  /** Run fn when a slot is free; a queued waiter whose signal aborts leaves the queue with CANCELLED. */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Calls running now and calls waiting for a slot; `concurrency` is the current (adaptive) limit. */
  stats(): { active: number; queued: number; concurrency: number };
  /** The provider said 429: halve the limit (never below 1), so the run slows down instead of failing. */
  onRateLimited(): void;
  /** A call succeeded: after a full round of successes at the current limit, allow one more (up to the maximum). */
  onSuccess(): void;
}

interface Waiter {
  start: () => void;
}

/**
 * Create a limiter allowing `concurrency` calls at once (default 4). The limit adapts to the provider:
 * halved on each rate limit, grown back by one after a round of successes (additive increase, multiplicative decrease).
 */
export function createLimiter(concurrency = 4): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new SkillOptError('CONFIG', `concurrency must be a whole number of at least 1, got ${concurrency}`, {
      hint: 'set concurrency to 1 or more',
    });
  }
  const max = concurrency;
  let limit = concurrency;
  let successes = 0;
  let active = 0;
  const queue: Waiter[] = [];
  const drain = (): void => {
    while (active < limit) {
      const next = queue.shift();
      if (!next) return;
      active += 1;
      next.start();
    }
  };
  const release = (): void => {
    active -= 1;
    drain();
  };
  const acquire = (signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) return Promise.reject(new SkillOptError('CANCELLED', 'the call was cancelled before it started'));
    if (active < limit && queue.length === 0) {
      active += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const index = queue.indexOf(waiter);
        if (index >= 0) queue.splice(index, 1);
        reject(new SkillOptError('CANCELLED', 'the call was cancelled while waiting for a free slot'));
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };

  return {
    async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      await acquire(signal);
      try {
        return await fn();
      } finally {
        release();
      }
    },
    stats: () => ({ active, queued: queue.length, concurrency: limit }),
    onRateLimited() {
      limit = Math.max(1, Math.floor(limit / 2));
      successes = 0;
    },
    onSuccess() {
      if (limit >= max) return;
      successes += 1;
      if (successes >= limit) {
        limit += 1;
        successes = 0;
        drain();
      }
    },
  };
}

/** Bound how many calls reach the inner backend at once; pass a Limiter to share it, or a number. */
export function withLimiter(inner: ModelBackend, limiter: Limiter | { concurrency?: number } = {}): ModelBackend {
  const shared = 'run' in limiter ? limiter : createLimiter(limiter.concurrency ?? 4);
  return {
    backend: inner.backend,
    model: inner.model,
    complete: (request: ChatRequest): Promise<ChatResponse> =>
      shared.run(async () => {
        try {
          const response = await inner.complete(request);
          shared.onSuccess();
          return response;
        } catch (error) {
          if (error instanceof SkillOptError && error.code === 'RATE_LIMITED') shared.onRateLimited();
          throw error;
        }
      }, request.signal),
  };
}
