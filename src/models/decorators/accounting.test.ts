import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../core/clock.js';
import { SkillOptError } from '../../core/errors.js';
import { openDatabase } from '../../store/db.js';
import { createCallsRepo } from '../../store/calls-repo.js';
import { createCallLedger, withLedger } from './accounting.js';
import { createFakeBackend } from './fake-backend.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('call ledger', () => {
  it('sums calls, tokens and cost per purpose and backend, and counts errors and unpriced calls', async () => {
    const clock = fixedClock('2026-01-01T03:00:00Z');
    const ledger = createCallLedger({ clock });
    const target = withLedger(
      createFakeBackend([{ usage: { input: 100, output: 10 }, costUsd: 0.5 }, { usage: { input: 50, output: 5, estimated: true }, costUsd: undefined }, new SkillOptError('RATE_LIMITED', 'x')], { backend: 'openai' }),
      ledger,
      clock,
    );
    await target.complete({ system: '', user: 'a', purpose: 'rollout' });
    await target.complete({ system: '', user: 'b', purpose: 'judge' });
    await expect(target.complete({ system: '', user: 'c', purpose: 'rollout' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    const summary = ledger.summary();
    expect(summary.total).toEqual({ calls: 3, cachedCalls: 0, errors: 1, inputTokens: 150, outputTokens: 15, costUsd: 0.5, unpricedCalls: 1, estimatedCalls: 1 });
    expect(summary.byPurpose.rollout).toMatchObject({ calls: 2, errors: 1, inputTokens: 100 });
    expect(summary.byPurpose.judge).toMatchObject({ calls: 1, inputTokens: 50, unpricedCalls: 1 });
    expect(summary.byBackend.openai?.calls).toBe(3);
  });

  it('writes each call to model_calls', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'sleep.db'));
    const clock = fixedClock('2026-01-01T03:00:00Z');
    const ledger = createCallLedger({ sink: createCallsRepo(db), clock });
    const target = withLedger(createFakeBackend([{}, new SkillOptError('AUTH', 'no key')]), ledger, clock);
    await target.complete({ system: '', user: 'a', purpose: 'reflect' });
    await target.complete({ system: '', user: 'b' }).catch(() => undefined);
    ledger.record({ backend: 'fake', model: 'fake-model', purpose: 'rollout', inputTokens: 9, outputTokens: 9, estimated: false, cached: true, costUsd: 1, durationMs: 0, errorCode: undefined });
    const rows = db.prepare('SELECT backend, purpose, input_tokens, output_tokens, cached, cost_usd, error_code, created_at FROM model_calls ORDER BY id').all();
    db.close();
    expect(rows).toEqual([
      { backend: 'fake', purpose: 'reflect', input_tokens: 10, output_tokens: 5, cached: 0, cost_usd: 0.001, error_code: null, created_at: '2026-01-01T03:00:00.000Z' },
      { backend: 'fake', purpose: null, input_tokens: 0, output_tokens: 0, cached: 0, cost_usd: null, error_code: 'AUTH', created_at: '2026-01-01T03:00:00.000Z' },
      { backend: 'fake', purpose: 'rollout', input_tokens: 0, output_tokens: 0, cached: 1, cost_usd: 0, error_code: null, created_at: '2026-01-01T03:00:00.000Z' },
    ]);
  });
});
