import type { Db } from './db.js';
import type { Edit, EditOp } from '../skills/types.js';
import type { RejectionReason, RememberedRejection } from '../train/memory.js';
import { sha256, stableStringify } from '../core/hash.js';

/** One rejected edit to store. `skillKey` names the skill target ('' for a standalone `train`). */
export interface RejectedEditInput {
  skillKey: string;
  edit: Edit;
  reason: RejectionReason;
  scoreDrop?: number | null;
  night?: number | null;
  runId?: number | null;
  at: string;
}

/** A stored rejected edit. */
export interface RejectedEditRow extends RememberedRejection {
  id: number;
  skillKey: string;
  editHash: string;
  runId: number | null;
}

interface Row {
  id: number;
  skill_key: string;
  op: string;
  anchor: string | null;
  content: string | null;
  rationale: string | null;
  edit_hash: string;
  reason: RejectionReason;
  score_drop: number | null;
  night: number | null;
  run_id: number | null;
  created_at: string;
}

/** The identity of an edit: its op, anchor and content with whitespace runs folded (rationale is not part of it). */
export function editHash(edit: Pick<Edit, 'op' | 'anchor' | 'content'>): string {
  const fold = (s: string | undefined) => (s === undefined ? null : s.replace(/\s+/g, ' ').trim());
  return sha256(stableStringify({ op: edit.op, anchor: fold(edit.anchor), content: fold(edit.content) })).slice(0, 32);
}

const DAY_MS = 86_400_000;

function cutoff(now: string, maxAgeDays: number): string {
  return new Date(Date.parse(now) - maxAgeDays * DAY_MS).toISOString();
}

function toRecord(r: Row): RejectedEditRow {
  const edit: Edit = { op: r.op as EditOp };
  if (r.anchor !== null) edit.anchor = r.anchor;
  if (r.content !== null) edit.content = r.content;
  if (r.rationale !== null) edit.rationale = r.rationale;
  return { id: r.id, skillKey: r.skill_key, edit, editHash: r.edit_hash, reason: r.reason, scoreDrop: r.score_drop, night: r.night, runId: r.run_id, at: r.created_at };
}

/** The rejected_edits table: the memory every reflection sees, across nights. */
export function createRejectedEditsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO rejected_edits (skill_key, op, anchor, content, rationale, edit_hash, reason, score_drop, night, run_id, created_at)
     VALUES (@skillKey, @op, @anchor, @content, @rationale, @editHash, @reason, @scoreDrop, @night, @runId, @at)`,
  );
  // Newest first; one row per edit (its latest rejection), so a thrice-rejected edit takes one line.
  const recentStmt = db.prepare(
    `SELECT * FROM rejected_edits r
     WHERE r.skill_key = @skillKey AND r.created_at >= @since
       AND r.id = (SELECT MAX(id) FROM rejected_edits x WHERE x.skill_key = r.skill_key AND x.edit_hash = r.edit_hash AND x.created_at >= @since)
     ORDER BY r.created_at DESC, r.id DESC
     LIMIT @limit`,
  );
  const pruneAge = db.prepare(`DELETE FROM rejected_edits WHERE created_at < @since`);
  const pruneCount = db.prepare(
    `DELETE FROM rejected_edits WHERE id IN (
       SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY skill_key ORDER BY created_at DESC, id DESC) AS n FROM rejected_edits) WHERE n > @keep
     )`,
  );
  const forgetStmt = db.prepare(`DELETE FROM rejected_edits WHERE skill_key = ?`);
  const addMany = db.transaction((entries: readonly RejectedEditInput[]) => {
    for (const e of entries) {
      insert.run({
        skillKey: e.skillKey,
        op: e.edit.op,
        anchor: e.edit.anchor ?? null,
        content: e.edit.content ?? null,
        rationale: e.edit.rationale ?? null,
        editHash: editHash(e.edit),
        reason: e.reason,
        scoreDrop: e.scoreDrop ?? null,
        night: e.night ?? null,
        runId: e.runId ?? null,
        at: e.at,
      });
    }
  });
  return {
    /** Store rejected edits (one transaction). */
    add(entries: readonly RejectedEditInput[]): void {
      if (entries.length > 0) addMany(entries);
    },
    /** The newest distinct rejected edits of a skill target, at most `limit`, none older than `maxAgeDays`. */
    recent(query: { skillKey: string; limit: number; maxAgeDays: number; now: string }): RejectedEditRow[] {
      const rows = recentStmt.all({ skillKey: query.skillKey, since: cutoff(query.now, query.maxAgeDays), limit: Math.max(0, Math.floor(query.limit)) }) as Row[];
      return rows.map(toRecord);
    },
    /** Drop rows older than `maxAgeDays`, then all but the newest `maxPerSkill` of each skill target; returns rows deleted. */
    prune(options: { now: string; maxAgeDays: number; maxPerSkill: number }): number {
      return db.transaction(() => pruneAge.run({ since: cutoff(options.now, options.maxAgeDays) }).changes + pruneCount.run({ keep: Math.max(0, Math.floor(options.maxPerSkill)) }).changes)();
    },
    /** Forget every rejected edit of one skill target (a demo starting over); returns rows deleted. */
    forget(skillKey: string): number {
      return forgetStmt.run(skillKey).changes;
    },
  };
}

/** The repository's type, for callers that receive one. */
export type RejectedEditsRepo = ReturnType<typeof createRejectedEditsRepo>;
