import { SkillOptError } from '../core/errors.js';
import { sha256, stableStringify } from '../core/hash.js';
import type { SimulationSpec, Split, Task } from '../tasks/types.js';
import type { Check, Judge } from '../judges/types.js';
import type { Db } from './db.js';
import { prepared } from './prepared.js';


/** Who wrote a task's current content: the heuristic or LLM miner, an import, or a person's edit. */
export type TaskMiner = 'heuristic' | 'llm' | 'import' | 'edit';

/** One evidence line a task was mined from. */
export interface TaskEvidence {
  sessionId: string;
  kind: string;
  text: string;
}

/** Where a task came from: the sessions it recurs in and the lines that support its judge. */
export interface TaskProvenance {
  sessionIds: string[];
  evidence: TaskEvidence[];
  miner?: TaskMiner;
  /** For each check of a mined judge: the person's words it came from, accepted answers it passes, corrected ones it fails. */
  grounding?: TaskGrounding[];
  /** Candidate checks the grounding dropped, and why. */
  dropped?: Array<{ describe: string; source: string; reason: string }>;
  /** grounded | ungrounded (flagged: the person's words gave no check their answers bear out) | no-feedback. */
  judgeStatus?: 'grounded' | 'ungrounded' | 'no-feedback';
}

/** The evidence one check of a mined judge rests on. */
export interface TaskGrounding {
  check: Check;
  describe: string;
  source: string;
  passes: Array<{ session: string; answer: string }>;
  fails: Array<{ session: string; answer: string }>;
}

/** A task as the replay store keeps it: the task plus version, review state and provenance. */
export interface StoredTask extends Task {
  version: number;
  status: 'active' | 'excluded';
  reviewed: boolean;
  provenance: TaskProvenance;
  contentHash: string;
  createdAt: string;
  updatedAt: string;
}

/** What the miner hands to `upsertMinedTask`: everything the store does not own. */
export type MinedTask = Omit<StoredTask, 'version' | 'contentHash' | 'createdAt' | 'updatedAt' | 'status' | 'reviewed'>;

/** A filter for `listTasks`. */
export interface TaskQuery {
  status?: 'active' | 'excluded';
  split?: Split;
  family?: string;
  limit?: number;
}

interface TaskRow {
  id: string;
  version: number;
  family: string | null;
  prompt: string;
  context: string | null;
  judge_json: string;
  simulation_json: string | null;
  tags_json: string;
  origin: 'real' | 'dream';
  split: Split | null;
  status: 'active' | 'excluded';
  reviewed: number;
  provenance_json: string;
  content_hash: string;
  created_at: string;
  updated_at: string;
}

/** The hash of what a rollout depends on (prompt, context, judge, simulation): a change here is a new version. */
export function hashTaskContent(task: Pick<Task, 'prompt' | 'context' | 'judge' | 'simulation'>): string {
  return sha256(stableStringify({ prompt: task.prompt, context: task.context, judge: task.judge, simulation: task.simulation }));
}

/**
 * Insert or refresh a mined task. A new id gets version 1 (unreviewed), with status `opts.newStatus` (active
 * unless told). Changed content bumps the version and clears `reviewed`. A stored task's status is never changed
 * and an assigned split never moves; a missing split is filled in. Provenance, tags and family are refreshed
 * without a version bump (they do not change a rollout). A task the user edited or imported (reviewed) is left
 * alone: 'unchanged'.
 */
export function upsertMinedTask(db: Db, task: MinedTask, now: string, opts: { newStatus?: 'active' | 'excluded' } = {}): 'new' | 'updated' | 'unchanged' {
  const split = storableSplit(task);
  const hash = hashTaskContent(task);
  const upsert = (): 'new' | 'updated' | 'unchanged' => {
    const existing = selectRow(db, task.id);
    if (!existing) {
      insertRow(db, { ...task, split }, { version: 1, status: opts.newStatus ?? 'active', reviewed: false, hash, now });
      return 'new';
    }
    if (existing.reviewed === 1) {
      // The user's curation wins; only an unassigned split is filled so the task stays on one side.
      if (existing.split === null && split !== undefined) {
        prepared(db, 'UPDATE tasks SET split = ? WHERE id = ?').run(split, task.id);
      }
      return 'unchanged';
    }
    // A dream task is train whatever was stored; anything else keeps the split it was first given.
    const keptSplit = task.origin === 'dream' ? 'train' : (existing.split ?? split ?? null);
    if (existing.content_hash === hash) {
      const row = { family: task.family ?? null, tags: JSON.stringify(task.tags ?? []), origin: task.origin ?? 'real', provenance: JSON.stringify(task.provenance) };
      // Re-mining an unchanged family refreshes every task it holds: write only what differs.
      if (existing.family !== row.family || existing.tags_json !== row.tags || existing.origin !== row.origin || existing.split !== keptSplit || existing.provenance_json !== row.provenance) {
        prepared(db, 'UPDATE tasks SET family = ?, tags_json = ?, origin = ?, split = ?, provenance_json = ? WHERE id = ?').run(row.family, row.tags, row.origin, keptSplit, row.provenance, task.id);
      }
      return 'unchanged';
    }
    writeNewVersion(db, task, { split: keptSplit, reviewed: false, provenance: task.provenance, hash, now });
    return 'updated';
  };
  // Inside a caller's transaction (mining writes hundreds at once) no savepoint per task is needed: a throw undoes all.
  return db.inTransaction ? upsert() : db.transaction(upsert)();
}

/** One stored task by id, or undefined. */
export function getTask(db: Db, id: string): StoredTask | undefined {
  const row = selectRow(db, id);
  return row ? toStoredTask(row) : undefined;
}

/** Stored tasks matching the query, ordered by family then id (stable for listings and exports). */
export function listTasks(db: Db, query: TaskQuery = {}): StoredTask[] {
  const where: string[] = [];
  const params: Array<string | number> = [];
  if (query.status) {
    where.push('status = ?');
    params.push(query.status);
  }
  if (query.split) {
    where.push('split = ?');
    params.push(query.split);
  }
  if (query.family !== undefined) {
    where.push('family = ?');
    params.push(query.family);
  }
  let sql = `SELECT * FROM tasks${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY COALESCE(family, id), id`;
  if (query.limit !== undefined && Number.isFinite(query.limit) && query.limit >= 0) {
    sql += ' LIMIT ?';
    params.push(Math.floor(query.limit));
  }
  return (prepared(db, sql).all(...params) as TaskRow[]).map(toStoredTask);
}

/** Include or exclude a task from the replay set; false when no task has that id. */
export function setTaskStatus(db: Db, id: string, status: 'active' | 'excluded', now: string): boolean {
  const result = prepared(db, 'UPDATE tasks SET status = ?, updated_at = CASE WHEN status = ? THEN updated_at ELSE ? END WHERE id = ?').run(status, status, now, id);
  return result.changes > 0;
}

/** Fill in a task's split when it has none; false when the task is missing or already has one (splits never move). */
export function setTaskSplit(db: Db, id: string, split: Split): boolean {
  const row = selectRow(db, id);
  if (!row || row.split !== null) return false;
  if (row.origin === 'dream' && split !== 'train') return false;
  return db.prepare('UPDATE tasks SET split = ? WHERE id = ? AND split IS NULL').run(split, id).changes > 0;
}

/**
 * Store a task a person wrote (edit or import): a new id gets version 1 and status active; an existing one
 * keeps its status, takes the new content and split, and gets version+1. Provenance sessions and evidence are
 * kept; `miner` records who wrote it. Saving identical content with the same reviewed flag is a no-op.
 */
export function replaceTask(db: Db, task: Task, now: string, opts: { reviewed: boolean; miner?: 'import' | 'edit' }): StoredTask {
  if (task.origin === 'dream' && task.split !== undefined && task.split !== 'train') {
    throw new SkillOptError('INPUT', `task ${task.id}: a dream (synthetic) task can only be in train, got split "${task.split}"`, {
      hint: 'remove "split" or set it to "train"',
    });
  }
  const hash = hashTaskContent(task);
  return db.transaction((): StoredTask => {
    const existing = selectRow(db, task.id);
    if (!existing) {
      const provenance: TaskProvenance = { sessionIds: [], evidence: [], ...(opts.miner ? { miner: opts.miner } : {}) };
      insertRow(db, { ...task, provenance }, { version: 1, status: 'active', reviewed: opts.reviewed, hash, now });
    } else {
      const before = toStoredTask(existing);
      const same =
        existing.content_hash === hash &&
        (existing.reviewed === 1) === opts.reviewed &&
        stableStringify(metadataOf(before)) === stableStringify(metadataOf(task));
      if (!same) {
        const provenance: TaskProvenance = { ...before.provenance, ...(opts.miner ? { miner: opts.miner } : {}) };
        writeNewVersion(db, task, { split: task.split ?? null, reviewed: opts.reviewed, provenance, hash, now });
      }
    }
    const stored = selectRow(db, task.id);
    if (!stored) throw new SkillOptError('INTERNAL', `task ${task.id} vanished while it was being saved`);
    return toStoredTask(stored);
  })();
}

/** Store a changed task as the next version of its row (content, metadata, split and reviewed flag). */
function writeNewVersion(db: Db, task: Task, row: { split: Split | null; reviewed: boolean; provenance: TaskProvenance; hash: string; now: string }): void {
  prepared(
    db,

    `UPDATE tasks SET version = version + 1, family = ?, prompt = ?, context = ?, judge_json = ?, simulation_json = ?, tags_json = ?,
       origin = ?, split = ?, reviewed = ?, provenance_json = ?, content_hash = ?, updated_at = ? WHERE id = ?`,
  ).run(
    task.family ?? null,
    task.prompt,
    task.context ?? null,
    JSON.stringify(task.judge),
    task.simulation === undefined ? null : JSON.stringify(task.simulation),
    JSON.stringify(task.tags ?? []),
    task.origin ?? 'real',
    row.split,
    row.reviewed ? 1 : 0,
    JSON.stringify(row.provenance),
    row.hash,
    row.now,
    task.id,
  );
}

/** The active tasks with their stored splits, as plain tasks for the trainer. */
export function activeReplaySet(db: Db): Task[] {
  return listTasks(db, { status: 'active' }).map(toPlainTask);
}

/** Drop the store's bookkeeping from a stored task: what a task file or the trainer sees. */
export function toPlainTask(stored: StoredTask): Task {
  const task: Task = { id: stored.id, prompt: stored.prompt, judge: stored.judge };
  if (stored.context !== undefined) task.context = stored.context;
  if (stored.split !== undefined) task.split = stored.split;
  if (stored.tags !== undefined) task.tags = stored.tags;
  if (stored.simulation !== undefined) task.simulation = stored.simulation;
  if (stored.origin !== undefined) task.origin = stored.origin;
  if (stored.family !== undefined) task.family = stored.family;
  return task;
}

function metadataOf(task: Task): Record<string, unknown> {
  return { split: task.split, tags: task.tags ?? [], origin: task.origin ?? 'real', family: task.family };
}

/** Dream tasks only ever train; anything else the miner says is stored as given. */
function storableSplit(task: Task): Split | undefined {
  if (task.origin === 'dream') return 'train';
  return task.split;
}

function selectRow(db: Db, id: string): TaskRow | undefined {
  return prepared(db, 'SELECT * FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;
}

function insertRow(
  db: Db,
  task: Task & { provenance: TaskProvenance },
  meta: { version: number; status: 'active' | 'excluded'; reviewed: boolean; hash: string; now: string },
): void {
  prepared(
    db,

    `INSERT INTO tasks (id, version, family, prompt, context, judge_json, simulation_json, tags_json, origin, split, status, reviewed,
       provenance_json, content_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    task.id,
    meta.version,
    task.family ?? null,
    task.prompt,
    task.context ?? null,
    JSON.stringify(task.judge),
    task.simulation === undefined ? null : JSON.stringify(task.simulation),
    JSON.stringify(task.tags ?? []),
    task.origin ?? 'real',
    task.split ?? null,
    meta.status,
    meta.reviewed ? 1 : 0,
    JSON.stringify(task.provenance),
    meta.hash,
    meta.now,
    meta.now,
  );
}

function toStoredTask(row: TaskRow): StoredTask {
  const stored: StoredTask = {
    id: row.id,
    prompt: row.prompt,
    judge: parseJson<Judge>(row.judge_json, { kind: 'rubric', rubric: '(stored judge is unreadable)' }),
    origin: row.origin,
    version: row.version,
    status: row.status,
    reviewed: row.reviewed === 1,
    provenance: readProvenance(row.provenance_json),
    contentHash: row.content_hash,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.context !== null) stored.context = row.context;
  if (row.split !== null) stored.split = row.split;
  const tags = parseJson<unknown>(row.tags_json, []);
  if (Array.isArray(tags) && tags.length > 0) stored.tags = tags.filter((t): t is string => typeof t === 'string');
  if (row.simulation_json !== null) stored.simulation = parseJson<SimulationSpec>(row.simulation_json, { answer: '' });
  if (row.family !== null) stored.family = row.family;
  return stored;
}

/** Lenient: a row written by an older build may lack fields; missing lists become empty. */
function readProvenance(json: string): TaskProvenance {
  const value = parseJson<Partial<TaskProvenance> | null>(json, null);
  const provenance: TaskProvenance = {
    sessionIds: Array.isArray(value?.sessionIds) ? value.sessionIds.filter((s): s is string => typeof s === 'string') : [],
    evidence: Array.isArray(value?.evidence) ? value.evidence : [],
  };
  if (value?.miner) provenance.miner = value.miner;
  if (Array.isArray(value?.grounding)) provenance.grounding = value.grounding;
  if (Array.isArray(value?.dropped)) provenance.dropped = value.dropped;
  if (value?.judgeStatus) provenance.judgeStatus = value.judgeStatus;
  return provenance;
}

function parseJson<T>(json: string, fallback: T): T {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

/** Ids equal to `ref` or starting with it (at most `limit`), for commands that accept a short id. */
export function findTaskIds(db: Db, ref: string, limit = 10): string[] {
  const exact = db.prepare('SELECT id FROM tasks WHERE id = ?').get(ref) as { id: string } | undefined;
  if (exact) return [exact.id];
  // substr rather than LIKE: ids are case-sensitive and may contain % or _.
  return (db.prepare('SELECT id FROM tasks WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT ?').all(ref.length, ref, limit) as Array<{ id: string }>).map((r) => r.id);
}

/**
 * The stored tasks whose id starts with `prefix`, with who wrote each: a range of the primary key, so a mined
 * family's tasks (ids `<family>-<hash>`) are found without a scan, whatever family they are filed under now.
 */
export function taskIdsWithPrefix(db: Db, prefix: string): Array<{ id: string; miner: TaskMiner | undefined }> {
  if (prefix === '') throw new SkillOptError('INTERNAL', 'taskIdsWithPrefix needs a prefix');
  // Every string starting with the prefix sorts at or after it and before the prefix with its last character bumped.
  const end = `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}`;
  const rows = prepared(db, "SELECT id, CASE WHEN json_valid(provenance_json) THEN json_extract(provenance_json, '$.miner') END AS miner FROM tasks WHERE id >= ? AND id < ? ORDER BY id").all(prefix, end) as Array<{ id: string; miner: unknown }>;
  return rows.map((r) => ({ id: r.id, miner: typeof r.miner === 'string' ? (r.miner as TaskMiner) : undefined }));
}

/** The splits the stored tasks of one family are in (more than one means the family straddles). */
export function familySplits(db: Db, family: string): Split[] {
  return (db.prepare('SELECT DISTINCT split FROM tasks WHERE family = ? AND split IS NOT NULL ORDER BY split').all(family) as Array<{ split: Split }>).map((r) => r.split);
}
