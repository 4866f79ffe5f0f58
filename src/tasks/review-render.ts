import { formatTable } from '../core/table.js';
import type { StoredTask } from '../store/tasks-repo.js';
import { isShapeOnly } from '../judges/rules.js';
import type { Check } from '../judges/types.js';
import type { ExportResult, ImportResult, StatusChange, TaskListRow } from './review.js';

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** `tasks list` as a table, with a summary line of the replay set by split and status. */
export function renderTaskList(rows: readonly TaskListRow[]): string {
  if (rows.length === 0) return 'no tasks in the replay set yet (run `skillopt-sleep mine`, or `skillopt-sleep tasks import FILE`)';
  const table_ = [['id', 'family', 'split', 'status', 'v', 'judge', 'sessions', 'prompt']];
  for (const r of rows) {
    const flags = [r.reviewed ? 'reviewed' : '', r.origin === 'dream' ? 'dream' : ''].filter(Boolean).join(',');
    table_.push([
      r.id,
      oneLine(r.family ?? '-', 28),
      r.split ?? '-',
      `${r.status}${flags ? ` (${flags})` : ''}`,
      String(r.version),
      `${r.judge}${r.gameable ? ' (gameable)' : ''}`,
      String(r.sessions),
      oneLine(r.prompt, 60),
    ]);
  }
  const active = rows.filter((r) => r.status === 'active');
  const count = (split: string) => active.filter((r) => (r.split ?? '-') === split).length;
  const summary = `${rows.length} task(s): ${active.length} active (train ${count('train')}, val ${count('val')}, test ${count('test')}${count('-') ? `, unassigned ${count('-')}` : ''}), ${rows.length - active.length} excluded, ${rows.filter((r) => r.reviewed).length} reviewed`;
  const gameable = rows.filter((r) => r.gameable).length;
  return [formatTable(table_), '', summary, ...(gameable ? [`${gameable} task(s) have a shape-only judge: they never gate alone; add a content check with \`tasks edit ID\``] : [])].join('\n');
}

function renderCheck(check: Check): string {
  return check.arg === undefined ? check.op : `${check.op} ${JSON.stringify(check.arg)}`;
}

/** `tasks show ID`: the task, its judge, and where it came from. */
export function renderTask(task: StoredTask): string {
  const lines = [
    `task ${task.id}  v${task.version}  ${task.status}${task.reviewed ? '  reviewed' : ''}`,
    `family    ${task.family ?? '-'}`,
    `split     ${task.split ?? '(unassigned)'}   origin ${task.origin ?? 'real'}`,
    `tags      ${task.tags?.join(', ') || '-'}`,
    `updated   ${task.updatedAt} (created ${task.createdAt})`,
    '',
    'prompt:',
    ...task.prompt.split('\n').map((l) => `  ${l}`),
  ];
  if (task.context !== undefined) {
    // A pasted log can be long: the first lines are enough to recognise it; --json has it all.
    const context = task.context.split('\n');
    lines.push('', 'context:', ...context.slice(0, 15).map((l) => `  ${oneLine(l, 160)}`));
    if (context.length > 15) lines.push(`  ... ${context.length - 15} more line(s)`);
  }
  lines.push('', `judge: ${task.judge.kind}${isShapeOnly(task.judge) ? '  (shape checks only: gameable, never gates alone)' : ''}`);
  const judge = task.judge;
  if (judge.kind === 'exact') lines.push(`  answer: ${oneLine(judge.answer, 200)}`);
  if (judge.kind === 'rubric') lines.push(...judge.rubric.split('\n').map((l) => `  ${l}`));
  const checks = judge.kind === 'exact' ? [] : (judge.checks ?? []);
  for (const check of checks) lines.push(`  - ${renderCheck(check)}`);
  const p = task.provenance;
  lines.push('', `provenance: ${p.miner ?? 'unknown'}, ${p.sessionIds.length} session(s)${p.sessionIds.length ? `: ${p.sessionIds.slice(0, 6).join(', ')}${p.sessionIds.length > 6 ? ', ...' : ''}` : ''}`);
  for (const e of p.evidence.slice(0, 12)) lines.push(`  ${e.kind} [${e.sessionId}]: ${oneLine(e.text, 120)}`);
  if (p.evidence.length > 12) lines.push(`  ... ${p.evidence.length - 12} more evidence line(s) (--json shows all)`);
  return lines.join('\n');
}

/** One line after `exclude` / `include`. */
export function renderStatusChange(change: StatusChange): string {
  const t = change.task;
  if (!change.changed) return `task ${t.id} is already ${t.status}`;
  return t.status === 'excluded' ? `excluded task ${t.id}: it stays stored but is left out of every replay` : `included task ${t.id} in the replay set again`;
}

/** One line after `tasks export`. */
export function renderExportResult(result: ExportResult): string {
  const s = result.bySplit;
  return `wrote ${result.count} task(s) to ${result.file} (train ${s.train}, val ${s.val}, test ${s.test}${s.none ? `, unassigned ${s.none}` : ''})`;
}

/** The outcome of `tasks import`: counts, then each bad line with its number. */
export function renderImportResult(result: ImportResult): string {
  const bad = new Set(result.problems.map((p) => p.line)).size;
  const head = `imported from ${result.file}: ${result.added} new, ${result.updated} updated, ${result.unchanged} unchanged (all marked reviewed)${bad ? `; ${bad} bad line(s) skipped:` : ''}`;
  return [head, ...result.messages.map((m) => `  ${m}`)].join('\n');
}
