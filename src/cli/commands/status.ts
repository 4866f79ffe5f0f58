import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { runStatus, type StatusReport } from '../../app/run-status.js';
import { cliServiceStatus } from '../service-status.js';

function render(s: StatusReport): string {
  const yn = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');
  const lines = [`service: installed ${yn(s.service.installed)}, running ${yn(s.service.running)}${s.service.pid ? ` (pid ${s.service.pid})` : ''} · ${s.service.detail}`];
  lines.push(s.running ? `night ${s.running.night} is running (${s.running.holder}, pid ${s.running.pid}, since ${s.running.since})` : 'no night is running');
  lines.push(s.lastNight ? `last night: ${s.lastNight.night}, ${s.lastNight.status}${s.lastNight.dryRun ? ' (dry run)' : ''}, ${s.lastNight.startedAt}${s.lastNight.report ? ` · ${s.lastNight.report}` : ''}` : 'last night: none yet');
  lines.push(`next night: ${s.nextNight.at ? `${s.nextNight.at} (${s.nextNight.detail})` : s.nextNight.detail}`);
  lines.push(s.pending.length > 0 ? `pending proposals: ${s.pending.map((p) => `${p.skill} (night ${p.night}${p.flagged ? `, ${p.flagged} flagged` : ''})`).join(', ')}` : 'pending proposals: none');
  lines.push(`replay set: ${s.replaySet.total} active tasks (train ${s.replaySet.train}, val ${s.replaySet.val}, test ${s.replaySet.test}${s.replaySet.unsplit ? `, unsplit ${s.replaySet.unsplit}` : ''})`);
  lines.push(s.sources.length > 0 ? 'sources:' : 'sources: nothing harvested yet', ...s.sources.map((x) => `  ${x.source}: ${x.sessions} sessions, last harvest ${x.lastHarvest ?? 'never'}`));
  lines.push('skills:', ...s.skills.map((x) => `  ${x.name} (${x.kind}): v${x.version}, ${x.state} · ${x.path}`));
  for (const p of s.problems) lines.push(`problem: ${p}`);
  return lines.join('\n');
}

/** `status`: service state, last and next night, pending proposals, replay set, sources. */
export function registerStatus(program: Command, context: () => CliContext): void {
  program
    .command('status')
    .description('show the service state, the last and next night, pending proposals, the replay set by split and the sources')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const ctx = context();
      const status = await runStatus({ ...ctx, readServiceStatus: cliServiceStatus(ctx) });
      ctx.output.out(opts.json ? JSON.stringify(status, null, 2) : render(status));
    });
}
