import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { runReportLookup } from '../../app/run-status.js';
import { renderNightSummary } from '../../report/night-summary.js';
import { numberArg } from '../number-arg.js';

/** `report`: the terminal summary of a night's morning report. */
export function registerReport(program: Command, context: () => CliContext): void {
  program
    .command('report')
    .description('print the summary of a night\'s morning report (default: the last night); report.md and report.html hold the rest')
    .option('--night <n>', 'which night', numberArg('int', 1))
    .option('--open', 'also open report.html in the default browser')
    .option('--json', 'print report.json')
    .action((opts: { night?: number; open?: boolean; json?: boolean }) => {
      const ctx = context();
      const { report, files } = runReportLookup(ctx, opts.night);
      ctx.output.out(opts.json ? JSON.stringify({ ...report, files }, null, 2) : renderNightSummary(report, files));
      if (opts.open) {
        const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
        const child = spawn(opener, [files.html], { detached: true, stdio: 'ignore' });
        child.on('error', () => ctx.output.err(`could not start ${opener}; open ${files.html} in a browser`));
        child.unref();
      }
    });
}
