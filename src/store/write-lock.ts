import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { SkillOptError } from '../core/errors.js';
import { processAlive } from '../core/process.js';
import type { Clock } from '../core/clock.js';

/** Who holds the write lock, as written in the lock file. */
export interface WriteLockHolder {
  pid: number;
  /** What is writing: harvest, mine, night, daemon. */
  command: string;
  startedAt: string;
}

/** The process facts the lock needs, injected so tests can play another live or dead process. */
export interface WriteLockDeps {
  pid: number;
  clock: Clock;
  /** True when a process with this pid is running (default: signal 0). */
  isAlive?: (pid: number) => boolean;
  /** For waitMs: resolve after ms (default: a real timer). */
  sleep?: (ms: number) => Promise<void>;
}

/** A held lock; release() removes the file only if it is still ours. */
export interface WriteLock {
  holder: WriteLockHolder;
  release(): void;
}

function readHolder(path: string): WriteLockHolder | null {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<WriteLockHolder>;
    return typeof value.pid === 'number' && typeof value.command === 'string' ? { pid: value.pid, command: value.command, startedAt: String(value.startedAt ?? '') } : null;
  } catch {
    return null;
  }
}

function tryCreate(path: string, holder: WriteLockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Take the state folder's write lock (a file holding pid, command and start time, created exclusively), so two
 * writers (the daemon and a manual `harvest`, two `mine`s) never interleave. A lock left by a dead process is taken
 * over. When another live process holds it, wait up to `waitMs` (default 0), then fail with LOCKED naming its pid.
 * SQLite's BEGIN IMMEDIATE with a busy timeout still guards each transaction; this lock makes the refusal plain.
 */
export async function acquireWriteLock(path: string, command: string, deps: WriteLockDeps, options: { waitMs?: number } = {}): Promise<WriteLock> {
  const isAlive = deps.isAlive ?? processAlive;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = deps.clock.now().getTime();
  const holder: WriteLockHolder = { pid: deps.pid, command, startedAt: deps.clock.now().toISOString() };
  for (;;) {
    if (tryCreate(path, holder)) break;
    const other = readHolder(path);
    if (other === null || other.pid === deps.pid || !isAlive(other.pid)) {
      // Stale (its process is gone), torn (a crash mid-write) or our own: take it over.
      rmSync(path, { force: true });
      if (tryCreate(path, holder)) break;
      continue;
    }
    const waited = deps.clock.now().getTime() - started;
    if (waited < (options.waitMs ?? 0)) {
      await sleep(Math.min(250, (options.waitMs ?? 0) - waited));
      continue;
    }
    throw new SkillOptError('LOCKED', `another ${other.command} is writing to the state folder (pid ${other.pid}, since ${other.startedAt || 'an unknown time'}), so this ${command} did not start`, {
      hint: `wait for it to finish and run again (the daemon harvests and mines on its own), or stop it: kill ${other.pid}; the lock is ${path}`,
    });
  }
  return {
    holder,
    release: () => {
      const current = readHolder(path);
      if (current && current.pid === holder.pid && current.startedAt === holder.startedAt) rmSync(path, { force: true });
    },
  };
}

/** Run fn holding the write lock; the lock is released however fn ends. */
export async function withWriteLock<T>(path: string, command: string, deps: WriteLockDeps, fn: () => Promise<T> | T, options: { waitMs?: number } = {}): Promise<T> {
  const lock = await acquireWriteLock(path, command, deps, options);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/** True when an error is SQLite's "database is locked/busy": another connection holds the write transaction. */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}
