import type { StatePaths } from '../core/paths.js';
import type { Db } from '../store/db.js';
import { countReplaySet, countSessions, latestNight } from '../store/overview.js';
import type { CliRunner } from './cli-runner.js';
import { argvOf, toolSpec, type ToolInput, type ToolName } from './tool-specs.js';
import type { CallContext, CommandResult, SleepApi, SleepStatus } from './api.js';

/** What the standalone API reaches: the state files, the store (only when it exists), the daemon, the CLI. */
export interface StandaloneApiDeps {
  paths: StatePaths;
  /** True when the state database exists; status never creates it. */
  databaseExists(): boolean;
  /** Open the store; the caller closes it. */
  openDb(): Db;
  /** True when the daemon answers on its control socket. */
  probeDaemon(): Promise<boolean>;
  /** The service as `status` shows it (installed, running, pid, next night), when the composition root has it. */
  serviceStatus?: (() => Promise<NonNullable<SleepStatus['service']>>) | undefined;
  runCli: CliRunner;
}

/**
 * The SleepApi that works today: status reads the store directly; every other tool runs the CLI command of
 * the same name with `--json`. At merge, the coordinator swaps the `runCommand` calls for the in-process use
 * cases from createDeps() (one method each, below); the tool specs, schemas and server stay as they are.
 */
export function createStandaloneSleepApi(deps: StandaloneApiDeps): SleepApi {
  const runCommand = async (tool: ToolName, input: ToolInput, call: CallContext): Promise<CommandResult> => {
    const argv = argvOf(toolSpec(tool), input);
    const data = await deps.runCli(argv, call);
    return { command: argv.filter((a) => a !== '--json').join(' '), data };
  };
  return {
    status: async () => readStatus(deps),
    run: (input, call) => runCommand('sleep_run', { ...input }, call),
    report: (input, call) => runCommand('sleep_report', { ...input }, call),
    adopt: (input, call) => runCommand('sleep_adopt', { ...input }, call),
    reject: (input, call) => runCommand('sleep_reject', { ...input }, call),
    rollback: (input, call) => runCommand('sleep_rollback', { ...input }, call),
    history: (input, call) => runCommand('sleep_history', { ...input }, call),
  };
}

/** The status as far as the store knows it today; pending proposals stay empty until nights stage them. */
export async function readStatus(deps: Pick<StandaloneApiDeps, 'paths' | 'databaseExists' | 'openDb' | 'probeDaemon' | 'serviceStatus'>): Promise<SleepStatus> {
  const exists = deps.databaseExists();
  const empty = {
    sessions: { total: 0, bySource: {}, lastHarvestedAt: null },
    replaySet: { active: 0, excluded: 0, reviewed: 0, bySplit: { train: 0, val: 0, test: 0, unassigned: 0 } },
    lastNight: null,
  };
  let counts: Pick<SleepStatus, 'sessions' | 'replaySet' | 'lastNight'> = empty;
  if (exists) {
    const db = deps.openDb();
    try {
      counts = { sessions: countSessions(db), replaySet: countReplaySet(db), lastNight: latestNight(db) };
    } finally {
      db.close();
    }
  }
  return {
    stateDir: deps.paths.home,
    database: { path: deps.paths.db, exists },
    daemon: { socket: deps.paths.controlSocket, running: await deps.probeDaemon() },
    ...counts,
    pendingProposals: [],
    ...(deps.serviceStatus ? { service: await deps.serviceStatus() } : {}),
  };
}
