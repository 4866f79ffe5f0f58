import type { Command } from 'commander';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliContext } from '../../app/deps.js';
import { SkillOptError } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/fs.js';
import { parseConfig } from '../../config/config.js';
import { parseHourMinute } from '../../daemon/zoned-time.js';
import { applyPlan, planInstall, readExisting, renderPlan, serviceTarget } from '../../service/installer.js';
import { processRunner, type CommandRunner } from '../../service/runner.js';
import type { ServiceSpec } from '../../service/spec.js';
import { readServiceStatus, renderServiceStatus } from '../../service/status.js';
import { readLastNight } from '../../daemon/services.js';
import { lazyDb } from '../../daemon/compose.js';
import { localTimeZone } from './daemon.js';

/** The spec of this installation: this node, this package's CLI, this state folder, this PATH. */
export function currentServiceSpec(ctx: CliContext, stopTimeoutSeconds: number): ServiceSpec {
  const cliPath = realpathSync(fileURLToPath(new URL('../main.js', import.meta.url)));
  const nodePath = realpathSync(process.execPath);
  // Node's own folder first, so the daemon runs on the node that installed it; then the user's PATH, deduplicated.
  const parts = [dirname(nodePath), ...(ctx.environment.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':')].filter((p) => p.startsWith('/'));
  return { nodePath, cliPath, stateHome: ctx.paths.home, homeDir: ctx.environment.homeDir, pathEnv: [...new Set(parts)].join(':'), stopTimeoutSeconds };
}

/** Set daemon.schedule.at in config.json (validated, written atomically, every other key kept). */
function writeScheduleTime(path: string, at: string): void {
  let raw: Record<string, unknown> = {};
  if (existsSync(path)) {
    try {
      raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new SkillOptError('CONFIG', `${path} is not valid JSON`, { hint: 'fix the file first; install changes only daemon.schedule.at', cause: error });
    }
  }
  const daemon = (raw.daemon ?? {}) as Record<string, unknown>;
  const next = { ...raw, daemon: { ...daemon, schedule: { ...((daemon.schedule ?? {}) as Record<string, unknown>), at } } };
  const parsed = parseConfig(next);
  if (!parsed.ok) throw new SkillOptError('CONFIG', `${path} has invalid settings:\n${parsed.errors.map((e) => `  ${e}`).join('\n')}`, { hint: 'fix them first (`skillopt-sleep config schema` lists every key)' });
  writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`);
}

/** `install`: write and start the launchd agent (macOS) or systemd user unit (Linux). */
export function registerInstall(program: Command, context: () => CliContext, runner?: () => CommandRunner): void {
  program
    .command('install')
    .description('install the background service: a launchd agent (macOS, ~/Library/LaunchAgents) or a systemd user unit (Linux, ~/.config/systemd/user), started now and at every login')
    .option('--at <HH:MM>', 'time of the nightly run (local time; stored as daemon.schedule.at in config.json)')
    .option('--dry-run', 'print the file that would be written and the commands that would run; change nothing')
    .option('--json', 'print as JSON')
    .action(async (opts: { at?: string; dryRun?: boolean; json?: boolean }) => {
      const ctx = context();
      if (opts.at !== undefined && parseHourMinute(opts.at) === undefined) throw new SkillOptError('INPUT', `--at "${opts.at}" is not a time`, { hint: 'use HH:MM from 00:00 to 23:59, e.g. --at 03:00' });
      const config = ctx.config();
      const uid = process.getuid?.() ?? 0;
      const target = serviceTarget(ctx.environment, uid);
      const spec = currentServiceSpec(ctx, config.daemon.shutdownSeconds + 10);
      const plan = planInstall(spec, target, readExisting(target.unitPath));
      const run = (runner ?? (() => processRunner(ctx.environment.env)))();
      const db = lazyDb(ctx.paths.db);
      const status = () =>
        readServiceStatus({ paths: ctx.paths, environment: ctx.environment, clock: ctx.clock, uid, localTimeZone: localTimeZone(), daemonConfig: opts.at ? { ...config.daemon, schedule: { ...config.daemon.schedule, at: opts.at } } : config.daemon, lastNight: () => (existsSync(ctx.paths.db) ? readLastNight(db.open()) : null), runner: opts.dryRun ? undefined : run });
      try {
        if (opts.dryRun) {
          const current = await status();
          const data = { dryRun: true, manager: plan.manager, unitPath: plan.unitPath, steps: plan.steps, notes: plan.notes, ...(opts.at ? { configChange: { path: ctx.paths.config, set: { 'daemon.schedule.at': opts.at } } } : {}), status: current };
          ctx.output.out(opts.json ? JSON.stringify(data, null, 2) : `${opts.at ? `would set daemon.schedule.at = ${opts.at} in ${ctx.paths.config}\n` : ''}${renderPlan(plan, 'install')}\n\nnow:\n${renderServiceStatus(current)}`);
          return;
        }
        if (opts.at) writeScheduleTime(ctx.paths.config, opts.at);
        const before = await status();
        const result = applyPlan(plan, run);
        if (before.daemon.running) {
          // The service's daemon exits (LOCKED) and is restarted every 10 s until the other one stops.
          result.notes.push(`a daemon started by hand is running (pid ${before.daemon.pid}); the service takes over once it stops: skillopt-sleep service stop`);
        }
        const after = await status();
        const data = { installed: true, manager: plan.manager, unitPath: plan.unitPath, commands: result.applied.filter((a) => a.step.kind === 'run' || a.step.kind === 'check').map((a) => ({ argv: (a.step as { argv: string[] }).argv, code: a.code })), notes: result.notes, status: after };
        ctx.output.out(opts.json ? JSON.stringify(data, null, 2) : [`installed ${plan.unitPath}`, ...result.notes.map((n) => `note: ${n}`), '', renderServiceStatus(after)].join('\n'));
      } finally {
        db.close();
      }
    });
}
