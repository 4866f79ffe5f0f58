import { Option, type Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { runAdopt } from '../../app/decide.js';
import { numberArg } from '../number-arg.js';

/** `adopt`: write a night's proposal where its agents load the skill, and record the version. */
export function registerAdopt(program: Command, context: () => CliContext): void {
  program
    .command('adopt')
    .description('adopt a night\'s proposal: write the skill atomically where its agents load it and record the version')
    .option('--night <n>', 'which night (default: the newest with a pending proposal)', numberArg('int', 1))
    .addOption(new Option('--skill <name>', 'adopt only this skill\'s proposal').conflicts('all'))
    .addOption(new Option('--all', 'adopt every proposal of the night').conflicts('skill'))
    .option('--json', 'print the result as JSON')
    .action((opts: { night?: number; skill?: string; all?: boolean; json?: boolean }) => {
      const ctx = context();
      const { results } = runAdopt(ctx, opts);
      if (opts.json) ctx.output.out(JSON.stringify({ results }, null, 2));
      else {
        for (const r of results) {
          if (r.adopted) ctx.output.out(`adopted ${r.skill} from night ${r.night} as v${r.version}${r.how === 'reapplied' ? ' (edits re-applied to your hand-edited file)' : r.how === 'completed' ? ' (an earlier adopt had already written it)' : ''}\n${r.paths.map((p) => `  wrote ${p}`).join('\n')}\n  undo: skillopt-sleep rollback ${r.skill}`);
          else ctx.output.err(`refused to adopt ${r.skill} from night ${r.night}: ${r.reason}\n  fix: ${r.hint}`);
        }
      }
      if (results.some((r) => !r.adopted)) process.exitCode = 1;
    });
}
