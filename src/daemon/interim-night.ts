import { readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Clock } from '../core/clock.js';
import { SkillOptError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import type { Logger } from '../core/logger.js';
import type { Db } from '../store/db.js';
import { processAlive } from './singleton.js';
import type { HarvestSummary, NightOutcome, NightRunner } from './services.js';

/** The night lock's content. */
interface NightLock {
  pid: number;
  startedAt: string;
  night: number | null;
}

function fileMtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function readLock(path: string): NightLock | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as NightLock;
  } catch {
    return undefined;
  }
}

/** Whoever holds the night lock runs the only live night: any night still 'running' was left by a dead process. */
function recoverNights(db: Db, clock: Clock): number {
  return db.prepare(`UPDATE nights SET status = 'interrupted', finished_at = ?, error = ? WHERE status = 'running'`).run(clock.now().toISOString(), 'the process running this night died; recovered when the next night took the lock').changes;
}

/**
 * Take the night lock (one night at a time across CLI and daemon). A lock left by a dead process is recovered:
 * its night is marked interrupted and the lock taken over; a live holder gives a LOCKED error naming it.
 */
export function takeNightLock(path: string, deps: { db: Db; clock: Clock; logger: Logger; pid: number }): { setNight(id: number): void; release(): void } {
  const mine = (): NightLock => ({ pid: deps.pid, startedAt: deps.clock.now().toISOString(), night: null });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, `${JSON.stringify(mine())}\n`, { flag: 'wx', mode: 0o600 });
      let lock = mine();
      const recovered = recoverNights(deps.db, deps.clock);
      if (recovered > 0) deps.logger.warn({ recovered }, 'marked nights left running by a dead process as interrupted');
      return {
        setNight: (id) => {
          lock = { ...lock, night: id };
          writeFileAtomic(path, `${JSON.stringify(lock)}\n`);
        },
        release: () => {
          if (readLock(path)?.pid === deps.pid) unlinkSync(path);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = readLock(path);
      // An unreadable lock younger than 5 s is being written by its new holder right now.
      const young = !held && deps.clock.now().getTime() - fileMtime(path) < 5000;
      if (young || (held && held.pid !== deps.pid && processAlive(held.pid))) {
        throw new SkillOptError('LOCKED', `a night is already running (${held ? `pid ${held.pid}, since ${held.startedAt}` : 'its lock is being written'})`, { hint: 'wait for it to finish; `skillopt-sleep service status` shows it' });
      }
      deps.logger.warn({ lock: path, deadPid: held?.pid }, 'recovering a night lock left by a dead process');
      try {
        unlinkSync(path);
      } catch {
        // another process recovered it first; try again
      }
    }
  }
  throw new SkillOptError('LOCKED', `cannot take the night lock ${path}`, { hint: 'another process keeps taking it; try again' });
}

/** What the interim night needs. */
export interface InterimNightDeps {
  db(): Db;
  lockPath: string;
  clock: Clock;
  logger: Logger;
  pid: number;
  harvest(signal: AbortSignal): Promise<HarvestSummary>;
  mine(): Promise<unknown>;
}

/**
 * Until the night use case lands (issue 12), a night is what exists: lock, harvest, mine, recorded in `nights`.
 * The daemon only depends on the NightRunner shape, so the real night replaces this in one line.
 */
export function createInterimNight(deps: InterimNightDeps): NightRunner {
  return async ({ reason, signal }): Promise<NightOutcome> => {
    const db = deps.db();
    const lock = takeNightLock(deps.lockPath, { db, clock: deps.clock, logger: deps.logger, pid: deps.pid });
    const startedAt = deps.clock.now().toISOString();
    const id = Number(db.prepare(`INSERT INTO nights (started_at, status, trigger) VALUES (?, 'running', ?)`).run(startedAt, reason).lastInsertRowid);
    const finish = db.prepare(`UPDATE nights SET status = ?, finished_at = ?, summary_json = ?, error = ? WHERE id = ?`);
    try {
      lock.setNight(id);
      deps.logger.info({ night: id, reason }, 'night started');
      const harvest = await deps.harvest(signal);
      if (signal.aborted) {
        finish.run('interrupted', deps.clock.now().toISOString(), JSON.stringify({ harvest }), 'stopped before mining', id);
        return { night: id, outcome: 'interrupted', harvest };
      }
      const mine = await deps.mine();
      const summary = { harvest, mine, note: 'no night use case yet: this night harvested and mined only' };
      finish.run('completed', deps.clock.now().toISOString(), JSON.stringify(summary), null, id);
      deps.logger.info({ night: id }, 'night finished');
      return { night: id, outcome: 'completed (no night use case yet: harvest and mine only)', harvest, mine };
    } catch (error) {
      finish.run('failed', deps.clock.now().toISOString(), null, error instanceof Error ? error.message : String(error), id);
      throw error;
    } finally {
      lock.release();
    }
  };
}
