import { describe, it, expect } from 'vitest';
import { SkillOptError, type ErrorCode } from '../../core/errors.js';
import { backoffDelay, isRetryable, sleepWithSignal, withRetry } from './retry.js';
import { createFakeBackend } from './fake-backend.js';

function modelError(code: ErrorCode, extra: { retryAfterMs?: number; retryable?: boolean } = {}): SkillOptError {
  return Object.assign(new SkillOptError(code, `fake ${code}`), extra);
}

function recorder() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

const request = { system: 's', user: 'u' };

describe('withRetry', () => {
  it('retries transient failures with full-jitter exponential backoff, then succeeds', async () => {
    const inner = createFakeBackend([modelError('UNAVAILABLE'), modelError('RATE_LIMITED'), { text: 'done' }]);
    const { waits, sleep } = recorder();
    const reply = await withRetry(inner, { baseMs: 100, maxMs: 10_000 }, { sleep, random: () => 0.5 }).complete(request);
    expect(reply.text).toBe('done');
    expect(inner.requests).toHaveLength(3);
    expect(waits).toEqual([50, 100]);
  });

  it('gives up after maxAttempts (default 4) and throws the last error', async () => {
    const inner = createFakeBackend([modelError('TIMEOUT')]);
    const { waits, sleep } = recorder();
    await expect(withRetry(inner, { baseMs: 10 }, { sleep, random: () => 0.99 }).complete(request)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(inner.requests).toHaveLength(4);
    expect(waits).toEqual([9, 19, 39]);
  });

  it('gives a rate-limited call more attempts than other failures (maxRateLimitedAttempts)', async () => {
    const inner = createFakeBackend([modelError('RATE_LIMITED')]);
    const { waits, sleep } = recorder();
    await expect(withRetry(inner, { baseMs: 1, maxRateLimitedAttempts: 7 }, { sleep, random: () => 0 }).complete(request)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(inner.requests).toHaveLength(7);
    expect(waits).toHaveLength(6);
  });

  it('does not start a wait that would end past the deadline: the provider error surfaces at once', async () => {
    const inner = createFakeBackend([modelError('RATE_LIMITED', { retryAfterMs: 2000 }), {}]);
    const { waits, sleep } = recorder();
    await expect(withRetry(inner, {}, { sleep, remainingMs: () => 1500 }).complete(request)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(waits).toEqual([]);
    const ok = createFakeBackend([modelError('RATE_LIMITED', { retryAfterMs: 1000 }), {}]);
    expect((await withRetry(ok, {}, { sleep, remainingMs: () => 1500 }).complete(request)).text).toBe('ok');
    expect(waits).toEqual([1000]);
  });

  it('waits at least the retry-after the error carries', async () => {
    const inner = createFakeBackend([modelError('RATE_LIMITED', { retryAfterMs: 5000 }), {}]);
    const { waits, sleep } = recorder();
    await withRetry(inner, { baseMs: 100 }, { sleep, random: () => 0 }).complete(request);
    expect(waits).toEqual([5000]);
  });

  it('does not wait out a retry-after longer than maxRetryAfterMs', async () => {
    const inner = createFakeBackend([modelError('RATE_LIMITED', { retryAfterMs: 3_600_000 }), {}]);
    const { waits, sleep } = recorder();
    await expect(withRetry(inner, {}, { sleep }).complete(request)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(inner.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it.each(['AUTH', 'BAD_REQUEST', 'CANCELLED', 'BUDGET_EXHAUSTED'] as const)('never retries %s, even when flagged retryable', async (code) => {
    const inner = createFakeBackend([modelError(code, { retryable: true }), {}]);
    const { sleep } = recorder();
    await expect(withRetry(inner, {}, { sleep }).complete(request)).rejects.toMatchObject({ code });
    expect(inner.requests).toHaveLength(1);
  });

  it('follows an explicit retryable flag over the code', async () => {
    expect(isRetryable(modelError('RATE_LIMITED', { retryable: false }))).toBe(false);
    expect(isRetryable(modelError('EMPTY_REPLY', { retryable: true }))).toBe(true);
    expect(isRetryable(modelError('EMPTY_REPLY'))).toBe(false);
    expect(isRetryable(new Error('plain'))).toBe(false);
  });

  it('reports each retry', async () => {
    const events: unknown[] = [];
    const inner = createFakeBackend([modelError('UNAVAILABLE'), {}]);
    await withRetry(inner, { baseMs: 8 }, { sleep: async () => undefined, random: () => 0.5, onRetry: (e) => events.push(e) }).complete(request);
    expect(events).toEqual([{ attempt: 1, delayMs: 4, code: 'UNAVAILABLE', backend: 'fake', model: 'fake-model' }]);
  });

  it('aborts promptly while waiting to retry', async () => {
    const inner = createFakeBackend([modelError('UNAVAILABLE')]);
    const controller = new AbortController();
    const pending = withRetry(inner, { baseMs: 3_600_000, maxMs: 3_600_000 }, { random: () => 1 }).complete({ ...request, signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(inner.requests).toHaveLength(1);
  });

  it('does not start when already cancelled', async () => {
    const inner = createFakeBackend();
    const controller = new AbortController();
    controller.abort();
    await expect(withRetry(inner).complete({ ...request, signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(inner.requests).toHaveLength(0);
  });
});

describe('backoffDelay', () => {
  it('caps the exponential ceiling at maxMs', () => {
    expect(backoffDelay(10, { baseMs: 1000, maxMs: 30_000 }, 0.999, undefined)).toBe(29_970);
    expect(backoffDelay(1, { baseMs: 1000, maxMs: 30_000 }, 0, 200)).toBe(200);
  });
});

describe('sleepWithSignal', () => {
  it('rejects with CANCELLED on abort', async () => {
    const controller = new AbortController();
    const pending = sleepWithSignal(3_600_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
