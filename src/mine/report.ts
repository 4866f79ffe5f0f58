/** What one mining run did. */
export interface MineReport {
  sessions: { read: number; mined: number; skipped: Record<string, number> };
  prompts: { clustered: number; refreshed: number; skipped: Record<string, number> };
  /** created: founded by this run; updated: existing families that gained or re-labelled members. */
  families: { total: number; recurring: number; created: number; updated: number };
  tasks: { new: number; updated: number; unchanged: number; gameable: number; cappedPerFamily: number; cappedPerRun: number; folded: number; flagged: number };
  /** Turns that reacted to the previous answer (evidence, never tasks); orphans had no answer to react to. */
  followUps: { evidence: number; orphans: number; unanswered: number };
  /** Judges of the recurring families touched: grounded, ungrounded (flagged), without feedback; checks kept and dropped. */
  judges: { grounded: number; ungrounded: number; noFeedback: number; checks: number; dropped: number; disagreeing: number };
  /** Families too small to hold an instance out: their tasks train and wait for more. */
  waiting: Array<{ family: string; kindred?: string[]; instances: number; need: number }>;
  llm: { calls: number; failures: number; droppedChecks: number; reasons: string[] };
  /** Up to 20 recurring families touched by this run, largest first. */
  touched: Array<{
    id: string;
    label: string;
    sessions: number;
    members: number;
    tasks: number;
    /** Instances (requests), tasks written from them now or before, and those waiting over the per-family cap. */
    instances: number;
    used: number;
    waiting: number;
    judge: 'grounded' | 'ungrounded' | 'no-feedback';
    checks: Array<{ describe: string; source: string; passes: number; fails: number }>;
    dropped: Array<{ describe: string; source: string; reason: string }>;
    /** Families of the same kin (same checks, same shape of accepted answer); a small one is split by time with the others. */
    kindred: string[];
  }>;
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
  const f = report.followUps;
  lines.push(`follow-ups: ${f.evidence} kept as evidence on the request they follow (never tasks)${f.orphans > 0 ? `; ${f.orphans} with no answer to react to (kept, not used)` : ''}${f.unanswered > 0 ? `; ${f.unanswered} request(s) never answered` : ''}`);
  const j = report.judges;
  lines.push(`judges: ${j.grounded} grounded, ${j.ungrounded} not grounded (flagged), ${j.noFeedback} without feedback (request rubric); ${j.checks} checks kept, ${j.dropped} dropped${j.disagreeing > 0 ? `; ${j.disagreeing} accepted answer(s) failed every candidate check (instances disagree)` : ''}`);
  if (t.flagged > 0) lines.push(`flagged: ${t.flagged} task(s) excluded until their family's judge grounds (\`tasks show ID\` shows why; \`tasks include ID\` to use them anyway)`);
  if (t.folded > 0) lines.push(`folded: ${t.folded} near-identical prompt(s) joined another instance's task`);
  if (t.cappedPerFamily > 0 || t.cappedPerRun > 0) lines.push(`waiting: ${t.cappedPerFamily} instance(s) over the per-family cap (mine.maxTasksPerFamily; the newest are used), ${t.cappedPerRun} over the per-run cap (mine.maxNewTasksPerRun; next run)`);
  for (const w of report.waiting) lines.push(`waiting: family ${w.family}${w.kindred && w.kindred.length > 0 ? ` with its kindred ${w.kindred.join(', ')}` : ''} has ${w.instances} instance(s); it trains only until it has ${w.need} (then its later ones are held out): ${w.need - w.instances} more to go`);
  if (report.llm.calls > 0) {
    lines.push(`llm miner: ${report.llm.calls} calls, ${report.llm.failures} failed (heuristic judge kept), ${report.llm.droppedChecks} checks dropped (invalid or not grounded)`);
    for (const reason of report.llm.reasons) lines.push(`  ${reason}`);
  }
  if (report.touched.length > 0) {
    lines.push('recurring families touched:');
    for (const fam of report.touched) {
      lines.push(`  ${fam.id}  ${fam.sessions} sessions, ${fam.instances} instances: ${fam.used} used, ${fam.waiting} waiting; judge ${fam.judge}  ${JSON.stringify(fam.label.length > 70 ? `${fam.label.slice(0, 69)}…` : fam.label)}`);
      for (const c of fam.checks) lines.push(`    kept: ${c.describe} (passes ${c.passes} accepted, fails ${c.fails} corrected)`);
      for (const d of fam.dropped.slice(0, 5)) lines.push(`    dropped: ${d.describe}: ${d.reason}`);
      if (fam.kindred.length > 0) lines.push(`    kindred (same checks, same shape of accepted answer; one too small to hold out alone is split with them): ${fam.kindred.join(', ')}`);
    }
  }
  return lines.join('\n');
}
