import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { runRollback } from '../../app/skill-versions.js';
import { numberArg } from '../number-arg.js';

/** `rollback SKILL [--to VERSION]`: write an earlier version back byte for byte. */
export function registerRollback(program: Command, context: () => CliContext): void {
  program
    .command('rollback')
    .description('restore an earlier version of a skill byte for byte (default: the version before the newest); recorded as a new version')
    .argument('<skill>', 'skill name')
    .option('--to <version>', 'version to restore (see `skillopt-sleep history SKILL`)', numberArg('int', 1))
    .option('--json', 'print the result as JSON')
    .action((skill: string, opts: { to?: number; json?: boolean }) => {
      const ctx = context();
      const r = runRollback(ctx, skill, opts.to);
      if (opts.json) return ctx.output.out(JSON.stringify(r, null, 2));
      ctx.output.out(r.changed ? `restored ${r.skill} v${r.restored} (recorded as v${r.version})\n${r.paths.map((p) => `  wrote ${p}`).join('\n')}` : `${r.skill} already holds the bytes of v${r.restored}; nothing written`);
    });
}
