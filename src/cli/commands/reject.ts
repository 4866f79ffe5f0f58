import { Option, type Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { runReject } from '../../app/decide.js';
import { numberArg } from '../number-arg.js';

/** `reject`: record the decision; the proposal's edits join the rejected-edit memory later nights read. */
export function registerReject(program: Command, context: () => CliContext): void {
  program
    .command('reject')
    .description('reject a night\'s proposal; its edits go to the rejected-edit memory so later nights do not propose them again')
    .option('--night <n>', 'which night (default: the newest with a pending proposal)', numberArg('int', 1))
    .addOption(new Option('--skill <name>', 'reject only this skill\'s proposal').conflicts('all'))
    .addOption(new Option('--all', 'reject every proposal of the night').conflicts('skill'))
    .option('--json', 'print the result as JSON')
    .action((opts: { night?: number; skill?: string; all?: boolean; json?: boolean }) => {
      const ctx = context();
      const { results } = runReject(ctx, opts);
      ctx.output.out(opts.json ? JSON.stringify({ results }, null, 2) : results.map((r) => `rejected ${r.skill} from night ${r.night}; ${r.edits} edit${r.edits === 1 ? '' : 's'} added to the rejected-edit memory`).join('\n'));
    });
}
