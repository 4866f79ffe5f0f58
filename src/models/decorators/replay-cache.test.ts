import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../core/clock.js';
import { openDatabase, type Db } from '../../store/db.js';
import { createCacheRepo } from '../../store/cache-repo.js';
import { withReplayCache, replayKey, replayKeyParts } from './replay-cache.js';
import { createFakeBackend, type FakeStep } from './fake-backend.js';
import type { ChatRequest } from '../types.js';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'replay-cache-'));
  db = openDatabase(join(dir, 'sleep.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const base: ChatRequest = { system: 'sys', user: 'task', purpose: 'rollout', skill: { name: 's', text: 'skill v1' }, temperature: 0.7, sampleIndex: 0 };

function setup(steps: FakeStep[] = [{ text: 'first' }, { text: 'second' }, { text: 'third' }]) {
  const clock = fixedClock('2026-01-01T03:00:00Z');
  const inner = createFakeBackend(steps);
  const cached = withReplayCache(inner, createCacheRepo(db), { enabled: true, ttlDays: 7 }, clock);
  return { clock, inner, cached };
}

describe('withReplayCache', () => {
  it('serves a repeat from SQLite with cached: true and no provider call', async () => {
    const { inner, cached } = setup();
    const miss = await cached.complete(base);
    const hit = await cached.complete({ ...base });
    expect(miss.cached).toBeUndefined();
    expect(hit).toMatchObject({ text: 'first', cached: true, usage: { input: 10, output: 5 } });
    expect(inner.requests).toHaveLength(1);
    expect(cached.stats()).toMatchObject({ hits: 1, misses: 1, writes: 1 });
    const row = db.prepare('SELECT backend, model, sample_index, response_json FROM replay_cache').get() as Record<string, unknown>;
    expect(row).toMatchObject({ backend: 'fake', model: 'fake-model', sample_index: 0 });
    expect(JSON.parse(row.response_json as string)).not.toHaveProperty('cached');
  });

  it.each<[string, Partial<ChatRequest>]>([
    ['skill text', { skill: { name: 's', text: 'skill v2' } }],
    ['sample index', { sampleIndex: 1 }],
    ['model', { model: 'other' }],
    ['temperature', { temperature: 0 }],
    ['max tokens', { maxTokens: 50 }],
    ['schema', { jsonSchema: { name: 'x', schema: { type: 'object' } } }],
    ['user text', { user: 'another task' }],
    ['system text', { system: 'other system' }],
  ])('misses when the %s differs', async (_label, change) => {
    const { inner, cached } = setup();
    await cached.complete(base);
    await cached.complete({ ...base, ...change });
    expect(inner.requests).toHaveLength(2);
  });

  it('keys on the schema content, not only its name', () => {
    const a = replayKey(replayKeyParts({ ...base, jsonSchema: { name: 'x', schema: { a: 1 } } }, 'b', 'm'));
    const b = replayKey(replayKeyParts({ ...base, jsonSchema: { name: 'x', schema: { a: 2 } } }, 'b', 'm'));
    expect(a).not.toBe(b);
  });

  it('ignores and replaces rows older than the ttl', async () => {
    const { clock, inner, cached } = setup();
    await cached.complete(base);
    clock.advance(8 * 24 * 3600 * 1000);
    const refreshed = await cached.complete(base);
    expect(refreshed.text).toBe('second');
    expect(cached.stats()).toMatchObject({ expired: 1, misses: 2, hits: 0 });
    const again = await cached.complete(base);
    expect(again).toMatchObject({ text: 'second', cached: true });
    expect(inner.requests).toHaveLength(2);
    expect((db.prepare('SELECT COUNT(*) AS n FROM replay_cache').get() as { n: number }).n).toBe(1);
  });

  it('bypasses purposes that are not cached, calls without a purpose, and a disabled cache', async () => {
    const { inner, cached } = setup();
    await cached.complete({ ...base, purpose: 'reflect' });
    await cached.complete({ ...base, purpose: 'reflect' });
    const { purpose: _p, ...noPurpose } = base;
    await cached.complete(noPurpose);
    expect(inner.requests).toHaveLength(3);
    const off = withReplayCache(createFakeBackend(), createCacheRepo(db), { enabled: false }, fixedClock('2026-01-01T00:00:00Z'));
    await off.complete(base);
    await off.complete(base);
    expect(off.stats()).toMatchObject({ bypassed: 2, hits: 0 });
  });

  it('never caches an error', async () => {
    const { inner, cached } = setup([new Error('boom'), { text: 'fine' }]);
    await expect(cached.complete(base)).rejects.toThrow('boom');
    expect((await cached.complete(base)).text).toBe('fine');
    expect(inner.requests).toHaveLength(2);
  });

  it('survives a reopened database (a later night reuses the rows)', async () => {
    const { cached } = setup();
    await cached.complete(base);
    db.close();
    db = openDatabase(join(dir, 'sleep.db'));
    const inner2 = createFakeBackend([{ text: 'should not be called' }]);
    const reopened = withReplayCache(inner2, createCacheRepo(db), { enabled: true }, fixedClock('2026-01-02T03:00:00Z'));
    expect((await reopened.complete(base)).text).toBe('first');
    expect(inner2.requests).toHaveLength(0);
  });
});
