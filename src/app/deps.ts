import { tmpdir } from 'node:os';
import { systemClock, type Clock } from '../core/clock.js';
import { processEnvironment, resolveStateHome, statePaths, type Environment, type StatePaths } from '../core/paths.js';
import { createLogger, type Logger } from '../core/logger.js';
import { loadConfig, type Config } from '../config/config.js';
import { ensurePrivateDir } from '../core/fs.js';
import { openDatabase, type Db } from '../store/db.js';
import { join } from 'node:path';
import { currentProcess, type ProcessInfo } from '../night/lock.js';
import { jsonlRejectedEditSink, type RejectedEditSink } from '../skills/rejected-sink.js';

/** The service (daemon) state `status` shows; the daemon's readServiceStatus fills it. */
export interface ServiceStatus {
  installed: boolean | null;
  running: boolean | null;
  detail: string;
}

/** Until the daemon is wired in, status says it cannot tell. */
export const unknownServiceStatus = (): ServiceStatus => ({ installed: null, running: null, detail: 'unknown (daemon not built in this branch)' });

/** Options every command accepts. */
export interface GlobalOptions {
  home?: string;
  verbose?: boolean;
}

/** Where a command writes: stdout is data, stderr is for people and logs. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal (progress lines go there). */
  interactive: boolean;
}

/** The composition root's product: every real dependency a command may use. */
export interface CliContext {
  environment: Environment;
  clock: Clock;
  paths: StatePaths;
  logger: Logger;
  output: Output;
  tmpDir: string;
  config(): Config;
  openDb(): Db;
  /** The folder relative paths (`--skill PATH`) resolve against. */
  cwd: string;
  /** This process, for the night lock. */
  processInfo: ProcessInfo;
  /** The rejected-edit memory that reject writes into. */
  rejectedEdits(): RejectedEditSink;
  /** Service state for `status` (the daemon's readServiceStatus). */
  readServiceStatus(): ServiceStatus;
}

/** Build the real dependencies once, from flags and the process environment. */
export function createCliContext(options: GlobalOptions, output?: Output): CliContext {
  const environment = processEnvironment();
  const paths = statePaths(resolveStateHome(environment, options.home));
  let config: Config | undefined;
  let db: Db | undefined;
  return {
    environment,
    clock: systemClock,
    paths,
    logger: createLogger({ kind: 'stderr' }, options.verbose ? 'debug' : 'warn'),
    output: output ?? {
      out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
      err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
      interactive: Boolean(process.stderr.isTTY),
    },
    tmpDir: tmpdir(),
    cwd: process.cwd(),
    processInfo: currentProcess(),
    // MERGE: swap in the rejected_edits repository (issue 10) here; the JSONL file is a stand-in.
    rejectedEdits: () => jsonlRejectedEditSink(join(paths.home, 'rejected-edits.jsonl'), () => systemClock.now().toISOString()),
    // MERGE: swap in the daemon's readServiceStatus (issue 13) here.
    readServiceStatus: unknownServiceStatus,
    config: () => (config ??= loadConfig(paths.config).config),
    openDb: () => {
      if (!db) {
        ensurePrivateDir(paths.home);
        db = openDatabase(paths.db);
      }
      return db;
    },
  };
}
