import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import type { Environment, StatePaths } from '../core/paths.js';
import { openDatabase, type Db } from '../store/db.js';
import { runNight, type NightDeps } from '../app/run-night.js';
import type { ProcessInfo } from '../night/lock.js';
import { createDaemonServices, type DaemonServices, type NightOutcome, type NightRunner } from './services.js';

/** The pieces of the composition root the daemon uses (CliContext today, createDeps() after issue 8). */
export interface DaemonParts {
  environment: Environment;
  clock: Clock;
  paths: StatePaths;
  config(): Config;
  /** Where training's scratch files go (the composition root's, never os.tmpdir() here). */
  tmpDir: string;
  /** The folder relative skill paths resolve against. */
  cwd: string;
  /** This process, for the night lock in the store. */
  processInfo: ProcessInfo;
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

/** The night's dependencies on the daemon's pieces: its own database (opened on demand) and its logger. */
export function nightDepsOf(parts: DaemonParts, db: () => Db, logger: Logger): NightDeps {
  return { environment: parts.environment, clock: parts.clock, paths: parts.paths, logger, tmpDir: parts.tmpDir, config: parts.config, openDb: db, cwd: parts.cwd, processInfo: parts.processInfo };
}

/**
 * The night the daemon and `service run-now` run: the real night (lock in the store, harvest, mine, train each
 * skill, stage proposals, write the report). Its answer is small (it travels over the socket and sits in the
 * daemon's status): the night, its status and where the report is; the report itself is in report.json.
 */
export function composeNightRunner(parts: DaemonParts, db: () => Db, logger: Logger): NightRunner {
  const deps = nightDepsOf(parts, db, logger);
  return async ({ reason, signal }): Promise<NightOutcome> => {
    logger.info({ reason }, 'night started');
    const o = await runNight(deps, { reason, signal, holder: 'daemon', dryRun: false });
    logger.info({ night: o.night, status: o.status, report: o.files.md }, 'night finished');
    return {
      night: o.night,
      outcome: o.status,
      status: o.status,
      dryRun: o.dryRun,
      reportDir: o.reportDir,
      files: o.files,
      skills: o.report.skills.map((x) => ({ name: x.name, action: x.action, decision: x.decision, proposalId: x.proposalId })),
    };
  };
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
