import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { runSkills } from '../../app/run-skills.js';

/** `skills`: the skills a night trains, and every skill found on disk per agent. */
export function registerSkills(program: Command, context: () => CliContext): void {
  program
    .command('skills')
    .description('list the skills the night trains and every skill found in the agents\' folders (user and project level)')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => {
      const ctx = context();
      const r = runSkills(ctx);
      if (opts.json) return ctx.output.out(JSON.stringify(r, null, 2));
      const lines = ['trained by the night:'];
      for (const s of r.trained) lines.push(`  ${s.name} (${s.kind}, v${s.version}, ${s.state})`, ...s.locations.map((l) => `    ${l.agent}: ${l.path}${l.primary ? ' (primary)' : ''}`));
      lines.push(r.found.length > 0 ? 'found on disk:' : 'found on disk: none');
      for (const f of r.found) lines.push(`  ${f.name} [${f.agent}, ${f.scope}]${f.trained ? ' (trained)' : ''} ${f.path}${f.problem ? `\n    problem: ${f.problem.split('\n')[0]}` : ''}`);
      if (r.found.some((f) => !f.trained && !f.problem)) lines.push('train one too: add its path to night.skills in config.json, or `skillopt-sleep run --now --skill PATH`');
      for (const p of r.problems) lines.push(`problem: ${p}`);
      ctx.output.out(lines.join('\n'));
    });
}
