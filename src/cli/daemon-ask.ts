import { existsSync, readFileSync } from 'node:fs';
import type { CliContext } from '../app/deps.js';
import { SkillOptError } from '../core/errors.js';
import { askDaemon, resultOf } from '../daemon/control-client.js';
import type { ControlCommand } from '../daemon/control-protocol.js';
import type { NightReport } from '../report/night-report.js';

/** Ask the running daemon, or undefined when none is up (the caller then works standalone). */
export async function askRunningDaemon(ctx: Pick<CliContext, 'paths'>, command: ControlCommand, wait?: boolean): Promise<{ result: unknown } | undefined> {
  const quick = command === 'status' || command === 'stop' || command === 'reload-config' || wait === false;
  const reply = await askDaemon(ctx.paths.controlSocket, command, { timeoutMs: quick ? 10_000 : 24 * 3_600_000, ...(wait !== undefined ? { wait } : {}) });
  if (!reply.reachable) return undefined;
  return { result: resultOf(reply.response) };
}

/** What the daemon answers to `run-now`: the night it ran (or joined) and where its report is. */
export interface DaemonNight {
  night: number | null;
  status?: NightReport['status'];
  outcome?: string;
  joined?: boolean;
  started?: boolean;
  files?: { md: string; json: string; html: string };
  [key: string]: unknown;
}

/** Run a night through the daemon when it is up: its answer, or undefined when no daemon listens. */
export async function nightViaDaemon(ctx: Pick<CliContext, 'paths'>, wait = true): Promise<DaemonNight | undefined> {
  const asked = await askRunningDaemon(ctx, 'run-now', wait);
  return asked ? (asked.result as DaemonNight) : undefined;
}

/** The report the daemon's night wrote (same machine, same state folder), read back for `run --now`. */
export function daemonNightReport(night: DaemonNight): { report: NightReport; files: { md: string; json: string; html: string } } {
  const files = night.files;
  if (!files || !existsSync(files.json)) {
    throw new SkillOptError('NOT_FOUND', `the daemon ran night ${night.night ?? '?'} (${night.outcome ?? night.status ?? 'no outcome'}) but its report ${files?.json ?? ''} is missing`, { hint: '`skillopt-sleep report` shows the newest report; `skillopt-sleep logs` shows what the daemon did' });
  }
  return { report: JSON.parse(readFileSync(files.json, 'utf8')) as NightReport, files };
}
