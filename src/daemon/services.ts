import type { Clock } from '../core/clock.js';
import { loadConfig, type Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import type { Environment, StatePaths } from '../core/paths.js';
import type { Db } from '../store/db.js';
import { lastCountedNight } from '../store/nights-repo.js';
import { runHarvest } from '../app/run-harvest.js';
import { selectSources } from '../app/run-harvest.js';
import type { SourceName } from '../harvest/types.js';
import type { DaemonConfig } from './config.js';
import type { LastNight } from './schedule.js';

/** Why a night starts. */
export type NightReason = 'schedule' | 'catch-up' | 'run-now';

/** What a night reports back to the daemon (and through it to `run --now`). */
export interface NightOutcome {
  night: number | null;
  outcome: string;
  [key: string]: unknown;
}

/** Runs one night; the night use case takes its own lock and records the night in the store. */
export type NightRunner = (opts: { reason: NightReason; signal: AbortSignal }) => Promise<NightOutcome>;

/** What one incremental harvest did, in brief. */
export interface HarvestSummary {
  filesSeen: number;
  filesRead: number;
  sessionsNew: number;
  sessionsUpdated: number;
  bytesRead: number;
  durationMs: number;
}

/** Everything the daemon needs from the product, as one small interface (tests give fakes). */
export interface DaemonServices {
  /** Incremental harvest of the enabled sources; `files` narrows it to the files that changed. */
  harvest(request: { files?: readonly string[] | undefined; signal?: AbortSignal | undefined }): Promise<HarvestSummary>;
  runNight: NightRunner;
  /** The last night that counts for the schedule, from the store. */
  lastNight(): LastNight | null;
  /** The transcript folders of every enabled source. */
  transcriptRoots(): string[];
  /** The daemon section of the config now in effect. */
  daemonConfig(): DaemonConfig;
  /** Re-read config.json; a broken file throws a CONFIG error and the old config stays. */
  reloadConfig(): DaemonConfig;
  /** Close the database. */
  close(): void;
}

/** The last night that counts for the schedule (see lastCountedNight: a dry run or an interrupted night does not). */
export function readLastNight(db: Db): LastNight | null {
  return lastCountedNight(db) ?? null;
}

/** The roots harvest reads for the enabled sources: their defaults here plus the configured extra roots. */
export function transcriptRootsOf(config: Config, environment: Environment): string[] {
  const roots = new Set<string>();
  for (const adapter of selectSources({ enabledSources: config.harvest.sources })) {
    for (const root of adapter.defaultRoots(environment)) roots.add(root);
    for (const root of (config.harvest.extraRoots as Partial<Record<SourceName, string[]>>)[adapter.name] ?? []) roots.add(root);
  }
  return [...roots].sort();
}

/** What the daemon's services are built from: the composition root's pieces. */
export interface ServiceParts {
  environment: Environment;
  clock: Clock;
  logger: Logger;
  paths: StatePaths;
  config(): Config;
  openDb(): Db;
  closeDb(): void;
  runNight: NightRunner;
}

/** The daemon's services on today's tree: harvest use case, nights table, config.json. */
export function createDaemonServices(parts: ServiceParts): DaemonServices {
  let config = parts.config();
  // The harvester logs each source at info; the daemon logs one line per harvest itself.
  const quiet = parts.logger.child({}, { level: 'warn' });
  return {
    harvest: async ({ files, signal }) => {
      const report = await runHarvest(
        { db: parts.openDb(), environment: parts.environment, clock: parts.clock, logger: quiet },
        { enabledSources: config.harvest.sources, extraRoots: config.harvest.extraRoots as Partial<Record<SourceName, string[]>>, files, signal },
      );
      const t = report.totals;
      return { filesSeen: t.filesSeen, filesRead: t.filesRead, sessionsNew: t.sessionsNew, sessionsUpdated: t.sessionsUpdated, bytesRead: t.bytesRead, durationMs: t.durationMs };
    },
    runNight: parts.runNight,
    lastNight: () => readLastNight(parts.openDb()),
    transcriptRoots: () => transcriptRootsOf(config, parts.environment),
    daemonConfig: () => config.daemon,
    reloadConfig: () => {
      config = loadConfig(parts.paths.config).config;
      return config.daemon;
    },
    close: () => parts.closeDb(),
  };
}
