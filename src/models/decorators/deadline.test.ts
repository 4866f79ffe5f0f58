import { describe, it, expect } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { SkillOptError } from '../../core/errors.js';
import { createRunDeadline, withDeadline, type DeadlineTimers } from './deadline.js';
import { createFakeBackend } from './fake-backend.js';
import { withRetry } from './retry.js';
import { withLimiter } from './limiter.js';
import { withTimeout } from './timeout.js';

/** Timers fired by hand: fire() runs what is due. */
function manualTimers(): DeadlineTimers & { fire(): void; pending: number } {
  const due: Array<() => void> = [];
  return {
    setTimeout: (fn) => {
      due.push(fn);
      return due.length;
    },
    clearTimeout: () => undefined,
    fire: () => due.splice(0).forEach((fn) => fn()),
    get pending() {
      return due.length;
    },
  };
}

const never = () => new Promise<never>(() => undefined);

describe('createRunDeadline', () => {
  it('is the earlier of the time budget and the window end, and says which', () => {
    const clock = fixedClock('2026-01-01T03:00:00Z');
    const deadline = createRunDeadline({ maxMinutes: 30, until: new Date('2026-01-01T03:10:00Z'), clock, timers: manualTimers() });
    expect(deadline.at?.toISOString()).toBe('2026-01-01T03:10:00.000Z');
    expect(deadline.remainingMs()).toBe(600_000);
    clock.advance(600_000);
    expect(deadline.passed()).toBe(true);
    expect(deadline.reason()).toContain("the night's window");
    expect(deadline.signal.reason).toMatchObject({ code: 'BUDGET_EXHAUSTED' });
  });

  it('never passes without limits', () => {
    const deadline = createRunDeadline({ clock: fixedClock('2026-01-01T03:00:00Z') });
    expect(deadline.at).toBeNull();
    expect(deadline.remainingMs()).toBe(Number.POSITIVE_INFINITY);
    expect(deadline.passed()).toBe(false);
  });
});

describe('withDeadline', () => {
  it('aborts a call in flight that never answers, even one that ignores its signal, as BUDGET_EXHAUSTED', async () => {
    const timers = manualTimers();
    const deadline = createRunDeadline({ maxMinutes: 1, clock: fixedClock('2026-01-01T03:00:00Z'), timers });
    const inner = createFakeBackend([never]);
    const call = withDeadline(inner, deadline).complete({ system: '', user: 'u' });
    timers.fire();
    await expect(call).rejects.toMatchObject({ code: 'BUDGET_EXHAUSTED', message: expect.stringContaining('time budget spent') });
    await expect(withDeadline(inner, deadline).complete({ system: '', user: 'later' })).rejects.toMatchObject({ code: 'BUDGET_EXHAUSTED' });
    expect(inner.requests).toHaveLength(1);
  });

  it('ends retries waiting out a back-off and calls queued for a slot at the same moment', async () => {
    const timers = manualTimers();
    const deadline = createRunDeadline({ maxMinutes: 1, clock: fixedClock('2026-01-01T03:00:00Z'), timers });
    const slow = createFakeBackend([never]);
    const limited = withDeadline(withLimiter(withRetry(withTimeout(slow, { timeoutMs: 180_000 }), {}), { concurrency: 1 }), deadline);
    const first = limited.complete({ system: '', user: 'in flight' });
    const queued = limited.complete({ system: '', user: 'queued' });
    const flaky = createFakeBackend([new SkillOptError('RATE_LIMITED', '429')]);
    const backingOff = withDeadline(withRetry(flaky, { baseMs: 60_000, maxMs: 60_000 }, { random: () => 0.99 }), deadline).complete({ system: '', user: 'retry' });
    await new Promise((r) => setImmediate(r));
    timers.fire();
    const results = await Promise.allSettled([first, queued, backingOff]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as SkillOptError).code : 'ok'))).toEqual(['BUDGET_EXHAUSTED', 'BUDGET_EXHAUSTED', 'BUDGET_EXHAUSTED']);
    expect(slow.requests.map((r) => r.user)).toEqual(['in flight']);
    // The inner call saw the abort, so its socket is closed, not left hanging.
    expect(slow.requests[0]?.signal?.aborted).toBe(true);
  });

  it('keeps a cancel by the person a CANCELLED, not a budget stop', async () => {
    const deadline = createRunDeadline({ maxMinutes: 1, clock: fixedClock('2026-01-01T03:00:00Z'), timers: manualTimers() });
    const controller = new AbortController();
    controller.abort();
    await expect(withDeadline(createFakeBackend(), deadline).complete({ system: '', user: 'u', signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
