import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';
import type { SessionDigest, SourceName } from '../harvest/types.js';
import type { EvidenceLine, OutcomeLabel } from '../mine/labels.js';

/** A task family as stored: its recurrence facts. */
export interface FamilyRecord {
  id: string;
  founderKey: string;
  /** The founding prompt, shortened: what a person reads in a listing. */
  label: string;
  firstSeen?: string;
  lastSeen?: string;
  sessionCount: number;
  memberCount: number;
  projects: string[];
  skills: string[];
  sources: string[];
}

/** One clustered prompt of a family, with its outcome label. */
export interface MemberRecord {
  familyId: string;
  source: SourceName;
  sessionId: string;
  promptIndex: number;
  prompt: string;
  answer?: string;
  at?: string;
  project?: string;
  outcome: OutcomeLabel['outcome'];
  evidence: EvidenceLine[];
  directives: string[];
}

/** A harvested session not yet mined (or changed since it was). */
export interface PendingSession {
  source: SourceName;
  sessionId: string;
  digest: SessionDigest | undefined;
  updatedAt: string;
  harvestedAt: string;
  ownReplay: boolean;
}

const statements = new WeakMap<Db, Map<string, Statement>>();

/** Statements are prepared once per database: mining runs them once per prompt. */
function prepared(db: Db, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}

function parseList(text: string | null): string[] {
  try {
    const value = JSON.parse(text ?? '[]') as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function parseJson<T>(text: string | null, fallback: T): T {
  try {
    return text === null ? fallback : (JSON.parse(text) as T);
  } catch {
    return fallback;
  }
}

/**
 * Sessions harvested or changed since mining last read them, oldest first. Own replays are returned too
 * (flagged) so the caller can count them as skipped. A digest that does not parse comes back undefined.
 */
export function listPendingSessions(db: Db): PendingSession[] {
  const rows = prepared(
      db,
      `SELECT s.source, s.session_id, s.digest_json, s.updated_at, s.harvested_at, s.own_replay FROM sessions s
       LEFT JOIN mined_sessions m ON m.source = s.source AND m.session_id = s.session_id
       WHERE m.session_id IS NULL OR m.session_updated_at <> s.updated_at
       ORDER BY COALESCE(s.started_at, s.harvested_at), s.source, s.session_id`,
    )
    .all() as Array<{ source: string; session_id: string; digest_json: string; updated_at: string; harvested_at: string; own_replay: number }>;
  return rows.map((row) => ({
    source: row.source as SourceName,
    sessionId: row.session_id,
    digest: parseJson<SessionDigest | undefined>(row.digest_json, undefined),
    updatedAt: row.updated_at,
    harvestedAt: row.harvested_at,
    ownReplay: row.own_replay === 1,
  }));
}

/** Remember that a session was read (and why it was skipped, if it was). */
export function markSessionMined(db: Db, session: Pick<PendingSession, 'source' | 'sessionId' | 'updatedAt'>, skipped: string | null, now: string): void {
  prepared(
    db,
    `INSERT INTO mined_sessions (source, session_id, session_updated_at, skipped, mined_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (source, session_id) DO UPDATE SET session_updated_at = excluded.session_updated_at, skipped = excluded.skipped, mined_at = excluded.mined_at`,
  ).run(session.source, session.sessionId, session.updatedAt, skipped, now);
}

interface FamilyRow {
  id: string;
  founder_key: string;
  label: string;
  first_seen: string | null;
  last_seen: string | null;
  session_count: number;
  member_count: number;
  projects_json: string;
  skills_json: string;
  sources_json: string;
}

function toFamily(row: FamilyRow): FamilyRecord {
  const family: FamilyRecord = {
    id: row.id,
    founderKey: row.founder_key,
    label: row.label,
    sessionCount: row.session_count,
    memberCount: row.member_count,
    projects: parseList(row.projects_json),
    skills: parseList(row.skills_json),
    sources: parseList(row.sources_json),
  };
  if (row.first_seen !== null) family.firstSeen = row.first_seen;
  if (row.last_seen !== null) family.lastSeen = row.last_seen;
  return family;
}

/** Every family, oldest first (the order the clustering founded them in). */
export function listFamilies(db: Db, query: { minSessions?: number } = {}): FamilyRecord[] {
  const rows = prepared(db, 'SELECT * FROM task_families WHERE session_count >= ? ORDER BY rowid').all(query.minSessions ?? 0) as FamilyRow[];
  return rows.map(toFamily);
}

/** How many families there are, and how many recur in at least `minSessions` sessions. */
export function countFamilies(db: Db, minSessions: number): { total: number; recurring: number } {
  const row = prepared(db, 'SELECT COUNT(*) AS n, SUM(session_count >= ?) AS r FROM task_families').get(minSessions) as { n: number; r: number | null };
  return { total: row.n, recurring: row.r ?? 0 };
}

/** One family by id. */
export function getFamily(db: Db, id: string): FamilyRecord | undefined {
  const row = prepared(db, 'SELECT * FROM task_families WHERE id = ?').get(id) as FamilyRow | undefined;
  return row ? toFamily(row) : undefined;
}

/** The session keys (`source:sessionId`) of every family, and the first `limit` member prompts of each (exemplars). */
export function loadFamilyIndexData(db: Db, exemplars: number): Array<{ family: FamilyRecord; sessions: string[]; exemplarPrompts: string[] }> {
  const families = listFamilies(db);
  const sessions = new Map<string, Set<string>>();
  const prompts = new Map<string, string[]>();
  const rows = prepared(db, 'SELECT family_id, source, session_id, prompt FROM family_members ORDER BY id').iterate() as Iterable<{ family_id: string; source: string; session_id: string; prompt: string }>;
  for (const row of rows) {
    let set = sessions.get(row.family_id);
    if (!set) sessions.set(row.family_id, (set = new Set()));
    set.add(`${row.source}:${row.session_id}`);
    const list = prompts.get(row.family_id) ?? [];
    if (list.length < exemplars) {
      list.push(row.prompt);
      prompts.set(row.family_id, list);
    }
  }
  return families.map((family) => ({ family, sessions: [...(sessions.get(family.id) ?? [])], exemplarPrompts: prompts.get(family.id) ?? [] }));
}

/** Insert a new family (its stats are filled by refreshFamilyStats). */
export function insertFamily(db: Db, family: { id: string; founderKey: string; label: string }, now: string): void {
  prepared(db, 'INSERT OR IGNORE INTO task_families (id, founder_key, label, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(family.id, family.founderKey, family.label, now, now);
}

/** The member stored for one prompt, if any. */
export function getMemberFamily(db: Db, source: string, sessionId: string, promptIndex: number): string | undefined {
  const row = prepared(db, 'SELECT family_id FROM family_members WHERE source = ? AND session_id = ? AND prompt_index = ?').get(source, sessionId, promptIndex) as { family_id: string } | undefined;
  return row?.family_id;
}

/** Insert or refresh one member (a re-read session may have new feedback on an old prompt). */
export function upsertMember(db: Db, member: MemberRecord): void {
  prepared(
    db,
    `INSERT INTO family_members (family_id, source, session_id, prompt_index, prompt, answer, at, project, outcome, evidence_json, directives_json)
     VALUES (@family_id, @source, @session_id, @prompt_index, @prompt, @answer, @at, @project, @outcome, @evidence_json, @directives_json)
     ON CONFLICT (source, session_id, prompt_index) DO UPDATE SET answer = excluded.answer, outcome = excluded.outcome,
       evidence_json = excluded.evidence_json, directives_json = excluded.directives_json`,
  ).run({
    family_id: member.familyId,
    source: member.source,
    session_id: member.sessionId,
    prompt_index: member.promptIndex,
    prompt: member.prompt,
    answer: member.answer ?? null,
    at: member.at ?? null,
    project: member.project ?? null,
    outcome: member.outcome,
    evidence_json: JSON.stringify(member.evidence),
    directives_json: JSON.stringify(member.directives),
  });
}

/** The members of one family, oldest first. */
export function listMembers(db: Db, familyId: string, limit = 500): MemberRecord[] {
  const rows = prepared(db, 'SELECT * FROM family_members WHERE family_id = ? ORDER BY id LIMIT ?')
    .all(familyId, limit) as Array<{
    family_id: string;
    source: string;
    session_id: string;
    prompt_index: number;
    prompt: string;
    answer: string | null;
    at: string | null;
    project: string | null;
    outcome: MemberRecord['outcome'];
    evidence_json: string;
    directives_json: string;
  }>;
  return rows.map((row) => {
    const member: MemberRecord = {
      familyId: row.family_id,
      source: row.source as SourceName,
      sessionId: row.session_id,
      promptIndex: row.prompt_index,
      prompt: row.prompt,
      outcome: row.outcome,
      evidence: parseJson<EvidenceLine[]>(row.evidence_json, []),
      directives: parseList(row.directives_json),
    };
    if (row.answer !== null) member.answer = row.answer;
    if (row.at !== null) member.at = row.at;
    if (row.project !== null) member.project = row.project;
    return member;
  });
}

/** Recompute a family's recurrence facts from its members and the sessions they came from. */
export function refreshFamilyStats(db: Db, familyId: string, extra: { skills: readonly string[] }, now: string): FamilyRecord | undefined {
  const stats = prepared(
      db,
      `SELECT COUNT(*) AS members, COUNT(DISTINCT source || ':' || session_id) AS sessions, MIN(at) AS first_seen, MAX(at) AS last_seen
       FROM family_members WHERE family_id = ?`,
    )
    .get(familyId) as { members: number; sessions: number; first_seen: string | null; last_seen: string | null };
  const projects = (prepared(db, 'SELECT DISTINCT project FROM family_members WHERE family_id = ? AND project IS NOT NULL ORDER BY project LIMIT 20').all(familyId) as Array<{ project: string }>).map((r) => r.project);
  const sources = (prepared(db, 'SELECT DISTINCT source FROM family_members WHERE family_id = ? ORDER BY source').all(familyId) as Array<{ source: string }>).map((r) => r.source);
  const before = getFamily(db, familyId);
  const skills = [...new Set([...(before?.skills ?? []), ...extra.skills])].sort().slice(0, 50);
  prepared(
    db,
    `UPDATE task_families SET session_count = ?, member_count = ?, first_seen = ?, last_seen = ?, projects_json = ?, skills_json = ?, sources_json = ?, updated_at = ?
     WHERE id = ?`,
  ).run(stats.sessions, stats.members, stats.first_seen, stats.last_seen, JSON.stringify(projects), JSON.stringify(skills), JSON.stringify(sources), now, familyId);
  return getFamily(db, familyId);
}
