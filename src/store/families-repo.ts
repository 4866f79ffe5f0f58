import type { Db } from './db.js';
import { prepared } from './prepared.js';
import type { SessionDigest, SourceName } from '../harvest/types.js';
import type { AnswerVerdict, EvidenceLine, OutcomeLabel } from '../mine/labels.js';

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
  /** Every answer the request got, with the person's verdict (absent on rows mined before verdicts were kept). */
  answers: AnswerVerdict[];
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
    `INSERT INTO family_members (family_id, source, session_id, prompt_index, prompt, answer, at, project, outcome, evidence_json, directives_json, answers_json)
     VALUES (@family_id, @source, @session_id, @prompt_index, @prompt, @answer, @at, @project, @outcome, @evidence_json, @directives_json, @answers_json)
     ON CONFLICT (source, session_id, prompt_index) DO UPDATE SET answer = excluded.answer, outcome = excluded.outcome,
       evidence_json = excluded.evidence_json, directives_json = excluded.directives_json, answers_json = excluded.answers_json`,
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
    answers_json: JSON.stringify(member.answers),
  });
}

interface MemberRow {
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
  answers_json: string;
}

function toMember(row: MemberRow): MemberRecord {
  const member: MemberRecord = {
    familyId: row.family_id,
    source: row.source as SourceName,
    sessionId: row.session_id,
    promptIndex: row.prompt_index,
    prompt: row.prompt,
    outcome: row.outcome,
    evidence: parseJson<EvidenceLine[]>(row.evidence_json, []),
    directives: parseList(row.directives_json),
    answers: parseJson<AnswerVerdict[]>(row.answers_json, []).filter((a) => a && typeof a.text === 'string'),
  };
  if (row.answer !== null) member.answer = row.answer;
  if (row.at !== null) member.at = row.at;
  if (row.project !== null) member.project = row.project;
  return member;
}

/** How many members a family's task plan reads (its planning window: the first ones). */
export const PLAN_WINDOW = 500;

/** The members of one family, oldest first. */
export function listMembers(db: Db, familyId: string, limit = PLAN_WINDOW): MemberRecord[] {
  return (prepared(db, 'SELECT * FROM family_members WHERE family_id = ? ORDER BY id LIMIT ?').all(familyId, limit) as MemberRow[]).map(toMember);
}

/**
 * Members of one family by key (`source:sessionId:promptIndex`), in the order asked; undefined for a key that
 * names no member of that family.
 */
export function getMembersByKey(db: Db, familyId: string, keys: readonly string[]): Array<MemberRecord | undefined> {
  const select = prepared(db, 'SELECT * FROM family_members WHERE source = ? AND session_id = ? AND prompt_index = ? AND family_id = ?');
  return keys.map((key) => {
    const first = key.indexOf(':');
    const last = key.lastIndexOf(':');
    if (first < 0 || last <= first) return undefined;
    const row = select.get(key.slice(0, first), key.slice(first + 1, last), Number(key.slice(last + 1)), familyId) as MemberRow | undefined;
    return row ? toMember(row) : undefined;
  });
}

/** Where a family's planning window ends: how many of its first `size` members there are and the last one's id. */
export interface MemberWindow {
  size: number;
  count: number;
  last: number;
}

/** The planning window of a family now (an index range scan of at most `size` ids). */
export function memberWindow(db: Db, familyId: string, size = PLAN_WINDOW): MemberWindow {
  const row = prepared(db, 'SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS last FROM (SELECT id FROM family_members WHERE family_id = ? ORDER BY id LIMIT ?)').get(familyId, size) as { n: number; last: number };
  return { size, count: row.n, last: row.last };
}

/**
 * The stored plan basis of a family (JSON, opaque here), when it was read from the members its window holds now:
 * triggers drop the row when a member changes or goes, and new members within the window move its count or last id.
 */
export function getPlanBasis(db: Db, familyId: string, window: MemberWindow): string | undefined {
  const row = prepared(db, 'SELECT window_size, window_count, window_last, basis_json FROM family_plans WHERE family_id = ?').get(familyId) as
    | { window_size: number; window_count: number; window_last: number; basis_json: string }
    | undefined;
  if (!row || row.window_size !== window.size || row.window_count !== window.count || row.window_last !== window.last) return undefined;
  return row.basis_json;
}

/** Store the plan basis read from a family's window. */
export function putPlanBasis(db: Db, familyId: string, window: MemberWindow, basisJson: string): void {
  prepared(
    db,
    `INSERT INTO family_plans (family_id, window_size, window_count, window_last, basis_json) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (family_id) DO UPDATE SET window_size = excluded.window_size, window_count = excluded.window_count, window_last = excluded.window_last, basis_json = excluded.basis_json`,
  ).run(familyId, window.size, window.count, window.last, basisJson);
}

/** Record a family's kin (see `familyKin`), or clear it when its judge no longer grounds one. */
export function setFamilyKin(db: Db, familyId: string, kin: string | null): void {
  prepared(db, 'UPDATE task_families SET kin = ? WHERE id = ? AND kin IS NOT ?').run(kin, familyId, kin);
}

/** The version of `familyKin` the stored kins were read with ('' when none was). */
export function kinVersion(db: Db): string {
  const row = prepared(db, "SELECT value FROM family_index_meta WHERE key = 'kin'").get() as { value: string } | undefined;
  return row?.value ?? '';
}

/** Record that every recurring family's kin has been read with this version. */
export function setKinVersion(db: Db, version: string): void {
  prepared(db, "INSERT INTO family_index_meta (key, value) VALUES ('kin', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(version);
}

/** A family's recorded kin, or null. */
export function familyKinOf(db: Db, familyId: string): string | null {
  const row = prepared(db, 'SELECT kin FROM task_families WHERE id = ?').get(familyId) as { kin: string | null } | undefined;
  return row?.kin ?? null;
}

/** The families recorded with any of these kins, each with its kin. */
export function familiesOfKin(db: Db, kins: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const query = prepared(db, 'SELECT id FROM task_families WHERE kin = ? ORDER BY id');
  for (const kin of new Set(kins)) for (const row of query.all(kin) as Array<{ id: string }>) out.set(row.id, kin);
  return out;
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

/** Members a mining run added to one family: what its recurrence facts need of each. */
export interface AddedMember {
  source: string;
  sessionId: string;
  at?: string | undefined;
  project?: string | undefined;
}

/** Order strings as SQLite's BINARY collation does (UTF-8 bytes, that is code points), not by UTF-16 units. */
function byCodePoint(a: string, b: string): number {
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const ca = a.codePointAt(i) as number;
    const cb = b.codePointAt(j) as number;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * Bring a family's recurrence facts up to date after a run added `added` members to it (already stored), from the
 * stored facts and the added members alone: the same facts `refreshFamilyStats` recomputes from every member, at
 * a cost that grows with what was added, not with the family. A session counts once however many of its prompts
 * joined (one indexed lookup per added session).
 */
export function addToFamilyStats(db: Db, familyId: string, added: readonly AddedMember[], extra: { skills: readonly string[] }, now: string): void {
  const before = getFamily(db, familyId);
  if (!before) return;
  const bySession = new Map<string, { source: string; sessionId: string; count: number }>();
  for (const m of added) {
    const key = `${m.source}:${m.sessionId}`;
    const entry = bySession.get(key) ?? { source: m.source, sessionId: m.sessionId, count: 0 };
    entry.count++;
    bySession.set(key, entry);
  }
  const inFamily = prepared(db, 'SELECT COUNT(*) AS n FROM family_members WHERE source = ? AND session_id = ? AND +family_id = ?');
  let newSessions = 0;
  // A session is new to the family when every member it has there was added by this run.
  for (const s of bySession.values()) if ((inFamily.get(s.source, s.sessionId, familyId) as { n: number }).n <= s.count) newSessions++;
  let first = before.firstSeen;
  let last = before.lastSeen;
  for (const m of added) {
    if (m.at === undefined) continue;
    if (first === undefined || byCodePoint(m.at, first) < 0) first = m.at;
    if (last === undefined || byCodePoint(m.at, last) > 0) last = m.at;
  }
  const projects = [...new Set([...before.projects, ...added.flatMap((m) => (m.project === undefined ? [] : [m.project]))])].sort(byCodePoint).slice(0, 20);
  const sources = [...new Set([...before.sources, ...added.map((m) => m.source)])].sort(byCodePoint);
  const skills = [...new Set([...before.skills, ...extra.skills])].sort().slice(0, 50);
  prepared(
    db,
    `UPDATE task_families SET session_count = ?, member_count = ?, first_seen = ?, last_seen = ?, projects_json = ?, skills_json = ?, sources_json = ?, updated_at = ?
     WHERE id = ?`,
  ).run(before.sessionCount + newSessions, before.memberCount + added.length, first ?? null, last ?? null, JSON.stringify(projects), JSON.stringify(skills), JSON.stringify(sources), now, familyId);
}

/** A family as the clustering index needs it: founding order, and the exemplar vectors it matches against. */
export interface StoredFamilyVectors {
  id: string;
  founderKey: string;
  /** Founding order (the family's rowid): ties go to the older family. */
  order: number;
  memberCount: number;
  /** Exemplar vectors as `[feature, weight]` lists, in member order. */
  exemplars: Array<Array<[string, number]>>;
}

/**
 * Bring the stored exemplar vectors up to date: families whose members changed since (marked by triggers), or
 * every family when the exemplar count differs from the one the vectors were built for. `vectorOf` turns a stored
 * member prompt into its vector (undefined when it reads as no prompt). Returns how many families were rebuilt.
 */
export function refreshFamilyVectors(db: Db, exemplars: number, vectorOf: (prompt: string) => Array<[string, number]> | undefined, featuresVersion: string): number {
  // The index is rebuilt whole when the number of exemplars or the features of a prompt change.
  const key = `${exemplars}/features ${featuresVersion}`;
  const meta = prepared(db, "SELECT value FROM family_index_meta WHERE key = 'exemplars'").get() as { value: string } | undefined;
  if (meta?.value !== key) {
    prepared(db, 'INSERT OR IGNORE INTO family_index_dirty (family_id) SELECT id FROM task_families').run();
    prepared(db, "INSERT INTO family_index_meta (key, value) VALUES ('exemplars', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key);
  }
  const dirty = (prepared(db, 'SELECT family_id FROM family_index_dirty').all() as Array<{ family_id: string }>).map((r) => r.family_id);
  const members = prepared(db, 'SELECT id, prompt FROM family_members WHERE family_id = ? ORDER BY id LIMIT ?');
  const insertExemplar = prepared(db, 'INSERT INTO family_exemplars (family_id, member_id, vector_json) VALUES (?, ?, ?)');
  const insertFeature = prepared(db, 'INSERT OR IGNORE INTO family_features (feature, family_id) VALUES (?, ?)');
  for (const familyId of dirty) {
    prepared(db, 'DELETE FROM family_exemplars WHERE family_id = ?').run(familyId);
    prepared(db, 'DELETE FROM family_features WHERE family_id = ?').run(familyId);
    const exists = prepared(db, 'SELECT 1 FROM task_families WHERE id = ?').get(familyId);
    if (exists) {
      for (const row of members.all(familyId, exemplars) as Array<{ id: number; prompt: string }>) {
        const vector = vectorOf(row.prompt);
        if (!vector) continue;
        insertExemplar.run(familyId, row.id, JSON.stringify(vector));
        for (const [feature] of vector) insertFeature.run(feature, familyId);
      }
    }
    prepared(db, 'DELETE FROM family_index_dirty WHERE family_id = ?').run(familyId);
  }
  return dirty.length;
}

/** For each of `features`, the families with an exemplar holding it (a range of the feature index per feature). */
export function familyIdsWithFeatures(db: Db, features: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (features.length === 0) return out;
  const rows = prepared(db, 'SELECT feature, family_id FROM family_features WHERE feature IN (SELECT value FROM json_each(?))').all(JSON.stringify(features)) as Array<{ feature: string; family_id: string }>;
  for (const row of rows) {
    const list = out.get(row.feature) ?? [];
    list.push(row.family_id);
    out.set(row.feature, list);
  }
  return out;
}

/** These families with their stored exemplar vectors (in member order), oldest family first. */
export function loadFamilyVectors(db: Db, ids: readonly string[]): StoredFamilyVectors[] {
  if (ids.length === 0) return [];
  const rows = prepared(
    db,
    `SELECT f.id, f.rowid AS ord, f.founder_key, f.member_count, e.vector_json
     FROM task_families f JOIN family_exemplars e ON e.family_id = f.id
     WHERE f.id IN (SELECT value FROM json_each(?))
     ORDER BY f.rowid, e.member_id`,
  ).all(JSON.stringify(ids)) as Array<{ id: string; ord: number; founder_key: string; member_count: number; vector_json: string }>;
  const out: StoredFamilyVectors[] = [];
  let current: StoredFamilyVectors | undefined;
  for (const row of rows) {
    if (current?.id !== row.id) {
      current = { id: row.id, founderKey: row.founder_key, order: row.ord, memberCount: row.member_count, exemplars: [] };
      out.push(current);
    }
    current.exemplars.push(parseJson<Array<[string, number]>>(row.vector_json, []));
  }
  return out;
}
