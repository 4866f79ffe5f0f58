import { tmpdir } from 'node:os';
import { systemClock, type Clock } from '../core/clock.js';
import { processEnvironment, resolveStateHome, statePaths, type Environment, type StatePaths } from '../core/paths.js';
import { createLogger, type Logger } from '../core/logger.js';
import type { Config } from '../config/config.js';
import { loadConfigAsync, loadConfigSync } from '../config/load.js';
import { ensurePrivateDir } from '../core/fs.js';
import { openDatabase, type Db } from '../store/db.js';
import { currentProcess, type ProcessInfo } from '../night/lock.js';
import type { RejectedEditSink } from '../skills/rejected-sink.js';
import { createRejectedEditsRepo } from '../store/rejected-edits-repo.js';
import { createScrubber, secretValuesOf, type Scrubber } from '../core/redact.js';

/** The service (daemon) state `status` shows; the CLI fills it from the service's readServiceStatus. */
export interface ServiceStatus {
  /** The unit file (systemd / launchd) is there; null when this process cannot tell. */
  installed: boolean | null;
  /** A daemon answers its socket or holds a live pid file. */
  running: boolean | null;
  pid: number | null;
  /** The next night: from the running daemon, else computed from the schedule and the last night. */
  nextNight: { at: string; date: string; trigger: string } | null;
  detail: string;
}

/** Where no service status is wired in (tests, a bare composition root), status says it cannot tell. */
export const unknownServiceStatus = (): Promise<ServiceStatus> => Promise.resolve({ installed: null, running: null, pid: null, nextNight: null, detail: 'unknown (no service status in this process)' });

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
  /** Redacts text on its way out (stdout, stderr, logs): the rules plus the literal keys in the environment. */
  scrub: Scrubber;
  /** The settings, loaded once on first use. */
  config(): Config;
  /**
   * Load the settings now, holding the zod schemas only if config.json changed since it was last validated (a light
   * command, such as harvest, calls this before config()).
   */
  prepareConfig?(): Promise<void>;
  /**
   * The store, opened once on first use (the state folder is created, or tightened to, 0700); `readonly` for
   * commands that only read, so they work on a read-only sleep.db or HOME.
   */
  openDb(options?: { readonly?: boolean }): Db;
  /** Close what was opened. */
  close(): void;
  /** The folder relative paths (`--skill PATH`) resolve against. */
  cwd: string;
  /** This process, for the night lock. */
  processInfo: ProcessInfo;
  /** The rejected-edit memory that reject writes into. */
  rejectedEdits(): RejectedEditSink;
  /** Service state for `status` (the daemon's readServiceStatus). */
  readServiceStatus(): Promise<ServiceStatus>;
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
  cwd?: string;
  readServiceStatus?: () => Promise<ServiceStatus>;
  processInfo?: ProcessInfo;
  rejectedEdits?: () => RejectedEditSink;
  /** Where a warning about the state folder goes (default: the logger). */
  warn?: (message: string) => void;
}

/** The one composition root: the real dependencies, from flags and the process environment. */
export function createDeps(options: GlobalOptions = {}, overrides: DepsOverrides = {}): Deps {
  const environment = overrides.environment ?? processEnvironment();
  const paths = statePaths(resolveStateHome(environment, options.home));
  let config: Config | undefined = overrides.config;
  let db: Db | undefined;
  const clock = overrides.clock ?? systemClock;
  const scrub = createScrubber(secretValuesOf(environment.env));
  const logger = overrides.logger ?? createLogger({ kind: 'stderr' }, options.verbose ? 'debug' : 'warn', scrub);
  const warn = overrides.warn ?? ((message: string) => logger.warn(message));
  const deps: Deps = {
    environment,
    clock,
    paths,
    logger,
    scrub,
    tmpDir: overrides.tmpDir ?? tmpdir(),
    cwd: overrides.cwd ?? process.cwd(),
    processInfo: overrides.processInfo ?? currentProcess(),
    // What the person rejects at review joins the memory every later reflection on that skill reads.
    rejectedEdits:
      overrides.rejectedEdits ??
      (() => {
        const repo = createRejectedEditsRepo(deps.openDb());
        return { add: (entries) => repo.add(entries.map((e) => ({ ...e, at: clock.now().toISOString() }))) };
      }),
    readServiceStatus: overrides.readServiceStatus ?? unknownServiceStatus,
    config: () => (config ??= loadConfigSync(paths.config, paths.configChecked)),
    prepareConfig: async () => {
      config ??= await loadConfigAsync(paths.config, paths.configChecked);
    },
    openDb: (opts = {}) => {
      if (!db) {
        if (opts.readonly) return (db = openDatabase(paths.db, { readonly: true }));
        const { warning } = ensurePrivateDir(paths.home);
        if (warning) warn(scrub(warning));
        db = openDatabase(paths.db);
      }
      return db;
    },
    close: () => {
      db?.close();
      db = undefined;
    },
  };
  return deps;
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
export function createCliContext(options: GlobalOptions, output?: Output, overrides: DepsOverrides = {}): CliContext {
  const sink = output ?? processOutput();
  const deps = createDeps(options, { warn: (message) => sink.err(`warning: ${message}`), ...overrides });
  // Nothing a command prints can carry a key, whatever error text or model reply it shows.
  const scrubbed: Output = { out: (text) => sink.out(deps.scrub(text)), err: (text) => sink.err(deps.scrub(text)), interactive: sink.interactive, ...(sink.rewrite ? { rewrite: (text: string) => sink.rewrite?.(deps.scrub(text)) } : {}) };
  return { ...deps, output: scrubbed };
}
