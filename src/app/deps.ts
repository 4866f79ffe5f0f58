import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from '../core/clock.js';
import { processEnvironment, resolveStateHome, statePaths, type Environment, type StatePaths } from '../core/paths.js';
import { createLogger, silentLogger, type Logger } from '../core/logger.js';
import { defaultConfig, loadConfig, type Config } from '../config/config.js';
import { ensurePrivateDir } from '../core/fs.js';
import { openDatabase, type Db } from '../store/db.js';

/** Options every entry point accepts. */
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
  /** Raw stderr text with no newline added (a terminal's self-erasing status line). */
  rewrite?(text: string): void;
}

/**
 * Every real dependency a use case may reach: the one shape the CLI, the daemon and the MCP server build
 * (createDeps) and tests fake (createTestDeps). Nothing below app/ reads env, HOME or the clock on its own.
 */
export interface Deps {
  environment: Environment;
  clock: Clock;
  paths: StatePaths;
  logger: Logger;
  tmpDir: string;
  /** The settings, loaded once on first use. */
  config(): Config;
  /** The store, opened once on first use (the state folder is created 0700). */
  openDb(): Db;
  /** Close what was opened. */
  close(): void;
}

/** The CLI's dependencies: the shared ones plus where output goes. */
export interface CliContext extends Deps {
  output: Output;
}

/** What the composition root may be given instead of the process's own. */
export interface DepsOverrides {
  environment?: Environment;
  clock?: Clock;
  logger?: Logger;
  tmpDir?: string;
  config?: Config;
}

/** The one composition root: the real dependencies, from flags and the process environment. */
export function createDeps(options: GlobalOptions = {}, overrides: DepsOverrides = {}): Deps {
  const environment = overrides.environment ?? processEnvironment();
  const paths = statePaths(resolveStateHome(environment, options.home));
  let config: Config | undefined = overrides.config;
  let db: Db | undefined;
  return {
    environment,
    clock: overrides.clock ?? systemClock,
    paths,
    logger: overrides.logger ?? createLogger({ kind: 'stderr' }, options.verbose ? 'debug' : 'warn'),
    tmpDir: overrides.tmpDir ?? tmpdir(),
    config: () => (config ??= loadConfig(paths.config).config),
    openDb: () => {
      if (!db) {
        ensurePrivateDir(paths.home);
        db = openDatabase(paths.db);
      }
      return db;
    },
    close: () => {
      db?.close();
      db = undefined;
    },
  };
}

/**
 * Dependencies for tests: a state folder and HOME under `dir`, no process env, a given clock, silent logs and
 * the default (simulated) config unless one is given.
 */
export function createTestDeps(dir: string, overrides: DepsOverrides = {}): Deps {
  const environment = overrides.environment ?? { env: {}, platform: 'linux', homeDir: join(dir, 'home') };
  return createDeps(
    { home: join(dir, 'state') },
    { environment, logger: silentLogger, tmpDir: join(dir, 'tmp'), config: overrides.config ?? defaultConfig(), ...(overrides.clock ? { clock: overrides.clock } : {}) },
  );
}

/** The process's standard streams as an Output. */
export function processOutput(): Output {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    interactive: Boolean(process.stderr.isTTY),
    rewrite: (text) => process.stderr.write(text),
  };
}

/** The CLI's context: createDeps plus the process's streams (or the given ones). */
export function createCliContext(options: GlobalOptions, output?: Output): CliContext {
  return { ...createDeps(options), output: output ?? processOutput() };
}
