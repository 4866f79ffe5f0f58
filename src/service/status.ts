import { existsSync } from 'node:fs';
import type { Clock } from '../core/clock.js';
import type { Environment, StatePaths } from '../core/paths.js';
import { askDaemon } from '../daemon/control-client.js';
import type { DaemonConfig } from '../daemon/config.js';
import { formatHourMinute, nextNightAt, scheduleFromConfig, type LastNight } from '../daemon/schedule.js';
import { processAlive } from '../core/process.js';
import { readPidFile, singletonPaths } from '../daemon/singleton.js';
import type { CommandRunner } from './runner.js';
import { serviceTarget } from './installer.js';
import { LAUNCHD_LABEL, SYSTEMD_UNIT } from './spec.js';

/** What `status` and `service status` show about the service. */
export interface ServiceStatus {
  service: { manager: 'systemd' | 'launchd' | 'none'; unitPath: string | null; installed: boolean; state: string | null };
  daemon: { running: boolean; pid: number | null; via: 'socket' | 'pidfile' | null; startedAt: string | null; version: string | null; socket: string; detail?: Record<string, unknown> };
  schedule: { at: string; timeZone: string };
  lastNight: LastNight | null;
  nextNight: { at: string; date: string; trigger: string };
  logs: string;
}

/** What readServiceStatus reads. */
export interface ServiceStatusDeps {
  paths: StatePaths;
  environment: Environment;
  clock: Clock;
  uid: number;
  localTimeZone: string;
  daemonConfig: DaemonConfig;
  lastNight(): LastNight | null;
  /** Asks systemctl / launchctl for the unit's state when given. */
  runner?: CommandRunner | undefined;
}

/**
 * Installed? running (pid, from the daemon's socket, else a live pid file)? next night (from the daemon, else from
 * nextNightAt on the stored last night)? For `status` (the night's command) and `service status`.
 */
export async function readServiceStatus(deps: ServiceStatusDeps): Promise<ServiceStatus> {
  let target: ReturnType<typeof serviceTarget> | undefined;
  try {
    target = serviceTarget(deps.environment, deps.uid);
  } catch {
    target = undefined;
  }
  const installed = target ? existsSync(target.unitPath) : false;
  let state: string | null = null;
  if (target && installed && deps.runner) {
    const r = target.manager === 'systemd' ? deps.runner.run(['systemctl', '--user', 'is-active', SYSTEMD_UNIT]) : deps.runner.run(['launchctl', 'print', `${target.domain}/${LAUNCHD_LABEL}`]);
    state = target.manager === 'systemd' ? (r.stdout.trim() || r.stderr.trim().split('\n')[0] || `exit ${r.code}`) : r.code === 0 ? (/state = (\S+)/.exec(r.stdout)?.[1] ?? 'loaded') : 'not loaded';
  }
  const single = singletonPaths(deps.paths.home, deps.paths.controlSocket);
  const reply = await askDaemon(single.socket, 'status', { timeoutMs: 2000 });
  const schedule = scheduleFromConfig(deps.daemonConfig, deps.localTimeZone);
  const last = deps.lastNight();
  const computed = nextNightAt(deps.clock.now(), last, schedule);
  let daemon: ServiceStatus['daemon'];
  let nextNight = { at: computed.at.toISOString(), date: computed.date, trigger: computed.trigger as string };
  if (reply.reachable && reply.response.ok) {
    const s = reply.response.result as Record<string, unknown> & { pid: number; startedAt: string; version: string; nextNight?: typeof nextNight };
    daemon = { running: true, pid: s.pid, via: 'socket', startedAt: s.startedAt, version: s.version, socket: single.socket, detail: s };
    if (s.nextNight) nextNight = s.nextNight;
  } else {
    const pid = readPidFile(single.pidFile);
    const alive = pid ? processAlive(pid.pid) : false;
    daemon = { running: alive, pid: alive && pid ? pid.pid : null, via: alive ? 'pidfile' : null, startedAt: alive && pid ? pid.startedAt : null, version: alive && pid ? pid.version : null, socket: single.socket };
  }
  return {
    service: { manager: target?.manager ?? 'none', unitPath: target?.unitPath ?? null, installed, state },
    daemon,
    schedule: { at: formatHourMinute(schedule.at), timeZone: schedule.timeZone },
    lastNight: last,
    nextNight,
    logs: `${deps.paths.logs}/daemon.log`,
  };
}

/** The status for a person. */
export function renderServiceStatus(s: ServiceStatus): string {
  const lines = [
    `service   ${s.service.manager === 'none' ? 'no service manager on this platform' : s.service.installed ? `installed (${s.service.manager}: ${s.service.unitPath})${s.service.state ? `, ${s.service.state}` : ''}` : `not installed (skillopt-sleep install writes ${s.service.unitPath})`}`,
    `daemon    ${s.daemon.running ? `running, pid ${s.daemon.pid}${s.daemon.startedAt ? ` since ${s.daemon.startedAt}` : ''}${s.daemon.via === 'pidfile' ? ' (not answering its socket)' : ''}` : 'not running'}`,
    `schedule  ${s.schedule.at} ${s.schedule.timeZone}`,
    `last      ${s.lastNight ? `night started ${s.lastNight.startedAt}${s.lastNight.finishedAt ? `, finished ${s.lastNight.finishedAt}` : ''}` : 'no night yet'}`,
    `next      ${s.nextNight.at} (night of ${s.nextNight.date}, ${s.nextNight.trigger === 'schedule' ? 'scheduled' : 'catch-up'})`,
    `logs      ${s.logs}`,
  ];
  const night = s.daemon.detail?.night as { running?: boolean; reason?: string; startedAt?: string } | undefined;
  if (night?.running) lines.splice(2, 0, `night     running (${night.reason}, since ${night.startedAt})`);
  return lines.join('\n');
}
