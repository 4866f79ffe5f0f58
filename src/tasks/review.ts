import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import { SkillOptError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import type { Split, Task } from './types.js';
import { isShapeOnly } from '../judges/rules.js';
import type { Db } from '../store/db.js';
import { familySplits, findTaskIds, getTask, listTasks, replaceTask, setTaskStatus, toPlainTask } from '../store/tasks-repo.js';
import type { StoredTask, TaskQuery } from '../store/tasks-repo.js';
import { formatTaskFileProblems, loadTaskFile, parseTaskFile, serializeTasks } from './task-file.js';
import type { TaskFileProblem } from './task-file.js';

export { renderExportResult, renderImportResult, renderStatusChange, renderTask, renderTaskList } from './review-render.js';
export { resolveEditorCommand, spawnEditor, splitCommandLine } from './review-editor.js';

/** One line of `tasks list`: what a person needs to decide whether a task belongs in the replay set. */
export interface TaskListRow {
  id: string;
  family: string | null;
  split: Split | null;
  status: 'active' | 'excluded';
  reviewed: boolean;
  version: number;
  origin: 'real' | 'dream';
  judge: 'rule' | 'exact' | 'rubric';
  /** A rule judge of shape checks only: formatting alone passes it, so it never gates alone. */
  gameable: boolean;
  sessions: number;
  prompt: string;
}

/** `tasks list`: the stored tasks matching the query as rows (also the `--json` shape). */
export function listTaskRows(db: Db, query: TaskQuery = {}): TaskListRow[] {
  return listTasks(db, query).map((t) => ({
    id: t.id,
    family: t.family ?? null,
    split: t.split ?? null,
    status: t.status,
    reviewed: t.reviewed,
    version: t.version,
    origin: t.origin ?? 'real',
    judge: t.judge.kind,
    gameable: isShapeOnly(t.judge),
    sessions: t.provenance.sessionIds.length,
    prompt: t.prompt,
  }));
}

/** The one task an id or a unique id prefix names; NOT_FOUND or an ambiguity error with the fix otherwise. */
export function resolveTask(db: Db, ref: string): StoredTask {
  const ids = ref.trim() === '' ? [] : findTaskIds(db, ref.trim());
  const [first] = ids;
  if (first === undefined) {
    throw new SkillOptError('NOT_FOUND', `no task matches "${ref}"`, { hint: 'run `skillopt-sleep tasks list` to see the ids' });
  }
  if (ids.length > 1) {
    throw new SkillOptError('INPUT', `"${ref}" matches several tasks: ${ids.join(', ')}${ids.length >= 10 ? ', ...' : ''}`, { hint: 'give more of the id' });
  }
  const task = getTask(db, first);
  if (!task) throw new SkillOptError('NOT_FOUND', `task ${first} disappeared while it was being read`, { hint: 'run the command again' });
  return task;
}

/** `tasks show ID`: the stored task with its provenance (the `--json` shape). */
export function showTask(db: Db, ref: string): StoredTask {
  return resolveTask(db, ref);
}

/** What `exclude` / `include` did. */
export interface StatusChange {
  task: StoredTask;
  /** False when the task already had that status. */
  changed: boolean;
}

/** `tasks exclude ID`: keep the task but leave it out of every replay; mining never re-includes it. */
export function excludeTask(db: Db, ref: string, clock: Clock): StatusChange {
  return changeStatus(db, ref, 'excluded', clock);
}

/** `tasks include ID`: put an excluded task back into the replay set. */
export function includeTask(db: Db, ref: string, clock: Clock): StatusChange {
  return changeStatus(db, ref, 'active', clock);
}

function changeStatus(db: Db, ref: string, status: 'active' | 'excluded', clock: Clock): StatusChange {
  const before = resolveTask(db, ref);
  if (before.status !== status) setTaskStatus(db, before.id, status, clock.now().toISOString());
  return { task: getTask(db, before.id) ?? before, changed: before.status !== status };
}

/** The editor and where its draft lives; the CLI passes `(file) => spawnEditor(command, file)`. */
export interface EditDeps {
  editor: (file: string) => Promise<void> | void;
  tmpDir: string;
  clock: Clock;
  /** Asked after an invalid save: true reopens the editor on the draft; absent means give up at once. */
  retry?: (problems: string[]) => Promise<boolean> | boolean;
}

/** What `tasks edit` did: saved (or nothing to save), or refused with the problems and the draft kept. */
export type EditResult =
  | { ok: true; changed: boolean; task: StoredTask; warnings: string[] }
  | { ok: false; reason: string; problems: string[]; draftFile: string; task: StoredTask };

/**
 * `tasks edit ID`: write the task as pretty JSON to a private temp file, run the editor, read it back and
 * validate it with the task-file schema. A valid change is saved as a reviewed new version; an invalid one
 * leaves the stored task as it was and keeps the draft file so no typing is lost.
 */
export async function editTask(db: Db, ref: string, deps: EditDeps): Promise<EditResult> {
  const original = resolveTask(db, ref);
  const dir = mkdtempSync(join(deps.tmpDir, 'skillopt-task-'));
  const file = join(dir, `${original.id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80) || 'task'}.json`);
  const written = `${JSON.stringify(JSON.parse(serializeTasks([toPlainTask(original)])), null, 2)}\n`;
  writeFileSync(file, written, { mode: 0o600 });
  let keepDraft = false;
  try {
    for (;;) {
      await deps.editor(file);
      const text = readFileSync(file, 'utf8');
      if (text === written) return { ok: true, changed: false, task: original, warnings: [] };
      const reading = readEditedTask(text, file, original.id);
      if (reading.ok) {
        const saved = replaceTask(db, reading.task, deps.clock.now().toISOString(), { reviewed: true, miner: 'edit' });
        const straddle = saved.family ? straddleWarning(db, saved.family) : undefined;
        return { ok: true, changed: saved.version !== original.version, task: saved, warnings: [...reading.warnings, ...(straddle ? [straddle] : [])] };
      }
      if (!(deps.retry && (await deps.retry(reading.problems)))) {
        keepDraft = true;
        return { ok: false, reason: `task ${original.id} was not changed: the edited JSON is invalid`, problems: reading.problems, draftFile: file, task: original };
      }
    }
  } finally {
    if (!keepDraft) rmSync(dir, { recursive: true, force: true });
  }
}

/** Parse and validate an edited task document; problems name the field (or the line and column of a JSON error). */
export function readEditedTask(text: string, file: string, expectedId: string): { ok: true; task: Task; warnings: string[] } | { ok: false; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, problems: [`${file}: not valid JSON (${describeJsonError(text, error)}); fix it, or quit without saving to keep the task`] };
  }
  // Same schema and messages as a task-file line: one line, so every problem is about this task.
  const parsed = parseTaskFile(JSON.stringify(value), file);
  if (parsed.problems.length > 0) return { ok: false, problems: parsed.problems.map((p) => `${file}: ${p.message}`) };
  const task = parsed.tasks[0];
  if (!task) return { ok: false, problems: [`${file}: the file holds no task; write one {"id","prompt","judge"} object`] };
  if (task.id !== expectedId) {
    return { ok: false, problems: [`${file}: id: cannot change in an edit (was ${JSON.stringify(expectedId)}, now ${JSON.stringify(task.id)}); put it back, or export, add a task and import`] };
  }
  return { ok: true, task, warnings: parsed.warnings.map((w) => `${file}: warning: ${w.message}`) };
}

/** "line 3, column 14: Expected ',' ..." from a JSON.parse error that gives a position. */
function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /position (\d+)/.exec(message);
  if (!match) return message;
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${message.replace(/\s*\(line \d+ column \d+\)$/, '')}`;
}

/** What `tasks export` wrote. */
export interface ExportResult {
  file: string;
  count: number;
  bySplit: Record<Split | 'none', number>;
}

/**
 * `tasks export FILE`: the tasks matching the query (default: the active replay set) as a Step 1 task file,
 * written atomically. Status and provenance stay in the store; the file is what a person curates.
 */
export function exportTasks(db: Db, file: string, query: TaskQuery = { status: 'active' }): ExportResult {
  const tasks = listTasks(db, query).map(toPlainTask);
  writeFileAtomic(file, serializeTasks(tasks));
  const bySplit: Record<Split | 'none', number> = { train: 0, val: 0, test: 0, none: 0 };
  for (const t of tasks) bySplit[t.split ?? 'none']++;
  return { file, count: tasks.length, bySplit };
}

/** What `tasks import` did: counts, and every bad line by number (bad lines are skipped, good ones kept). */
export interface ImportResult {
  file: string;
  added: number;
  updated: number;
  unchanged: number;
  problems: TaskFileProblem[];
  warnings: TaskFileProblem[];
  /** "file:line: message" for a person, problems first. */
  messages: string[];
}

/**
 * `tasks import FILE`: validate every line, import the valid ones as reviewed (provenance miner 'import'),
 * report bad lines with their numbers. A line without a split keeps the task's stored split, or takes its
 * family's split, so an import never moves a held-out task into train by omission. One transaction.
 */
export function importTasks(db: Db, file: string, clock: Clock, deps: { readFile?: (path: string) => string } = {}): ImportResult {
  const parsed = loadTaskFile(file, deps);
  const now = clock.now().toISOString();
  const result: ImportResult = { file, added: 0, updated: 0, unchanged: 0, problems: [...parsed.problems], warnings: [...parsed.warnings], messages: [] };
  db.transaction(() => {
    for (const task of parsed.tasks) {
      const before = getTask(db, task.id);
      const split = task.split ?? before?.split ?? inheritedSplit(db, task);
      const saved = replaceTask(db, { ...task, ...(split ? { split } : {}) }, now, { reviewed: true, miner: 'import' });
      if (!before) result.added++;
      else if (saved.version !== before.version) result.updated++;
      else result.unchanged++;
    }
  })();
  for (const family of new Set(parsed.tasks.flatMap((t) => (t.family ? [t.family] : [])))) {
    const message = straddleWarning(db, family);
    if (message) result.warnings.push({ line: 0, message });
  }
  result.messages = formatTaskFileProblems(file, result).map((m) => m.replace(`${file}:0: `, `${file}: `));
  return result;
}

/** A warning when a family now has tasks in train and in val/test (a person may do that; the gate then leaks). */
function straddleWarning(db: Db, family: string): string | undefined {
  const splits = familySplits(db, family);
  if (!splits.includes('train') || !splits.some((s) => s !== 'train')) return undefined;
  return `family "${family}" is now in ${splits.join(' and ')}: its held-out tasks are no longer independent of train; give them one split`;
}

/** A family already held out stays held out: a new task of it without a split joins the family's one split. */
function inheritedSplit(db: Db, task: Task): Split | undefined {
  if (task.origin === 'dream') return undefined;
  if (!task.family) return undefined;
  const splits = familySplits(db, task.family);
  return splits.length === 1 ? splits[0] : undefined;
}
