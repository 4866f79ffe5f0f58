import { formatTable } from '../core/table.js';
import type { SkipReason } from './types.js';
import type { HarvestReport, SourceHarvestReport } from './harvester.js';
import type { SessionRecord } from '../store/sessions-repo.js';

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function formatSkips(skipped: Record<SkipReason, number>): string {
  const parts = Object.entries(skipped)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${reason}=${n}`);
  return parts.length ? parts.join(' ') : '-';
}

function reportRow(name: string, r: Omit<SourceHarvestReport, 'source'>): string[] {
  return [
    name,
    String(r.filesSeen),
    String(r.filesRead),
    String(r.sessionsNew),
    String(r.sessionsUpdated),
    formatBytes(r.bytesRead),
    `${r.durationMs} ms`,
    formatSkips(r.skipped),
  ];
}

/** A compact table of a harvest: per source files seen/read, sessions new/updated, bytes, time, skips. */
export function renderHarvestReport(report: HarvestReport): string {
  const rows = [['source', 'seen', 'read', 'new', 'updated', 'bytes', 'time', 'skipped']];
  for (const r of report.sources) rows.push(reportRow(r.source, r));
  if (report.sources.length > 1) rows.push(reportRow('total', report.totals));
  const lines = [formatTable(rows)];
  if (report.totals.secretsRedacted > 0) lines.push(`${report.totals.secretsRedacted} secret(s) redacted before storing`);
  return lines.join('\n');
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The JSON shape of a session for `sessions list/show --json` (snake_case, stable for scripts). */
export function toSessionJson(record: SessionRecord): Record<string, unknown> {
  const d = record.digest;
  return {
    id: record.id,
    session_id: record.sessionId,
    source: record.source,
    project: d.project ?? null,
    started_at: d.startedAt ?? null,
    ended_at: d.endedAt ?? null,
    prompts: d.prompts,
    final_answers: d.finalAnswers,
    tools: d.tools,
    skills: d.skills,
    files_touched: d.filesTouched,
    feedback: d.feedback,
    tool_errors: d.toolErrors ?? [],
    models: d.models,
    tokens: d.tokens,
    headless: d.headless,
    own_replay: d.ownReplay,
    harvested_at: record.harvestedAt,
    updated_at: record.updatedAt,
  };
}

/** One line per session: id, source, start, project, prompt count, first prompt. */
export function renderSessionList(records: readonly SessionRecord[]): string {
  if (records.length === 0) return 'no sessions harvested yet (run `skillopt-sleep harvest`)';
  const rows = [['id', 'source', 'started (UTC)', 'project', 'prompts', 'first prompt']];
  for (const r of records) {
    const d = r.digest;
    const flags = [d.headless ? 'headless' : '', d.ownReplay ? 'own-replay' : ''].filter(Boolean).join(',');
    rows.push([
      String(r.id),
      r.source,
      d.startedAt?.slice(0, 16).replace('T', ' ') ?? '-',
      oneLine(d.project?.cwd ?? '-', 40),
      `${d.prompts.length}${flags ? ` (${flags})` : ''}`,
      oneLine(d.prompts[0]?.text ?? '', 60),
    ]);
  }
  return formatTable(rows);
}

/** A readable view of one session digest. */
export function renderSession(record: SessionRecord): string {
  const d = record.digest;
  const lines = [
    `session ${record.id}  ${record.source}  ${record.sessionId}`,
    `project   ${d.project?.cwd ?? '-'}${d.project?.gitBranch ? ` (${d.project.gitBranch})` : ''}${d.project?.gitRepo ? ` ${d.project.gitRepo}` : ''}`,
    `time      ${d.startedAt ?? '?'} .. ${d.endedAt ?? '?'} (UTC)`,
    `models    ${d.models.join(', ') || '-'}`,
    `tokens    in ${d.tokens.input} (cached ${d.tokens.cachedInput}), out ${d.tokens.output}`,
    `headless  ${d.headless ? 'yes' : 'no'}${d.ownReplay ? '  (own replay: never mined)' : ''}`,
    `tools     ${d.tools.join(', ') || '-'}`,
    `skills    ${d.skills.join(', ') || '-'}`,
    `files     ${d.filesTouched.length ? d.filesTouched.slice(0, 10).join(', ') + (d.filesTouched.length > 10 ? ` (+${d.filesTouched.length - 10})` : '') : '-'}`,
    '',
    `prompts (${d.prompts.length}):`,
  ];
  d.prompts.forEach((p, i) => {
    lines.push(`  ${i + 1}. ${p.command ? `[${p.command}] ` : ''}${oneLine(p.text, 200)}`);
    const answer = d.finalAnswers[i];
    if (answer) lines.push(`     -> ${oneLine(answer, 160)}`);
    for (const f of d.feedback.filter((x) => x.promptIndex === i)) lines.push(`     ! ${f.kind}: ${oneLine(f.text, 100)}`);
  });
  return lines.join('\n');
}
