import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { runHistory } from '../../app/skill-versions.js';

/** `history SKILL`: every version of a skill. */
export function registerHistory(program: Command, context: () => CliContext): void {
  program
    .command('history')
    .description('list every version of a skill (baseline, adopted, rollback, external-edit) and any pending proposal')
    .argument('<skill>', 'skill name (see `skillopt-sleep skills`)')
    .option('--json', 'print as JSON')
    .action((skill: string, opts: { json?: boolean }) => {
      const ctx = context();
      const h = runHistory(ctx, skill);
      if (opts.json) return ctx.output.out(JSON.stringify(h, null, 2));
      const lines = [`${h.skill} (${h.state}) · ${h.locations.map((l) => l.path).join(', ')}`];
      for (const v of [...h.versions].reverse()) lines.push(`  v${v.version}${v.onDisk ? ' *' : '  '} ${v.source.padEnd(13)} ${v.createdAt}${v.night !== null ? ` night ${v.night}` : ''}  ${v.sha256.slice(0, 12)}  ${v.bytes} bytes${v.note ? `  ${v.note}` : ''}`);
      for (const p of h.pending) lines.push(`  pending: night ${p.night} proposal on v${p.baseVersion}${p.flagged ? ` (${p.flagged} flagged edits)` : ''}: skillopt-sleep diff ${h.skill}`);
      lines.push('  (* = on disk now)');
      ctx.output.out(lines.join('\n'));
    });
}
