// One night at a time across the CLI, the daemon and agents: the lock is a row in the state database,
// taken in an IMMEDIATE transaction, so it needs no lock file that a crash could leave behind unreadable.
import { hostname } from 'node:os';
import { SkillOptError } from '../core/errors.js';
import type { Db } from '../store/db.js';
import { acquireNightLock, releaseNightLock, type LockHolder } from '../store/nights-repo.js';

/** Who this process is, and how to tell whether another holder still runs. */
export interface ProcessInfo {
  pid: number;
  host: string;
  isAlive(pid: number, host: string): boolean;
}

/** The real process: alive means `kill(pid, 0)` succeeds or is refused (EPERM); another host is assumed alive. */
export function currentProcess(): ProcessInfo {
  const host = hostname();
  return {
    pid: process.pid,
    host,
    isAlive: (pid, otherHost) => {
      if (otherHost !== host) return true;
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
  };
}

/** A held lock: the night it opened, the stale holder it replaced, and release. */
export interface NightLock {
  nightId: number;
  recovered: LockHolder | null;
  release(): void;
}

/** Take the lock and open a night, or throw LOCKED naming the live holder and what to do. */
export function takeNightLock(db: Db, me: ProcessInfo, request: { holder: string; trigger: string; dryRun: boolean; config: unknown }, now: string): NightLock {
  const result = acquireNightLock(db, { pid: me.pid, host: me.host, holder: request.holder, trigger: request.trigger, dryRun: request.dryRun, config: request.config }, (pid, host) => me.isAlive(pid, host), now);
  if (!result.ok) {
    const h = result.heldBy;
    throw new SkillOptError('LOCKED', `night ${h.nightId ?? '?'} is already running (${h.holder}, pid ${h.pid} on ${h.host}, since ${h.acquiredAt})`, {
      hint: 'wait for it to finish (`skillopt-sleep status` shows it); a lock left by a process that died is recovered by the next run',
    });
  }
  return { nightId: result.nightId, recovered: result.recovered, release: () => releaseNightLock(db, result.nightId) };
}
