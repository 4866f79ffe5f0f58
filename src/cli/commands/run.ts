import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { runNight, type NightProgress } from '../../app/run-night.js';
import { renderNightSummary } from '../../report/night-summary.js';
import { trainProgressLines } from '../progress.js';
import { createProgress } from '../output.js';
import { interruptSignal } from '../interrupt.js';
import { daemonNightReport, nightViaDaemon } from '../daemon-ask.js';

/** `run`: one night now: lock, harvest, mine, train each target skill, stage proposals, write the report. */
export function registerRun(program: Command, context: () => CliContext): void {
  program
    .command('run')
    .description('run one night: harvest, mine, train each skill that has enough tasks, stage proposals and write the morning report')
    .option('--now', 'run now; when the daemon is up it runs the night (a night already running is joined, never doubled), else it runs here')
    .option('--dry-run', 'train and report, but stage nothing')
    .option('--skill <name|path>', 'train only this skill: a skill name, or the path of a skill file to train tonight')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { now?: boolean; dryRun?: boolean; skill?: string; json?: boolean }) => {
      const ctx = context();
      // The daemon runs the night when it is up, so a CLI night never races the service's; --dry-run and
      // --skill are this command's own, so those nights run here.
      if (!opts.dryRun && opts.skill === undefined) {
        const asked = await nightViaDaemon(ctx);
        if (asked) {
          const { report, files } = daemonNightReport(asked);
          ctx.output.err(`night ${report.night} run by the daemon${asked.joined ? ' (joined the night already running)' : ''}`);
          ctx.output.out(opts.json ? JSON.stringify({ ...report, files, via: 'daemon', joined: asked.joined ?? false }, null, 2) : renderNightSummary(report, files));
          if (report.status === 'failed') process.exitCode = 1;
          if (report.status === 'interrupted') process.exitCode = 130;
          return;
        }
      }
      const interrupt = interruptSignal((name) => ctx.output.err(`${name}: stopping after the calls in flight; the report will say what was skipped (again to quit at once)`));
      const progress = createProgress(ctx.output, ctx.clock, { quiet: opts.json });
      const steps = trainProgressLines(progress, '  ');
      const onProgress = ctx.output.interactive && !opts.json ? (e: NightProgress) => (e.stage === 'step' ? steps(e.event) : progress.line(e.stage === 'train' ? `training ${e.skill} on ${e.tasks} tasks` : `${e.stage}...`)) : undefined;
      const outcome = await runNight(ctx, { dryRun: opts.dryRun ?? false, ...(opts.skill ? { skill: opts.skill } : {}), reason: 'now', holder: 'cli', signal: interrupt.signal, ...(onProgress ? { onProgress } : {}) }).finally(() => interrupt.dispose());
      ctx.output.out(opts.json ? JSON.stringify({ ...outcome.report, files: outcome.files, via: 'standalone' }, null, 2) : renderNightSummary(outcome.report, outcome.files));
      if (outcome.status === 'failed') process.exitCode = 1;
      if (outcome.status === 'interrupted') process.exitCode = 130;
    });
}
