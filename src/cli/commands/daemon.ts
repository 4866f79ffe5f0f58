import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { loadEnvFile } from 'node:process';
import type { CliContext } from '../../app/deps.js';
import { SkillOptError, formatError } from '../../core/errors.js';
import { createRotatingLogger, daemonLogPath } from '../../daemon/log-file.js';
import { askRunningDaemon, nightViaDaemon } from '../daemon-ask.js';
import { composeDaemonServices, composeNightRunner, lazyDb, loadServiceEnv, type DaemonParts } from '../../daemon/compose.js';
import { readLastNight } from '../../daemon/services.js';
import { singletonPaths } from '../../daemon/singleton.js';
import { renderServiceStatus } from '../../service/status.js';
import { localTimeZone, readMachineServiceStatus } from '../service-status.js';
import { runHarvest } from '../../app/run-harvest.js';
import type { SourceName } from '../../harvest/types.js';
import { ensurePrivateDir } from '../../core/fs.js';

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export { localTimeZone } from '../service-status.js';

function partsOf(ctx: CliContext): DaemonParts {
  return { environment: ctx.environment, clock: ctx.clock, paths: ctx.paths, config: () => ctx.config(), tmpDir: ctx.tmpDir, cwd: ctx.cwd, processInfo: ctx.processInfo };
}

/** `daemon` (the foreground service) and `service status|run-now|harvest-now|reload|stop` (its control socket). */
export function registerDaemon(program: Command, context: () => CliContext): void {
  program
    .command('daemon')
    .description('run the background service in the foreground: watches transcript folders and harvests as sessions happen, runs one night per night (catching up after sleep), answers `service` commands on a local socket; logs to logs/daemon.log in the state folder')
    .action(async () => {
      const ctx = context();
      ensurePrivateDir(ctx.paths.home);
      const env = loadServiceEnv(ctx.paths.home, (path) => loadEnvFile(path));
      // A broken config stops the daemon here with every bad key named; the service manager shows it.
      const config = ctx.config();
      const log = createRotatingLogger(ctx.paths.logs, { level: program.opts<{ verbose?: boolean }>().verbose ? 'debug' : config.daemon.log.level, maxBytes: config.daemon.log.maxBytes, keep: config.daemon.log.keep });
      if (env.warning) {
        log.logger.warn(env.warning);
        ctx.output.err(`warning: ${env.warning}`);
      }
      const services = composeDaemonServices(partsOf(ctx), log.logger);
      // Loaded here, not at start-up of every command: chokidar and node-cron are only the daemon's.
      const { Daemon } = await import('../../daemon/daemon.js');
      const daemon = new Daemon({ services, clock: ctx.clock, logger: log.logger, singleton: singletonPaths(ctx.paths.home, ctx.paths.controlSocket), localTimeZone: localTimeZone(), version: packageVersion(), pid: process.pid, setLogLevel: log.setLevel });
      const onSignal = (signal: NodeJS.Signals) => {
        if (signal === 'SIGINT' && process.stderr.isTTY) ctx.output.err('stopping (Ctrl-C again to exit at once)');
        void daemon.stop(signal).then(() => undefined);
        process.once(signal, () => {
          log.flush();
          process.kill(process.pid, signal);
        });
      };
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
      const onFatal = (error: unknown) => {
        // Logged, then a non-zero exit so launchd / systemd restart the service.
        log.logger.fatal({ err: error }, 'unhandled error; the daemon exits for its service manager to restart it');
        log.flush();
        ctx.output.err(`skillopt-sleep daemon: fatal: ${formatError(error)}`);
        void daemon.stop('fatal error', 1);
      };
      process.on('uncaughtException', onFatal);
      process.on('unhandledRejection', onFatal);
      try {
        await daemon.start();
      } catch (error) {
        log.logger.error({ err: formatError(error) }, 'daemon did not start');
        log.flush();
        services.close();
        throw error;
      }
      ctx.output.err(`skillopt-sleep daemon: pid ${process.pid}, socket ${ctx.paths.controlSocket}, log ${daemonLogPath(ctx.paths.logs)}`);
      const code = await daemon.done;
      log.flush();
      process.off('uncaughtException', onFatal);
      process.off('unhandledRejection', onFatal);
      process.exitCode = code;
    });

  const service = program.command('service').description('talk to the running daemon: status, run a night now, harvest now, reload the config, stop');
  service
    .command('status')
    .description('is the service installed and running, when is the next night (from the daemon, else from the schedule)')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const ctx = context();
      const db = lazyDb(ctx.paths.db);
      try {
        const status = await readMachineServiceStatus(ctx, () => readLastNight(db.open()));
        ctx.output.out(opts.json ? JSON.stringify(status, null, 2) : renderServiceStatus(status));
      } finally {
        db.close();
      }
    });
  service
    .command('run-now')
    .description('run a night now: the daemon runs it when it is up (a night already running is joined, never doubled); otherwise it runs here')
    .option('--no-wait', 'with a daemon: return once the night has started')
    .option('--json', 'print as JSON')
    .action(async (opts: { wait: boolean; json?: boolean }) => {
      const ctx = context();
      const asked = await nightViaDaemon(ctx, opts.wait);
      let result: unknown;
      if (asked) {
        result = { via: 'daemon', ...asked };
      } else {
        const db = lazyDb(ctx.paths.db);
        try {
          const runNight = composeNightRunner(partsOf(ctx), db.open, ctx.logger);
          const controller = new AbortController();
          result = { via: 'standalone', ...(await runNight({ reason: 'run-now', signal: controller.signal })) };
        } finally {
          db.close();
        }
      }
      const r = result as { via: string; night?: number | null; outcome?: string; joined?: boolean; started?: boolean };
      ctx.output.out(opts.json ? JSON.stringify(result, null, 2) : r.started ? `night started by the daemon${r.joined ? ' (joined the one already running)' : ''}` : `night ${r.night ?? '-'}: ${r.outcome ?? ''} (${r.via}${r.joined ? ', joined the night already running' : ''})`);
    });
  service
    .command('harvest-now')
    .description('harvest every enabled source now (through the daemon when it is up)')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const ctx = context();
      const asked = (await askRunningDaemon(ctx, 'harvest-now', true)) as { result: unknown } | undefined;
      let result: unknown;
      if (asked) result = { via: 'daemon', ...(asked.result as object) };
      else {
        const config = ctx.config();
        const report = await runHarvest({ db: ctx.openDb(), environment: ctx.environment, clock: ctx.clock, logger: ctx.logger }, { enabledSources: config.harvest.sources, extraRoots: config.harvest.extraRoots as Partial<Record<SourceName, string[]>> });
        result = { via: 'standalone', ...report.totals };
      }
      const r = result as { via: string; filesRead: number; sessionsNew: number; sessionsUpdated: number };
      ctx.output.out(opts.json ? JSON.stringify(result, null, 2) : `harvested (${r.via}): ${r.filesRead} files read, ${r.sessionsNew} new sessions, ${r.sessionsUpdated} updated`);
    });
  service
    .command('reload')
    .description('make the running daemon re-read config.json (a broken file is refused and the old config stays)')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const ctx = context();
      const asked = (await askRunningDaemon(ctx, 'reload-config')) as { result: unknown } | undefined;
      if (!asked) throw new SkillOptError('NOT_FOUND', 'no daemon is running', { hint: 'the config is read when the daemon starts: `skillopt-sleep install`, or `skillopt-sleep daemon`' });
      const r = asked.result as { schedule: { at: string; timeZone: string } };
      ctx.output.out(opts.json ? JSON.stringify(asked.result, null, 2) : `config reloaded; nights at ${r.schedule.at} ${r.schedule.timeZone}`);
    });
  service
    .command('stop')
    .description('stop the running daemon cleanly (an installed service may restart it: use `uninstall` to remove it)')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const ctx = context();
      const asked = (await askRunningDaemon(ctx, 'stop')) as { result: unknown } | undefined;
      const result = asked ? { stopped: true, ...(asked.result as object) } : { stopped: false, reason: 'no daemon is running' };
      ctx.output.out(opts.json ? JSON.stringify(result, null, 2) : asked ? `daemon stopping (pid ${(asked.result as { pid: number }).pid})` : 'no daemon is running');
    });
}
