import type { Deps } from '../app/deps.js';
import { runAdopt, runReject } from '../app/decide.js';
import { runNight, type NightProgress } from '../app/run-night.js';
import { runReportLookup, runStatus } from '../app/run-status.js';
import { runHistory, runRollback } from '../app/skill-versions.js';
import { listPendingSummaries } from '../store/proposals-repo.js';
import type { CommandResult, SleepApi, SleepStatus } from './api.js';
import { argvOf, toolSpec, type ToolInput, type ToolName } from './tool-specs.js';

/** What the in-process API reaches: the composition root's dependencies, the daemon's socket, a browser. */
export interface SleepApiDeps {
  /** Fresh dependencies for one call (config read anew, the store opened on first use); closed after the call. */
  makeDeps(): Deps;
  /** True when the daemon answers on its control socket. */
  probeDaemon(): Promise<boolean>;
  /** Open a report file in the person's browser (`sleep_report` with `open`); never blocks. */
  openInBrowser(path: string): void;
}

/** One progress line of a night, as the CLI's terminal shows it. */
export function describeNightProgress(event: NightProgress): string {
  switch (event.stage) {
    case 'train':
      return `training ${event.skill} on ${event.tasks} tasks`;
    case 'step': {
      const e = event.event;
      const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
      if (e.kind === 'baseline') return `${event.skill}: baseline val ${pct(e.val)}`;
      if (e.kind === 'step') return `${event.skill}: step ${e.step}/${e.totalSteps} ${e.action}, val ${pct(e.val)}`;
      if (e.kind === 'slow_update') return `${event.skill}: slow update ${e.action}, val ${pct(e.val)}`;
      return `${event.skill}: held-out test ${pct(e.baseline)} -> ${pct(e.best)}`;
    }
    default:
      return `${event.stage}...`;
  }
}

/**
 * The MCP server's SleepApi: the same use cases the CLI commands call (src/app/), in this process, returning
 * the data each command prints with `--json`. Every call builds its dependencies with createDeps (through
 * makeDeps) and closes them after, so a long-lived server sees config changes and never holds the store open.
 */
export function createSleepApi(deps: SleepApiDeps): SleepApi {
  const withDeps = async <T>(work: (d: Deps) => T | Promise<T>): Promise<T> => {
    const d = deps.makeDeps();
    try {
      return await work(d);
    } finally {
      d.close();
    }
  };
  const result = (tool: ToolName, input: ToolInput, data: unknown): CommandResult => ({ command: argvOf(toolSpec(tool), input).filter((a) => a !== '--json').join(' '), data });
  return {
    status: async () => {
      const daemonUp = deps.probeDaemon();
      return withDeps(async (d): Promise<SleepStatus> => {
        // runStatus may be sync or async (the daemon's service fields); await covers both.
        const status = await runStatus(d);
        return { stateDir: d.paths.home, daemon: { socket: d.paths.controlSocket, running: await daemonUp }, ...status, service: { ...status.service }, pending: listPendingSummaries(d.openDb()) };
      });
    },
    run: (input, call) =>
      withDeps(async (d) => {
        const onProgress = call.onProgress;
        const outcome = await runNight(d, {
          dryRun: input.dryRun ?? false,
          ...(input.skill !== undefined ? { skill: input.skill } : {}),
          reason: 'agent',
          holder: 'mcp',
          ...(call.signal ? { signal: call.signal } : {}),
          ...(onProgress ? { onProgress: (e: NightProgress) => onProgress(describeNightProgress(e)) } : {}),
        });
        return result('sleep_run', { ...input }, { ...outcome.report, files: outcome.files });
      }),
    report: (input) =>
      withDeps((d) => {
        const { report, files } = runReportLookup(d, input.night);
        if (input.open) deps.openInBrowser(files.html);
        return result('sleep_report', { ...input }, { ...report, files });
      }),
    adopt: (input) => withDeps((d) => result('sleep_adopt', { ...input }, runAdopt(d, input))),
    reject: (input) => withDeps((d) => result('sleep_reject', { ...input }, runReject(d, input))),
    rollback: (input) => withDeps((d) => result('sleep_rollback', { ...input }, runRollback(d, input.skill, input.to))),
    history: (input) => withDeps((d) => result('sleep_history', { ...input }, runHistory(d, input.skill))),
  };
}

