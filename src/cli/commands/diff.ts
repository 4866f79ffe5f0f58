import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { runDiff } from '../../app/skill-versions.js';

/** Colour a unified diff for a terminal: additions green, removals red, hunks cyan. */
export function colourDiff(diff: string): string {
  return diff
    .split('\n')
    .map((l) => (l.startsWith('+++') || l.startsWith('---') ? `\x1b[1m${l}\x1b[0m` : l.startsWith('+') ? `\x1b[32m${l}\x1b[0m` : l.startsWith('-') ? `\x1b[31m${l}\x1b[0m` : l.startsWith('@@') ? `\x1b[36m${l}\x1b[0m` : l))
    .join('\n');
}

/** `diff SKILL [A] [B]`: a unified diff between versions, or the newest version and the pending proposal. */
export function registerDiff(program: Command, context: () => CliContext): void {
  program
    .command('diff')
    .description('unified diff of a skill: newest version -> pending proposal, or previous -> newest; A and B name versions (or "proposal")')
    .argument('<skill>', 'skill name')
    .argument('[a]', 'from version (default: newest, or the previous one when nothing is pending)')
    .argument('[b]', 'to version (default: the pending proposal, or the newest)')
    .action((skill: string, a: string | undefined, b: string | undefined) => {
      const ctx = context();
      const d = runDiff(ctx, skill, a, b);
      if (!d.diff) return ctx.output.out(`${d.from} and ${d.to} are identical`);
      ctx.output.out(process.stdout.isTTY && !ctx.environment.env.NO_COLOR ? colourDiff(d.diff) : d.diff);
    });
}
