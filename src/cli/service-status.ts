import { existsSync } from 'node:fs';
import type { CliContext, ServiceStatus } from '../app/deps.js';
import { readLastNight } from '../daemon/services.js';
import { processRunner } from '../service/runner.js';
import { readServiceStatus, type ServiceStatus as FullServiceStatus } from '../service/status.js';
import type { LastNight } from '../daemon/schedule.js';

/** The machine's time zone (TZ respected): the schedule's default. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The service's full status in the brief shape `status` (and the MCP server's sleep_status) show. */
export function briefServiceStatus(s: FullServiceStatus): ServiceStatus {
  const unit =
    s.service.manager === 'none'
      ? 'no service manager on this platform'
      : s.service.installed
        ? `${s.service.manager} unit ${s.service.unitPath}${s.service.state ? ` (${s.service.state})` : ''}`
        : `not installed (\`skillopt-sleep install\` writes ${s.service.unitPath})`;
  const daemon = s.daemon.running ? `daemon pid ${s.daemon.pid}${s.daemon.via === 'pidfile' ? ', not answering its socket' : ''}` : 'no daemon running';
  return {
    installed: s.service.manager === 'none' ? null : s.service.installed,
    running: s.daemon.running,
    pid: s.daemon.pid,
    nextNight: s.nextNight,
    detail: `${unit}; ${daemon}; nights at ${s.schedule.at} ${s.schedule.timeZone}`,
  };
}

/** This machine's full service status: asks the daemon's socket, reads the unit's state, computes the next night. */
export function readMachineServiceStatus(ctx: Pick<CliContext, 'paths' | 'environment' | 'clock' | 'config'>, lastNight: () => LastNight | null): Promise<FullServiceStatus> {
  return readServiceStatus({
    paths: ctx.paths,
    environment: ctx.environment,
    clock: ctx.clock,
    uid: process.getuid?.() ?? 0,
    localTimeZone: localTimeZone(),
    daemonConfig: ctx.config().daemon,
    lastNight,
    runner: processRunner(ctx.environment.env),
  });
}

/** The service status of this machine for the CLI's `status`, in its brief shape. */
export function cliServiceStatus(ctx: Pick<CliContext, 'paths' | 'environment' | 'clock' | 'config' | 'openDb'>): () => Promise<ServiceStatus> {
  return async () => briefServiceStatus(await readMachineServiceStatus(ctx, () => (existsSync(ctx.paths.db) ? readLastNight(ctx.openDb()) : null)));
}
