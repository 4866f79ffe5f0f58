import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../core/clock.js';
import { acquireWriteLock, withWriteLock } from './write-lock.js';

const dirs: string[] = [];
const lockPath = () => {
  const dir = mkdtempSync(join(tmpdir(), 'write-lock-'));
  dirs.push(dir);
  return join(dir, 'write.lock');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('write lock', () => {
  it('refuses a second writer while the first lives, naming its command and pid, and frees on release', async () => {
    const path = lockPath();
    const clock = fixedClock('2026-01-01T03:00:00Z');
    const first = await acquireWriteLock(path, 'harvest', { pid: 111, clock, isAlive: () => true });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ pid: 111, command: 'harvest', startedAt: '2026-01-01T03:00:00.000Z' });
    const refused = await acquireWriteLock(path, 'mine', { pid: 222, clock, isAlive: () => true }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'LOCKED' });
    expect((refused as Error).message).toBe('another harvest is writing to the state folder (pid 111, since 2026-01-01T03:00:00.000Z), so this mine did not start');
    expect((refused as { hint: string }).hint).toContain('kill 111');
    first.release();
    expect(existsSync(path)).toBe(false);
    const second = await acquireWriteLock(path, 'mine', { pid: 222, clock, isAlive: () => true });
    expect(second.holder.pid).toBe(222);
  });

  it('takes over a lock whose process is gone, or whose file is torn', async () => {
    const path = lockPath();
    const clock = fixedClock('2026-01-01T03:00:00Z');
    writeFileSync(path, JSON.stringify({ pid: 999_999, command: 'harvest', startedAt: 'x' }));
    const lock = await acquireWriteLock(path, 'harvest', { pid: 5, clock, isAlive: (pid) => pid !== 999_999 });
    expect(lock.holder.pid).toBe(5);
    lock.release();
    writeFileSync(path, '{"pid": 12');
    expect((await acquireWriteLock(path, 'mine', { pid: 6, clock, isAlive: () => true })).holder.pid).toBe(6);
  });

  it('waits for the other writer up to waitMs, then runs; release happens even when fn throws', async () => {
    const path = lockPath();
    const clock = fixedClock('2026-01-01T03:00:00Z');
    const other = await acquireWriteLock(path, 'harvest', { pid: 1, clock, isAlive: () => true });
    let slept = 0;
    const sleep = async (ms: number) => {
      slept += ms;
      clock.advance(ms);
      if (slept >= 500) other.release();
    };
    const result = await withWriteLock(path, 'mine', { pid: 2, clock, isAlive: () => true, sleep }, () => 'done', { waitMs: 2000 });
    expect(result).toBe('done');
    expect(slept).toBe(500);
    await expect(withWriteLock(path, 'mine', { pid: 2, clock }, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(path)).toBe(false);
  });
});
