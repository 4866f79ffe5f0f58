/** What one mining run did. */
export interface MineReport {
  sessions: { read: number; mined: number; skipped: Record<string, number> };
  prompts: { clustered: number; refreshed: number; skipped: Record<string, number> };
  /** created: founded by this run; updated: existing families that gained or re-labelled members. */
  families: { total: number; recurring: number; created: number; updated: number };
  tasks: { new: number; updated: number; unchanged: number; gameable: number; cappedPerFamily: number; cappedPerRun: number };
  llm: { calls: number; failures: number; droppedChecks: number; reasons: string[] };
  /** Up to 20 recurring families touched by this run, largest first. */
  touched: Array<{ id: string; label: string; sessions: number; members: number; tasks: number }>;
}

function reasons(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k} ${v}`).join(', ');
}

/** The mining report as text for a person (the CLI prints it; `--json` prints the report itself). */
export function renderMineReport(report: MineReport): string {
  const t = report.tasks;
  const lines = [
    `sessions: ${report.sessions.read} read, ${report.sessions.mined} mined; skipped: ${reasons(report.sessions.skipped)}`,
    `prompts: ${report.prompts.clustered} clustered, ${report.prompts.refreshed} re-labelled; skipped: ${reasons(report.prompts.skipped)}`,
    `families: ${report.families.total} in all, ${report.families.recurring} recurring; ${report.families.created} new, ${report.families.updated} updated`,
    `tasks: ${t.new} new, ${t.updated} updated, ${t.unchanged} unchanged${t.gameable > 0 ? `; ${t.gameable} with a shape-only judge (train only)` : ''}`,
  ];
  if (t.cappedPerFamily > 0 || t.cappedPerRun > 0) lines.push(`capped: ${t.cappedPerFamily} over the per-family cap, ${t.cappedPerRun} over the per-run cap (they wait for the next run)`);
  if (report.llm.calls > 0) {
    lines.push(`llm miner: ${report.llm.calls} calls, ${report.llm.failures} failed (heuristic judge kept), ${report.llm.droppedChecks} invalid checks dropped`);
    for (const reason of report.llm.reasons) lines.push(`  ${reason}`);
  }
  if (report.touched.length > 0) {
    lines.push('recurring families touched:');
    for (const f of report.touched) lines.push(`  ${f.id}  ${f.sessions} sessions, ${f.members} prompts, ${f.tasks} tasks  ${JSON.stringify(f.label.length > 70 ? `${f.label.slice(0, 69)}…` : f.label)}`);
  }
  return lines.join('\n');
}
