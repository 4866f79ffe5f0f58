import { SkillOptError, type ErrorCode } from '../../core/errors.js';
import type { ChatRequest, ChatResponse, ModelBackend } from '../types.js';

/** Backoff settings; defaults: 4 attempts, 1 s base, 30 s cap, retry-after honoured up to 120 s. */
export interface RetryOptions {
  maxAttempts?: number;
  baseMs?: number;
  maxMs?: number;
  /** A retry-after longer than this is not waited out: the error surfaces (a night should not stall for an hour). */
  maxRetryAfterMs?: number;
  /**
   * Attempts for a rate-limited call (default 10): a 429 says "later", not "never", so it gets more tries than
   * other failures, each waiting its retry-after; the run's deadline still ends them.
   */
  maxRateLimitedAttempts?: number;
}

/** One retry about to happen, for logs and tests. */
export interface RetryEvent {
  attempt: number;
  delayMs: number;
  code: string | undefined;
  backend: string;
  model: string;
}

/** Time and randomness for retries; injected so tests are instant and deterministic. */
export interface RetryDeps {
  /** Resolve after ms, reject promptly when the signal aborts. Default: a real timer (sleepWithSignal). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1). Default Math.random: jitter only spreads load, it never affects results. */
  random?: () => number;
  onRetry?: (event: RetryEvent) => void;
  /** Time left before the run's deadline; a wait that would end past it is not started (the error surfaces now). */
  remainingMs?: () => number;
}

const RETRY_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['RATE_LIMITED', 'UNAVAILABLE', 'TIMEOUT']);
const NEVER_RETRY: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['AUTH', 'BAD_REQUEST', 'CANCELLED', 'BUDGET_EXHAUSTED', 'CONFIG']);

function codeOf(error: unknown): ErrorCode | undefined {
  return error instanceof SkillOptError ? error.code : undefined;
}

/** The retry-after an error carries (duck-typed, so any error class with `retryAfterMs` works). */
export function retryAfterOf(error: unknown): number | undefined {
  const value = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Whether a retry may help: never for AUTH, BAD_REQUEST, CANCELLED, BUDGET_EXHAUSTED or CONFIG; otherwise an
 * explicit `retryable` flag on the error wins; otherwise RATE_LIMITED, UNAVAILABLE and TIMEOUT are retried.
 */
export function isRetryable(error: unknown): boolean {
  const code = codeOf(error);
  if (code && NEVER_RETRY.has(code)) return false;
  const flag = (error as { retryable?: unknown } | null)?.retryable;
  if (typeof flag === 'boolean') return flag;
  return code !== undefined && RETRY_CODES.has(code);
}

/** Full-jitter exponential backoff for the given (1-based) failed attempt, never shorter than retry-after. */
export function backoffDelay(attempt: number, options: Required<Pick<RetryOptions, 'baseMs' | 'maxMs'>>, random: number, retryAfterMs?: number): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random * ceiling);
  return retryAfterMs === undefined ? jittered : Math.max(jittered, retryAfterMs);
}

/** A real sleep that rejects with CANCELLED as soon as the signal aborts. */
export function sleepWithSignal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new SkillOptError('CANCELLED', 'the call was cancelled while waiting to retry'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new SkillOptError('CANCELLED', 'the call was cancelled while waiting to retry'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function cancelled(inner: ModelBackend, request: ChatRequest): SkillOptError {
  return new SkillOptError('CANCELLED', `${inner.backend} (${request.model ?? inner.model}): the call was cancelled`);
}

/** Retry transient failures with exponential backoff and full jitter, honouring retry-after. */
export function withRetry(inner: ModelBackend, options: RetryOptions = {}, deps: RetryDeps = {}): ModelBackend {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const timing = { baseMs: options.baseMs ?? 1000, maxMs: options.maxMs ?? 30_000 };
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
  const maxRateLimited = Math.max(maxAttempts, options.maxRateLimitedAttempts ?? 10);
  const sleep = deps.sleep ?? sleepWithSignal;
  const random = deps.random ?? Math.random;
  return {
    backend: inner.backend,
    model: inner.model,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      for (let attempt = 1; ; attempt++) {
        if (request.signal?.aborted) throw cancelled(inner, request);
        try {
          return await inner.complete(request);
        } catch (error) {
          // A failure caused by our own cancel is not a provider failure worth retrying.
          if (request.signal?.aborted) throw cancelled(inner, request);
          const limit = codeOf(error) === 'RATE_LIMITED' ? maxRateLimited : maxAttempts;
          if (attempt >= limit || !isRetryable(error)) throw error;
          const retryAfter = retryAfterOf(error);
          if (retryAfter !== undefined && retryAfter > maxRetryAfterMs) throw error;
          const delayMs = backoffDelay(attempt, timing, random(), retryAfter);
          // Waiting past the deadline only to be aborted would hide the provider's error behind a time-out.
          if (deps.remainingMs && delayMs >= deps.remainingMs()) throw error;
          deps.onRetry?.({ attempt, delayMs, code: codeOf(error), backend: inner.backend, model: request.model ?? inner.model });
          await sleep(delayMs, request.signal);
        }
      }
    },
  };
}
