import { setMaxListeners } from 'node:events';
import { SkillOptError } from '../../core/errors.js';
import type { Clock } from '../../core/clock.js';
import type { ChatRequest, ChatResponse, ModelBackend } from '../types.js';

/** Timers for the deadline; injected so a test can fire it by hand. */
export interface DeadlineTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** One run's deadline: a signal that aborts when it passes, shared by every call of the run. */
export interface RunDeadline {
  /** When the run must stop; null when neither a time budget nor a window end is set. */
  readonly at: Date | null;
  /** Aborts (reason: a BUDGET_EXHAUSTED error) when the deadline passes, or when abort() is called. */
  readonly signal: AbortSignal;
  /** Milliseconds left (Infinity without a deadline, 0 once passed). */
  remainingMs(): number;
  passed(): boolean;
  /** Why the run stops, once it has passed. */
  reason(): string | null;
  /** Stop the timer (the run is over). */
  dispose(): void;
}

const realTimers: DeadlineTimers = {
  // Unref'd: a pending deadline never keeps the process alive on its own.
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Where the deadline comes from, for the message. */
export interface DeadlineOptions {
  /** The time budget of the run (budget.maxMinutes, --max-minutes), counted from now. */
  maxMinutes?: number;
  /** The end of the night's window; the earlier of the two wins. */
  until?: Date;
  clock: Clock;
  timers?: DeadlineTimers;
}

/**
 * Start the run's deadline: the earlier of now + maxMinutes and `until`. When it passes, its signal aborts, so
 * calls in flight, calls waiting for a slot and retry back-offs all end at once; nothing outlives it.
 */
export function createRunDeadline(options: DeadlineOptions): RunDeadline {
  const { clock } = options;
  const timers = options.timers ?? realTimers;
  const now = clock.now().getTime();
  const candidates: Array<{ at: number; why: string }> = [];
  if (options.maxMinutes !== undefined) candidates.push({ at: now + options.maxMinutes * 60_000, why: `the time budget of ${options.maxMinutes} minute(s)` });
  if (options.until) candidates.push({ at: options.until.getTime(), why: `the night's window (ends ${options.until.toISOString()})` });
  const first = candidates.sort((a, b) => a.at - b.at)[0];
  const controller = new AbortController();
  // Every call of the run (in flight, queued for a slot, backing off) listens to this one signal.
  setMaxListeners(0, controller.signal);
  let handle: unknown;
  let message: string | null = null;
  const fire = (): void => {
    if (controller.signal.aborted || !first) return;
    message = `time budget spent: the run reached its deadline (${first.why})`;
    controller.abort(
      new SkillOptError('BUDGET_EXHAUSTED', message, {
        hint: 'raise budget.maxMinutes (--max-minutes), or let the next night continue where this one stopped',
      }),
    );
  };
  if (first) {
    const delay = first.at - now;
    if (delay <= 0) fire();
    else handle = timers.setTimeout(fire, delay);
  }
  return {
    at: first ? new Date(first.at) : null,
    signal: controller.signal,
    remainingMs: () => {
      if (!first) return Number.POSITIVE_INFINITY;
      if (controller.signal.aborted) return 0;
      return Math.max(0, first.at - clock.now().getTime());
    },
    passed: () => {
      if (!first) return false;
      if (!controller.signal.aborted && clock.now().getTime() >= first.at) fire();
      return controller.signal.aborted;
    },
    reason: () => message,
    dispose: () => {
      if (handle !== undefined) timers.clearTimeout(handle);
      handle = undefined;
    },
  };
}

function deadlineError(deadline: RunDeadline, who: string, cause?: unknown): SkillOptError {
  const reason = deadline.signal.reason as SkillOptError | undefined;
  return new SkillOptError('BUDGET_EXHAUSTED', `${who}: ${reason?.message ?? 'the run reached its deadline'}`, {
    ...(reason?.hint ? { hint: reason.hint } : {}),
    ...(cause !== undefined ? { cause } : {}),
  });
}

/**
 * Tie every call to the run's deadline: a call after it is refused, a call in flight when it passes is aborted
 * (the race ends it even when the backend ignores its signal), and the failure says BUDGET_EXHAUSTED, not CANCELLED.
 */
export function withDeadline(inner: ModelBackend, deadline: RunDeadline): ModelBackend {
  return {
    backend: inner.backend,
    model: inner.model,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const who = `${inner.backend} (${request.model ?? inner.model})`;
      if (request.signal?.aborted) throw new SkillOptError('CANCELLED', `${who}: the call was cancelled`);
      if (deadline.passed()) throw deadlineError(deadline, who);
      const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
      let onAbort: (() => void) | undefined;
      const guard = new Promise<never>((_, reject) => {
        onAbort = () => reject(deadlineError(deadline, who));
        deadline.signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        return await Promise.race([inner.complete({ ...request, signal }), guard]);
      } catch (error) {
        if (deadline.signal.aborted && !request.signal?.aborted) {
          throw error instanceof SkillOptError && error.code === 'BUDGET_EXHAUSTED' ? error : deadlineError(deadline, who, error);
        }
        throw error;
      } finally {
        if (onAbort) deadline.signal.removeEventListener('abort', onAbort);
      }
    },
  };
}
