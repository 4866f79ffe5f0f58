import type { Db } from './db.js';
import type { ReapplyRecipe } from '../skills/adopt.js';

/** A staged skill version waiting for a decision. */
export interface ProposalRecord {
  id: number;
  nightId: number;
  skillId: number;
  skillName: string;
  runId: number | null;
  baseVersion: number;
  baseSha256: string;
  content: string;
  sha256: string;
  /** The accepted edits in order (and the slow-update content): applied to the base they give the content. */
  recipe: ReapplyRecipe;
  /** False when the edits alone do not rebuild the content (then a changed file cannot take the proposal). */
  reapplicable: boolean;
  /** Edit-policy flags: a flagged proposal is never adopted automatically. */
  flags: Array<{ edit: number; kinds: string[]; detail: string }>;
  status: 'pending' | 'adopted' | 'rejected' | 'superseded';
  decidedAt: string | null;
  decisionNote: string | null;
  adoptedVersion: number | null;
  /** Write-ahead of an adopt that re-applied the edits to a hand-edited file: the exact text it was about to write. */
  reappliedContent: string | null;
  reappliedSha256: string | null;
  createdAt: string;
}

interface Row {
  id: number;
  night_id: number;
  skill_id: number;
  skill_name: string;
  run_id: number | null;
  base_version: number;
  base_sha256: string;
  content: string;
  sha256: string;
  edits_json: string;
  reapplicable: number;
  flags_json: string;
  status: ProposalRecord['status'];
  decided_at: string | null;
  decision_note: string | null;
  adopted_version: number | null;
  reapplied_content: string | null;
  reapplied_sha256: string | null;
  created_at: string;
}

const toRecord = (r: Row): ProposalRecord => ({
  id: r.id,
  nightId: r.night_id,
  skillId: r.skill_id,
  skillName: r.skill_name,
  runId: r.run_id,
  baseVersion: r.base_version,
  baseSha256: r.base_sha256,
  content: r.content,
  sha256: r.sha256,
  recipe: JSON.parse(r.edits_json) as ReapplyRecipe,
  reapplicable: r.reapplicable === 1,
  flags: JSON.parse(r.flags_json) as ProposalRecord['flags'],
  status: r.status,
  decidedAt: r.decided_at,
  decisionNote: r.decision_note,
  adoptedVersion: r.adopted_version,
  reappliedContent: r.reapplied_content,
  reappliedSha256: r.reapplied_sha256,
  createdAt: r.created_at,
});

const SELECT = 'SELECT p.*, s.name AS skill_name FROM proposals p JOIN skills s ON s.id = p.skill_id';

/** Stage a proposal; earlier pending proposals of the same skill are superseded (the newest night wins). */
export function stageProposal(db: Db, p: Pick<ProposalRecord, 'nightId' | 'skillId' | 'runId' | 'baseVersion' | 'baseSha256' | 'content' | 'sha256' | 'recipe' | 'reapplicable' | 'flags'>, now: string): ProposalRecord {
  return db.transaction(() => {
    db.prepare("UPDATE proposals SET status = 'superseded', decided_at = ?, decision_note = ? WHERE skill_id = ? AND status = 'pending'").run(now, `superseded by night ${p.nightId}`, p.skillId);
    const id = Number(
      db
        .prepare('INSERT INTO proposals (night_id, skill_id, run_id, base_version, base_sha256, content, sha256, edits_json, reapplicable, flags_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(p.nightId, p.skillId, p.runId, p.baseVersion, p.baseSha256, p.content, p.sha256, JSON.stringify(p.recipe), p.reapplicable ? 1 : 0, JSON.stringify(p.flags), now).lastInsertRowid,
    );
    return getProposal(db, id)!;
  })();
}

/** A proposal by id. */
export function getProposal(db: Db, id: number): ProposalRecord | undefined {
  const row = db.prepare(`${SELECT} WHERE p.id = ?`).get(id) as Row | undefined;
  return row ? toRecord(row) : undefined;
}

/** Proposals matching a filter, newest night first. */
export function listProposals(db: Db, query: { nightId?: number; status?: ProposalRecord['status']; skillName?: string } = {}): ProposalRecord[] {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    where.push(clause);
    args.push(value);
  };
  if (query.nightId !== undefined) add('p.night_id = ?', query.nightId);
  if (query.status !== undefined) add('p.status = ?', query.status);
  if (query.skillName !== undefined) add('s.name = ?', query.skillName);
  const sql = `${SELECT}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY p.night_id DESC, s.name`;
  return (db.prepare(sql).all(...args) as Row[]).map(toRecord);
}

/** Record a decision on a pending proposal; false when it was no longer pending. */
export function decideProposal(db: Db, id: number, decision: { status: 'adopted' | 'rejected'; note?: string; adoptedVersion?: number }, now: string): boolean {
  const result = db
    .prepare("UPDATE proposals SET status = ?, decided_at = ?, decision_note = ?, adopted_version = ? WHERE id = ? AND status = 'pending'")
    .run(decision.status, now, decision.note ?? null, decision.adoptedVersion ?? null, id);
  return result.changes === 1;
}

/**
 * Write-ahead of a re-applied adopt: record the text about to be written, before the write, so a file found holding
 * it after a kill completes the adoption instead of reading as a hand edit. False when the proposal is not pending.
 */
export function recordReapplied(db: Db, id: number, reapplied: { content: string; sha256: string }): boolean {
  const result = db.prepare("UPDATE proposals SET reapplied_content = ?, reapplied_sha256 = ? WHERE id = ? AND status = 'pending'").run(reapplied.content, reapplied.sha256, id);
  return result.changes === 1;
}

/** A pending proposal with the held-out scores of the run that trained it (null when unknown). */
export interface PendingSummary {
  night: number;
  skill: string;
  proposalId: number;
  flagged: number;
  testBefore: number | null;
  testAfter: number | null;
  valBefore: number | null;
  valAfter: number | null;
}

/** Every pending proposal, newest night first, with its run's scores. */
export function listPendingSummaries(db: Db): PendingSummary[] {
  const rows = db
    .prepare(
      `SELECT p.id, p.night_id, s.name AS skill_name, p.flags_json, r.baseline_val, r.final_val, r.baseline_test, r.final_test
       FROM proposals p JOIN skills s ON s.id = p.skill_id LEFT JOIN runs r ON r.id = p.run_id
       WHERE p.status = 'pending' ORDER BY p.night_id DESC, s.name`,
    )
    .all() as Array<{ id: number; night_id: number; skill_name: string; flags_json: string; baseline_val: number | null; final_val: number | null; baseline_test: number | null; final_test: number | null }>;
  return rows.map((r) => ({
    night: r.night_id,
    skill: r.skill_name,
    proposalId: r.id,
    flagged: (JSON.parse(r.flags_json) as unknown[]).length,
    testBefore: r.baseline_test,
    testAfter: r.final_test,
    valBefore: r.baseline_val,
    valAfter: r.final_val,
  }));
}
