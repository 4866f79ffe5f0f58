import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import type { Environment, StatePaths } from '../core/paths.js';
import { openDatabase, type Db } from '../store/db.js';
import { runHarvest } from '../app/run-harvest.js';
import { runMine } from '../app/run-mine.js';
import { trainerSettings } from '../app/run-train.js';
import type { SourceName } from '../harvest/types.js';
import { createInterimNight } from './interim-night.js';
import { createDaemonServices, type DaemonServices, type NightRunner } from './services.js';

/** The pieces of the composition root the daemon uses (CliContext today, createDeps() after issue 8). */
export interface DaemonParts {
  environment: Environment;
  clock: Clock;
  paths: StatePaths;
  config(): Config;
  pid: number;
}

/** A database opened on demand and closed at shutdown. */
export function lazyDb(path: string): { open(): Db; close(): void } {
  let db: Db | undefined;
  return {
    open: () => (db ??= openDatabase(path)),
    close: () => {
      db?.close();
      db = undefined;
    },
  };
}

/**
 * The night the daemon and `service run-now` run. Until the night use case of issue 12 lands this is harvest +
 * mine under the night lock, recorded in `nights`; at merge, replace this function's body with the real night.
 */
export function composeNightRunner(parts: DaemonParts, db: () => Db, logger: Logger): NightRunner {
  const quiet = logger.child({}, { level: 'warn' });
  return createInterimNight({
    db,
    lockPath: parts.paths.lock,
    clock: parts.clock,
    logger,
    pid: parts.pid,
    harvest: async (signal) => {
      const config = parts.config();
      const report = await runHarvest({ db: db(), environment: parts.environment, clock: parts.clock, logger: quiet }, { enabledSources: config.harvest.sources, extraRoots: config.harvest.extraRoots as Partial<Record<SourceName, string[]>>, signal });
      const t = report.totals;
      return { filesSeen: t.filesSeen, filesRead: t.filesRead, sessionsNew: t.sessionsNew, sessionsUpdated: t.sessionsUpdated, bytesRead: t.bytesRead, durationMs: t.durationMs };
    },
    mine: async () => {
      const config = parts.config();
      const report = await runMine({ db: db(), clock: parts.clock, logger }, { config: config.mine, split: trainerSettings(config).split });
      return { families: report.families, tasks: report.tasks };
    },
  });
}

/** The daemon's services on the composition root's pieces. */
export function composeDaemonServices(parts: DaemonParts, logger: Logger): DaemonServices {
  const db = lazyDb(parts.paths.db);
  return createDaemonServices({
    environment: parts.environment,
    clock: parts.clock,
    logger,
    paths: parts.paths,
    config: parts.config,
    openDb: db.open,
    closeDb: db.close,
    runNight: composeNightRunner(parts, db.open, logger),
  });
}

/**
 * `<state>/service.env` (KEY=VALUE lines): the service does not inherit a login shell's environment, so API keys
 * for real backends go here. Loaded into the daemon's environment; a file others can read is refused.
 */
export function loadServiceEnv(stateHome: string, load: (path: string) => void): { loaded: string | null; warning?: string } {
  const path = join(stateHome, 'service.env');
  if (!existsSync(path)) return { loaded: null };
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) return { loaded: null, warning: `${path} is readable by other users; not loaded (chmod 600 it)` };
  load(path);
  return { loaded: path };
}
