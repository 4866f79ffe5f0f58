import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunModels } from './backends.js';
import { defaultConfig } from '../config/config.js';
import { fixedClock } from '../core/clock.js';
import { openDatabase } from '../store/db.js';

describe('createRunModels', () => {
  const request = { system: 'skill: wrap the final answer in <answer>...</answer> tags', user: 'q', purpose: 'rollout' as const, sampleIndex: 0, skill: { name: 's', text: 'Always wrap the final answer in <answer>...</answer> tags.' } };
  const lookup = () => ({ answer: 'forty-two' });

  it('serves a repeated rollout from the replay cache, but never across simulator settings', async () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'sos-factory-')), 'sleep.db'));
    const clock = fixedClock('2026-11-22T03:00:00Z');
    const ctx = { env: {}, tmpDir: tmpdir(), clock, db, simulationLookup: lookup };
    const first = createRunModels(defaultConfig(), ctx);
    await first.target.complete(request);
    await first.target.complete(request);
    expect(first.cacheStats()).toEqual({ hits: 1, misses: 1 });
    const noisy = defaultConfig();
    noisy.target.simulated = { followRate: 0.5 };
    const second = createRunModels(noisy, ctx);
    await second.target.complete(request);
    expect(second.cacheStats()).toEqual({ hits: 0, misses: 1 });
    expect(first.ledger.summary().total).toMatchObject({ calls: 2, cachedCalls: 1 });
  });
});
