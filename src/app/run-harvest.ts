import { isAbsolute, resolve } from 'node:path';
import { SkillOptError } from '../core/errors.js';
import type { SourceAdapter, SourceName } from '../harvest/types.js';
import { ALL_SOURCES } from '../harvest/sources/index.js';
import { harvestSources, type HarvestDeps, type HarvestOptions, type HarvestReport } from '../harvest/harvester.js';

/** A harvest as the CLI and the daemon ask for it. */
export interface HarvestRequest {
  /** `--source NAME`: one source only. */
  source?: string | undefined;
  /** `--project DIR`: only sessions run in DIR or below it (relative paths resolve against `cwd`). */
  project?: string | undefined;
  /** `--since DATE`: only files modified since then (an ISO date or date-time; a bare date is UTC midnight). */
  since?: string | undefined;
  /** The folder relative `--project` paths resolve against. */
  cwd?: string | undefined;
  /** Sources enabled in config (default: all). */
  enabledSources?: readonly SourceName[] | undefined;
  /** Extra transcript roots from config, per source. */
  extraRoots?: Partial<Record<SourceName, readonly string[]>> | undefined;
  /** Progress after each file, for a TTY. */
  onProgress?: HarvestOptions['onProgress'];
  /** The adapters to choose from (tests pass their own; default every known source). */
  adapters?: readonly SourceAdapter[] | undefined;
}

/** Parse `--since`; undefined when absent, a typed error naming the flag when unreadable. */
export function parseSince(since: string | undefined): Date | undefined {
  if (since === undefined || since.trim() === '') return undefined;
  const text = since.trim();
  // A bare date means the start of that day in UTC, so the result never depends on the machine's zone.
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(text);
  if (!Number.isFinite(ms)) {
    throw new SkillOptError('INPUT', `--since "${since}" is not a date`, { hint: 'use an ISO date such as 2026-01-31 or 2026-01-31T08:00:00Z' });
  }
  return new Date(ms);
}

/** Pick the adapters a request names, with a typed error for an unknown or disabled source. */
export function selectSources(request: HarvestRequest): SourceAdapter[] {
  const adapters = request.adapters ?? ALL_SOURCES;
  const enabled = request.enabledSources ? new Set<string>(request.enabledSources) : undefined;
  if (request.source !== undefined) {
    const adapter = adapters.find((a) => a.name === request.source);
    if (!adapter) {
      throw new SkillOptError('INPUT', `unknown source "${request.source}"`, {
        hint: `use one of: ${adapters.map((a) => a.name).join(', ')}`,
      });
    }
    if (enabled && !enabled.has(adapter.name)) {
      throw new SkillOptError('CONFIG', `source "${adapter.name}" is disabled in the config`, {
        hint: 'add it to the enabled sources in config.json, or omit --source',
      });
    }
    return [adapter];
  }
  return adapters.filter((a) => !enabled || enabled.has(a.name));
}

/** `skillopt-sleep harvest`: validate the request, then harvest incrementally. */
export async function runHarvest(deps: HarvestDeps, request: HarvestRequest = {}): Promise<HarvestReport> {
  const sources = selectSources(request);
  const since = parseSince(request.since);
  let project: string | undefined;
  if (request.project) {
    project = isAbsolute(request.project) ? request.project : resolve(request.cwd ?? deps.environment.homeDir, request.project);
  }
  return harvestSources(deps, { sources, since, project, extraRoots: request.extraRoots, onProgress: request.onProgress });
}
