import { describe, expect, it } from 'vitest';
import { openDatabase } from '../store/db.js';
import { getNight, readNightLock } from '../store/nights-repo.js';
import { takeNightLock, type ProcessInfo } from './lock.js';

const proc = (pid: number, alive: Set<number>): ProcessInfo => ({ pid, host: 'h', isAlive: (p) => alive.has(p) });
const req = { holder: 'cli', trigger: 'now', dryRun: false, config: {} };

describe('night lock', () => {
  it('gives one night at a time and names the live holder', () => {
    const db = openDatabase(':memory:');
    const alive = new Set([100, 200]);
    const first = takeNightLock(db, proc(100, alive), req, '2026-01-01T03:00:00Z');
    expect(() => takeNightLock(db, proc(200, alive), req, '2026-01-01T03:01:00Z')).toThrow(/night 1 is already running \(cli, pid 100 on h, since 2026-01-01T03:00:00Z\)/);
    first.release();
    expect(readNightLock(db)).toBeUndefined();
    expect(takeNightLock(db, proc(200, alive), req, '2026-01-01T03:02:00Z').nightId).toBe(2);
  });

  it('recovers a lock left by a dead process and marks its night interrupted', () => {
    const db = openDatabase(':memory:');
    const alive = new Set([200]);
    takeNightLock(db, proc(100, new Set([100])), req, '2026-01-01T03:00:00Z');
    const next = takeNightLock(db, proc(200, alive), req, '2026-01-01T04:00:00Z');
    expect(next.recovered).toMatchObject({ pid: 100, nightId: 1 });
    expect(getNight(db, 1)).toMatchObject({ status: 'interrupted', finishedAt: '2026-01-01T04:00:00Z' });
    expect(getNight(db, 2)?.status).toBe('running');
  });

  it('release does not drop a lock another night took over', () => {
    const db = openDatabase(':memory:');
    const stale = takeNightLock(db, proc(100, new Set([100])), req, '2026-01-01T03:00:00Z');
    takeNightLock(db, proc(200, new Set([200])), req, '2026-01-01T04:00:00Z');
    stale.release();
    expect(readNightLock(db)?.pid).toBe(200);
  });
});
