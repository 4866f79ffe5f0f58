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
    const budget = createNightBudget({ maxTokens: 100 }, fixedClock('2026-01-01T00:00:00Z'));
    const inner = createFakeBackend([{ usage: { input: 40, output: 0 } }]);
    const guarded = withBudget(inner, budget, { hardCeiling: 1.25 });
    await guarded.complete(request); // 40
    await guarded.complete(request); // 80
    await guarded.complete(request); // 120: past 1x
    expect(budget.exhausted().exhausted).toBe(true);
    await guarded.complete(request); // 120 < 125, the step in flight may finish
    const refused = await guarded.complete(request).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'BUDGET_EXHAUSTED' });
    expect((refused as Error).message).toContain('160 of 100 tokens');
    expect(inner.requests).toHaveLength(4);
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
