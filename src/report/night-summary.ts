// The terminal summary `run` and `report` print (pure).
import type { NightReport } from './night-report.js';
import { nightFacts, skillView } from './night-view.js';

/** A few lines a person reads in a terminal; the files hold the rest. */
export function renderNightSummary(r: NightReport, files: { md: string; html: string }): string {
  const lines = [`night ${r.night}${r.dryRun ? ' (dry run)' : ''}: ${r.status} · ${r.startedAt}`];
  if (r.error) lines.push(`  failed: ${r.error}`);
  for (const s of r.skills) {
    const v = skillView(s);
    lines.push(`  ${s.name}: ${v.headline}`, `    ${v.decision}${s.flagged.length > 0 ? ` · ${s.flagged.length} flagged edit${s.flagged.length === 1 ? '' : 's'}` : ''}`);
    if (s.run) lines.push(`    edits: ${v.applied.length} applied, ${v.rejected.length + v.dropped.length} rejected, ${v.unmatched.length} unmatched`);
  }
  for (const f of nightFacts(r)) lines.push(`  ${f}`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  lines.push(`  report: ${files.md}`, `  html:   ${files.html}`);
  if (r.commands.length > 0) lines.push('  next:', ...r.commands.map((c) => `    ${c}`));
  return lines.join('\n');
}
