import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { applyPlan, planUninstall, renderPlan, serviceTarget } from '../../service/installer.js';
import { processRunner, type CommandRunner } from '../../service/runner.js';

/** `uninstall`: stop and remove the service; the data stays unless --purge. */
export function registerUninstall(program: Command, context: () => CliContext, runner?: () => CommandRunner): void {
  program
    .command('uninstall')
    .description('stop and remove the background service; the state folder (database, config, logs) stays unless --purge')
    .option('--purge', 'also delete the state folder: harvested sessions, replay set, nights, config and logs')
    .option('--dry-run', 'print what would be removed and run; change nothing')
    .option('--json', 'print as JSON')
    .action((opts: { purge?: boolean; dryRun?: boolean; json?: boolean }) => {
      const ctx = context();
      const target = serviceTarget(ctx.environment, process.getuid?.() ?? 0);
      const plan = planUninstall(target, { purge: Boolean(opts.purge), stateHome: ctx.paths.home, homeDir: ctx.environment.homeDir });
      if (opts.dryRun) {
        ctx.output.out(opts.json ? JSON.stringify({ dryRun: true, ...plan }, null, 2) : renderPlan(plan, 'uninstall'));
        return;
      }
      const result = applyPlan(plan, (runner ?? (() => processRunner(ctx.environment.env)))());
      const data = { uninstalled: true, manager: plan.manager, removed: plan.unitPath, purged: opts.purge ? ctx.paths.home : null, commands: result.applied.filter((a) => a.step.kind === 'run').map((a) => ({ argv: (a.step as { argv: string[] }).argv, code: a.code })), notes: result.notes };
      ctx.output.out(opts.json ? JSON.stringify(data, null, 2) : [`removed ${plan.unitPath}${opts.purge ? ` and ${ctx.paths.home}` : ''}`, ...result.notes.map((n) => `note: ${n}`)].join('\n'));
    });
}
