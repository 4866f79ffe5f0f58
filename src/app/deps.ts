import { tmpdir } from 'node:os';
import { systemClock, type Clock } from '../core/clock.js';
import { processEnvironment, resolveStateHome, statePaths, type Environment, type StatePaths } from '../core/paths.js';
import { createLogger, type Logger } from '../core/logger.js';
import { loadConfig, type Config } from '../config/config.js';
import { ensurePrivateDir } from '../core/fs.js';
import { openDatabase, type Db } from '../store/db.js';
import { createScrubber, secretValuesOf, type Scrubber } from '../core/redact.js';

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
  /** Redacts text on its way out (stdout, stderr, logs): the rules plus the literal keys in the environment. */
  scrub: Scrubber;
  config(): Config;
  /** The state database; `readonly` for commands that only read (they work on a read-only sleep.db or HOME). */
  openDb(options?: { readonly?: boolean }): Db;
}

/** Build the real dependencies once, from flags and the process environment. */
export function createCliContext(options: GlobalOptions, output?: Output): CliContext {
  const environment = processEnvironment();
  const paths = statePaths(resolveStateHome(environment, options.home));
  let config: Config | undefined;
  let db: Db | undefined;
  const scrub = createScrubber(secretValuesOf(environment.env));
  const sink = output ?? {
    out: (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    interactive: Boolean(process.stderr.isTTY),
  };
  return {
    environment,
    clock: systemClock,
    paths,
    logger: createLogger({ kind: 'stderr' }, options.verbose ? 'debug' : 'warn', scrub),
    // Nothing a command prints can carry a key, whatever error text or model reply it shows.
    output: { out: (text) => sink.out(scrub(text)), err: (text) => sink.err(scrub(text)), interactive: sink.interactive },
    scrub,
    tmpDir: tmpdir(),
    config: () => (config ??= loadConfig(paths.config).config),
    openDb: (opts = {}) => {
      if (!db) {
        if (opts.readonly) return (db = openDatabase(paths.db, { readonly: true }));
        const { warning } = ensurePrivateDir(paths.home);
        if (warning) sink.err(`warning: ${scrub(warning)}`);
        db = openDatabase(paths.db);
      }
      return db;
    },
  };
}
