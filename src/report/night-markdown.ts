// report.md: the morning report for a person, from the report model (pure).
import type { NightReport } from './night-report.js';
import { formatPercent } from './format.js';
import { nightFacts, signedPts, skillView, type EditView } from './night-view.js';

const one = (text: string, max = 160) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

function editLines(e: EditView, extra: string): string[] {
  const lines = [`- step ${e.step} · \`${e.op}\`${e.anchor ? ` at "${one(e.anchor, 60)}"` : ''}: "${one(e.content)}"${extra}`];
  if (e.flagged) lines.push(`  - **flagged:** ${e.flagged}`);
  if (e.rationale) lines.push(`  - why: ${one(e.rationale)}`);
  lines.push(`  - support ${e.support} (${e.sourceType})${e.evidence.length > 0 ? `; tasks: ${e.evidence.map((t) => (t.prompt ? `${t.id} ("${one(t.prompt, 70)}")` : t.id)).join(', ')}` : ''}`);
  return lines;
}

/** Render report.md. */
export function renderNightMarkdown(r: NightReport): string {
  const out: string[] = [`# skillopt-sleep: night ${r.night}${r.dryRun ? ' (dry run)' : ''}`, ''];
  out.push(`${r.startedAt} to ${r.finishedAt} · ${r.trigger} · status **${r.status}**`, '');
  if (r.error) out.push(`> **The night failed:** ${r.error.replace(/\n/g, '\n> ')}`, '');
  out.push('## Headline', '');
  for (const s of r.skills) {
    const v = skillView(s);
    out.push(`- **${s.name}**: ${v.headline}. Decision: ${v.decision}.`);
  }
  if (r.skills.length === 0) out.push('- no skill was planned');
  out.push('');
  if (r.warnings.length > 0) out.push('## Warnings', '', ...r.warnings.map((w) => `- ${w}`), '');
  const flagged = r.skills.flatMap((s) => s.flagged.map((f) => ({ s: s.name, f })));
  if (flagged.length > 0) {
    out.push('## Flagged edits (read these first; never adopted automatically)', '');
    for (const { s, f } of flagged) out.push(`- ${s}, edit ${f.edit + 1} [${f.kinds.join(', ')}]: ${f.detail}`, `  > ${one(f.content, 300)}`);
    out.push('');
  }
  for (const s of r.skills) {
    const v = skillView(s);
    out.push(`## ${s.name} (${s.kind === 'managed' ? 'managed learned skill' : 'your skill'})`, '');
    out.push(`Written to: ${s.locations.map((l) => `${l.path} (${l.agent})`).join(', ')}`, '');
    out.push(`Tasks: train ${s.tasks.train}, val ${s.tasks.val}, test ${s.tasks.test}${s.tasks.unsplit ? `, unsplit ${s.tasks.unsplit}` : ''}; trained on version ${s.baseVersion ?? '-'}.`, '');
    if (!s.run) {
      out.push(`Not trained: ${s.reason ?? 'not planned'}.`, '');
      continue;
    }
    out.push(`**${v.headline}**`, '', `Decision: ${v.decision}.`, '');
    out.push('### Skill diff', '', '```diff', s.run.diff.trimEnd() || '(no change)', '```', '');
    out.push(`### Applied edits (${v.applied.length})`, '', ...(v.applied.length ? v.applied.flatMap((e) => editLines(e, e.contribution !== undefined ? ` · contribution ${signedPts(e.contribution)}` : '')) : ['(none)']), '');
    out.push(`### Rejected edits (${v.rejected.length + v.dropped.length})`, '');
    out.push(...v.rejected.flatMap((e) => editLines(e, ` · rejected by the gate, score change ${signedPts(e.scoreDrop ?? null)}`)));
    out.push(...v.dropped.flatMap((e) => editLines(e, ` · dropped by attribution, contribution ${signedPts(e.contribution ?? null)}`)));
    if (v.rejected.length + v.dropped.length === 0) out.push('(none)');
    out.push('', `### Unmatched edits (${v.unmatched.length})`, '', ...(v.unmatched.length ? v.unmatched.flatMap((e) => editLines(e, ` · ${e.unmatched ?? 'unmatched'}`)) : ['(none)']), '');
    if (v.perTask.length > 0) {
      out.push('### Held-out test tasks', '', '| task | before | after | change |', '|---|---|---|---|');
      for (const t of v.perTask) out.push(`| ${t.taskId} | ${formatPercent(t.before)} | ${formatPercent(t.after)} | ${signedPts(t.delta)} |`);
      out.push('');
    }
    if (s.history.length > 0) {
      out.push('### Held-out test score across nights', '', '| night | before | after |', '|---|---|---|');
      for (const h of s.history) out.push(`| ${h.night} | ${formatPercent(h.before)} | ${formatPercent(h.after)} |`);
      out.push('');
    }
  }
  out.push('## What the night read', '', ...nightFacts(r).map((f) => `- ${f}`));
  for (const src of r.harvest.sources) out.push(`  - ${src.source}: ${src.filesRead} files, ${src.sessions} sessions, ${src.skippedLines} lines skipped`);
  if (r.recorded.length > 0) out.push('', 'Versions recorded before training:', ...r.recorded.map((x) => `- ${x}`));
  out.push('');
  out.push('## Next', '', ...(r.commands.length > 0 ? ['```sh', ...r.commands, '```'] : ['Nothing to decide. The next night trains again as more sessions recur.']), '');
  return out.join('\n');
}
