import { describe, it, expect } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { createNightBudget, withBudget } from './budget.js';
import { createFakeBackend } from './fake-backend.js';

const request = { system: '', user: 'u' };

describe('createNightBudget', () => {
  it('is exhausted at 1x the token limit and names why', () => {
    const budget = createNightBudget({ maxTokens: 100 }, fixedClock('2026-01-01T03:00:00Z'));
    budget.charge({ text: '', usage: { input: 60, output: 30 }, backend: 'b', model: 'm', costUsd: 0 });
    expect(budget.exhausted()).toEqual({ exhausted: false });
    budget.charge({ text: '', usage: { input: 5, output: 5 }, backend: 'b', model: 'm', costUsd: 0 });
    expect(budget.exhausted()).toEqual({ exhausted: true, reason: 'token budget spent: 100 of 100 tokens' });
    expect(budget.snapshot().used).toMatchObject({ calls: 2, tokens: 100, inputTokens: 65, outputTokens: 35 });
  });

  it('tracks time through the clock', () => {
    const clock = fixedClock('2026-01-01T03:00:00Z');
    const budget = createNightBudget({ maxMinutes: 30 }, clock);
    clock.advance(29 * 60_000);
    expect(budget.exhausted().exhausted).toBe(false);
    clock.advance(60_000);
    expect(budget.exhausted().reason).toContain('time budget spent');
  });

  it('fails closed on calls without a price when a cost limit is set, and says so', () => {
    const budget = createNightBudget({ maxCostUsd: 5 }, fixedClock('2026-01-01T00:00:00Z'));
    budget.charge({ text: '', usage: { input: 1, output: 1 }, backend: 'codex-cli', model: 'm' });
    expect(budget.exhausted().exhausted).toBe(true);
    expect(budget.snapshot().note).toContain('1 call(s) had no known price');
    const lenient = createNightBudget({ maxCostUsd: 5, allowUnpricedCalls: true }, fixedClock('2026-01-01T00:00:00Z'));
    lenient.charge({ text: '', usage: { input: 1, output: 1 }, backend: 'codex-cli', model: 'm' });
    expect(lenient.exhausted().exhausted).toBe(false);
    expect(lenient.snapshot().used.unpricedCalls).toBe(1);
  });

  it('does not charge replay-cache hits', () => {
    const budget = createNightBudget({ maxTokens: 10 }, fixedClock('2026-01-01T00:00:00Z'));
    budget.charge({ text: '', usage: { input: 100, output: 100 }, backend: 'b', model: 'm', cached: true });
    expect(budget.snapshot().used.calls).toBe(0);
    expect(budget.exhausted().exhausted).toBe(false);
  });
});

describe('withBudget', () => {
  it('lets calls run between 1x and the hard ceiling, then refuses new ones', async () => {
    const budget = createNightBudget({ maxTokens: 4000 }, fixedClock('2026-01-01T00:00:00Z'));
    const inner = createFakeBackend([{ usage: { input: 1000, output: 0 } }]);
    const guarded = withBudget(inner, budget, { hardCeiling: 1.25 });
    for (let i = 0; i < 4; i++) await guarded.complete(request); // 4000: at 1x
    expect(budget.exhausted().exhausted).toBe(true);
    await guarded.complete(request); // 4000 + its estimate < 5000: the step in flight may finish
    const refused = await guarded.complete(request).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'BUDGET_EXHAUSTED' });
    expect((refused as Error).message).toMatch(/5000 \(\+\d+ reserved for calls in flight or starting\) of 4000 tokens/);
    expect(inner.requests).toHaveLength(5);
  });

  it('keeps the ceiling hard when many calls start at once (each reserves its estimate)', async () => {
    const budget = createNightBudget({ maxTokens: 4000 }, fixedClock('2026-01-01T00:00:00Z'));
    const inner = createFakeBackend([{ usage: { input: 400, output: 100 } }]);
    const guarded = withBudget(inner, budget, { hardCeiling: 1.25 });
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => guarded.complete(request)));
    const done = results.filter((r) => r.status === 'fulfilled').length;
    expect(done).toBeLessThan(40);
    expect(budget.snapshot().used.tokens).toBeLessThanOrEqual(5000);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 'BUDGET_EXHAUSTED')).toBe(true);
  });

  it('counts a cost in dollars', async () => {
    const budget = createNightBudget({ maxCostUsd: 0.01 }, fixedClock('2026-01-01T00:00:00Z'));
    const guarded = withBudget(createFakeBackend([{ costUsd: 0.006 }]), budget);
    await guarded.complete(request);
    await guarded.complete(request);
    await guarded.complete(request); // 0.018 >= 0.0125
    await expect(guarded.complete(request)).rejects.toMatchObject({ code: 'BUDGET_EXHAUSTED' });
    expect(budget.snapshot().used.costUsd).toBeCloseTo(0.018);
  });
});
