import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../core/clock.js';
import { SkillOptError } from '../../core/errors.js';
import { openDatabase, type Db } from '../../store/db.js';
import { createCacheRepo } from '../../store/cache-repo.js';
import { decorateBackend } from './compose.js';
import { createNightBudget } from './budget.js';
import { createCallLedger } from './accounting.js';
import { createLimiter } from './limiter.js';
import { createFakeBackend } from './fake-backend.js';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'compose-'));
  db = openDatabase(join(dir, 'sleep.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const rollout = { system: 's', user: 'u', purpose: 'rollout' as const, sampleIndex: 0 };

describe('decorateBackend', () => {
  it('charges a retried call once, serves the repeat from the cache for free, and the ledger sees both', async () => {
    const clock = fixedClock('2026-01-01T03:00:00Z');
    const inner = createFakeBackend([new SkillOptError('UNAVAILABLE', 'blip'), { usage: { input: 30, output: 10 }, costUsd: 0.01 }]);
    const budget = createNightBudget({ maxTokens: 1000 }, clock);
    const ledger = createCallLedger({ clock });
    const waits: number[] = [];
    const backend = decorateBackend(
      inner,
      { retry: { baseMs: 100 }, limiter: { concurrency: 2 }, timeoutMs: 60_000, budget: { budget }, cache: { store: createCacheRepo(db), options: { enabled: true } }, ledger },
      { clock, sleep: async (ms) => void waits.push(ms), random: () => 0.5 },
    );
    const first = await backend.complete(rollout);
    const second = await backend.complete(rollout);
    expect(first.cached).toBeUndefined();
    expect(second.cached).toBe(true);
    expect(inner.requests).toHaveLength(2);
    expect(waits).toEqual([50]);
    expect(budget.snapshot().used).toMatchObject({ calls: 1, tokens: 40 });
    expect(ledger.summary().total).toMatchObject({ calls: 2, cachedCalls: 1, inputTokens: 30, costUsd: 0.01 });
  });

  it('refuses past the hard ceiling before taking a limiter slot', async () => {
    const clock = fixedClock('2026-01-01T03:00:00Z');
    const budget = createNightBudget({ maxTokens: 10 }, clock);
    budget.charge({ text: '', usage: { input: 100, output: 0 }, backend: 'fake', model: 'm', costUsd: 0 });
    const limiter = createLimiter(1);
    const inner = createFakeBackend();
    const backend = decorateBackend(inner, { limiter, budget: { budget, hardCeiling: 1.25 } }, { clock });
    await expect(backend.complete(rollout)).rejects.toMatchObject({ code: 'BUDGET_EXHAUSTED' });
    expect(inner.requests).toHaveLength(0);
    expect(limiter.stats().active).toBe(0);
  });

  it('applies the timeout per attempt, so a slow first attempt is retried', async () => {
    const clock = fixedClock('2026-01-01T03:00:00Z');
    const inner = createFakeBackend([() => new Promise(() => undefined), { text: 'second try' }]);
    const backend = decorateBackend(inner, { timeoutMs: 20, retry: { baseMs: 1 } }, { clock, sleep: async () => undefined });
    expect((await backend.complete(rollout)).text).toBe('second try');
    expect(inner.requests).toHaveLength(2);
  });

  it('keeps the backend and model names of the inner backend', () => {
    const backend = decorateBackend(createFakeBackend([], { backend: 'anthropic', model: 'claude-x' }), {}, { clock: fixedClock('2026-01-01T00:00:00Z') });
    expect([backend.backend, backend.model]).toEqual(['anthropic', 'claude-x']);
  });
});
