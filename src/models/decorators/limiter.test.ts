import { describe, it, expect } from 'vitest';
import { createLimiter, withLimiter } from './limiter.js';
import { createFakeBackend } from './fake-backend.js';
import { SkillOptError } from '../../core/errors.js';
import type { ChatResponse } from '../types.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const reply = (text: string): ChatResponse => ({ text, usage: { input: 1, output: 1 }, backend: 'fake', model: 'm' });

describe('withLimiter', () => {
  it('never has more than N calls in flight and starts queued calls in FIFO order', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const inner = createFakeBackend([
      async (request) => {
        started.push(request.user);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const gate = deferred();
        gates.set(request.user, gate);
        await gate.promise;
        inFlight -= 1;
        return reply(request.user);
      },
    ]);
    const limited = withLimiter(inner, { concurrency: 3 });
    const users = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const all = Promise.all(users.map((user) => limited.complete({ system: '', user })));
    // Release calls one by one as they start; each release lets exactly one queued call in.
    for (let i = 0; i < users.length; i++) {
      while (!gates.has(users[i] as string)) await new Promise((r) => setImmediate(r));
      expect(inFlight).toBeLessThanOrEqual(3);
      gates.get(users[i] as string)?.resolve();
    }
    const replies = await all;
    expect(replies.map((r) => r.text)).toEqual(users);
    expect(maxInFlight).toBe(3);
    expect(started).toEqual(users);
  });

  it('removes a cancelled waiter from the queue without calling the backend', async () => {
    const limiter = createLimiter(1);
    const hold = deferred();
    const inner = createFakeBackend([
      async (request) => {
        if (request.user === 'first') await hold.promise;
        return reply(request.user);
      },
    ]);
    const limited = withLimiter(inner, limiter);
    const first = limited.complete({ system: '', user: 'first' });
    const controller = new AbortController();
    const second = limited.complete({ system: '', user: 'second', signal: controller.signal });
    const third = limited.complete({ system: '', user: 'third' });
    await new Promise((r) => setImmediate(r));
    expect(limiter.stats()).toEqual({ active: 1, queued: 2, concurrency: 1 });
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(limiter.stats().queued).toBe(1);
    hold.resolve();
    expect((await first).text).toBe('first');
    expect((await third).text).toBe('third');
    expect(inner.requests.map((r) => r.user)).toEqual(['first', 'third']);
    expect(limiter.stats()).toEqual({ active: 0, queued: 0, concurrency: 1 });
  });

  it('frees the slot when a call fails', async () => {
    const limiter = createLimiter(1);
    const limited = withLimiter(createFakeBackend([new Error('boom'), {}]), limiter);
    await expect(limited.complete({ system: '', user: 'x' })).rejects.toThrow('boom');
    expect((await limited.complete({ system: '', user: 'y' })).text).toBe('ok');
    expect(limiter.stats().active).toBe(0);
  });

  it('refuses a concurrency below 1', () => {
    expect(() => createLimiter(0)).toThrowError(expect.objectContaining({ code: 'CONFIG' }));
  });
});

describe('adaptive concurrency', () => {
  it('halves on a rate limit, never below 1, and grows back by one after a round of successes', () => {
    const limiter = createLimiter(8);
    limiter.onRateLimited();
    expect(limiter.stats().concurrency).toBe(4);
    limiter.onRateLimited();
    limiter.onRateLimited();
    limiter.onRateLimited();
    expect(limiter.stats().concurrency).toBe(1);
    limiter.onSuccess();
    expect(limiter.stats().concurrency).toBe(2);
    limiter.onSuccess();
    expect(limiter.stats().concurrency).toBe(2);
    limiter.onSuccess();
    expect(limiter.stats().concurrency).toBe(3);
    for (let i = 0; i < 100; i++) limiter.onSuccess();
    expect(limiter.stats().concurrency).toBe(8);
  });

  it('lets fewer calls in after a 429 and more again as calls succeed', async () => {
    const limiter = createLimiter(4);
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    const inner = createFakeBackend([
      async (request) => {
        calls += 1;
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight -= 1;
        if (calls === 1) throw new SkillOptError('RATE_LIMITED', 'slow down');
        return reply(request.user);
      },
    ]);
    const limited = withLimiter(inner, limiter);
    await limited.complete({ system: '', user: 'first' }).catch(() => undefined);
    expect(limiter.stats().concurrency).toBe(2);
    maxInFlight = 0;
    await Promise.all(Array.from({ length: 6 }, (_, i) => limited.complete({ system: '', user: String(i) })));
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(limiter.stats().concurrency).toBeGreaterThan(2);
  });
});
