import type { Db } from './db.js';

/** Where a version came from. */
export type VersionSource = 'baseline' | 'adopted' | 'rollback' | 'external-edit';

/** A skill the tool keeps versions of: the managed learned skill, or one the user named. */
export interface SkillRecord {
  id: number;
  name: string;
  /** The primary location: the file versions are read from. */
  path: string;
  agent: string | null;
  kind: 'managed' | 'user';
}

/** One place a skill document is rendered for an agent. */
export interface LocationRecord {
  agent: string;
  scope: 'user' | 'project';
  format: 'skill' | 'instructions';
  path: string;
  primary: boolean;
}

/** One stored version of a skill. */
export interface VersionRecord {
  skillId: number;
  version: number;
  content: string;
  sha256: string;
  source: VersionSource;
  nightId: number | null;
  parentVersion: number | null;
  note: string | null;
  createdAt: string;
}

interface VersionRow {
  skill_id: number;
  version: number;
  content: string;
  sha256: string;
  source: VersionSource;
  night_id: number | null;
  parent_version: number | null;
  note: string | null;
  created_at: string;
}

const toVersion = (r: VersionRow): VersionRecord => ({
  skillId: r.skill_id,
  version: r.version,
  content: r.content,
  sha256: r.sha256,
  source: r.source,
  nightId: r.night_id,
  parentVersion: r.parent_version,
  note: r.note,
  createdAt: r.created_at,
});

const SKILL_COLUMNS = 'id, name, path, agent, kind';

/** Register a skill and its locations (idempotent by name); the locations are replaced by the given list. */
export function upsertSkill(db: Db, skill: { name: string; kind: 'managed' | 'user'; locations: readonly LocationRecord[] }, now: string): SkillRecord {
  const primary = skill.locations.find((l) => l.primary) ?? skill.locations[0];
  if (!primary) throw new Error(`skill ${skill.name} has no location`);
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO skills (name, path, agent, kind, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET path = excluded.path, agent = excluded.agent, kind = excluded.kind`,
    ).run(skill.name, primary.path, primary.agent, skill.kind, now);
    const record = getSkill(db, skill.name)!;
    db.prepare('DELETE FROM skill_locations WHERE skill_id = ?').run(record.id);
    const insert = db.prepare('INSERT INTO skill_locations (skill_id, agent, scope, format, path, is_primary) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET skill_id = excluded.skill_id, agent = excluded.agent, scope = excluded.scope, format = excluded.format, is_primary = excluded.is_primary');
    for (const l of skill.locations) insert.run(record.id, l.agent, l.scope, l.format, l.path, l === primary ? 1 : 0);
    return record;
  })();
}

/** A skill by name. */
export function getSkill(db: Db, name: string): SkillRecord | undefined {
  return db.prepare(`SELECT ${SKILL_COLUMNS} FROM skills WHERE name = ?`).get(name) as SkillRecord | undefined;
}

/** Every skill, by name. */
export function listSkills(db: Db): SkillRecord[] {
  return db.prepare(`SELECT ${SKILL_COLUMNS} FROM skills ORDER BY name`).all() as SkillRecord[];
}

/** A skill's locations, primary first. */
export function listLocations(db: Db, skillId: number): LocationRecord[] {
  const rows = db.prepare('SELECT agent, scope, format, path, is_primary FROM skill_locations WHERE skill_id = ? ORDER BY is_primary DESC, id').all(skillId) as Array<Omit<LocationRecord, 'primary'> & { is_primary: number }>;
  return rows.map(({ is_primary, ...l }) => ({ ...l, primary: is_primary === 1 }));
}

/** Every version of a skill, oldest first. */
export function listVersions(db: Db, skillId: number): VersionRecord[] {
  return (db.prepare('SELECT * FROM skill_versions WHERE skill_id = ? ORDER BY version').all(skillId) as VersionRow[]).map(toVersion);
}

/** One version, or undefined. */
export function getVersion(db: Db, skillId: number, version: number): VersionRecord | undefined {
  const row = db.prepare('SELECT * FROM skill_versions WHERE skill_id = ? AND version = ?').get(skillId, version) as VersionRow | undefined;
  return row ? toVersion(row) : undefined;
}

/** The newest version, or undefined before the first. */
export function latestVersion(db: Db, skillId: number): VersionRecord | undefined {
  const row = db.prepare('SELECT * FROM skill_versions WHERE skill_id = ? ORDER BY version DESC LIMIT 1').get(skillId) as VersionRow | undefined;
  return row ? toVersion(row) : undefined;
}

/** Append a version (number = newest + 1, parent = the newest); returns it. */
export function addVersion(db: Db, skillId: number, v: { content: string; sha256: string; source: VersionSource; nightId?: number | null; note?: string | null }, now: string): VersionRecord {
  return db.transaction(() => {
    const parent = latestVersion(db, skillId);
    const version = (parent?.version ?? 0) + 1;
    db.prepare('INSERT INTO skill_versions (skill_id, version, content, sha256, source, night_id, parent_version, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      skillId,
      version,
      v.content,
      v.sha256,
      v.source,
      v.nightId ?? null,
      parent?.version ?? null,
      v.note ?? null,
      now,
    );
    return getVersion(db, skillId, version)!;
  })();
}

/** The newest version the tool itself wrote to disk (adopted or rollback), else the baseline. */
export function lastWrittenVersion(db: Db, skillId: number): VersionRecord | undefined {
  const row = db.prepare("SELECT * FROM skill_versions WHERE skill_id = ? AND source IN ('adopted', 'rollback', 'baseline') ORDER BY version DESC LIMIT 1").get(skillId) as VersionRow | undefined;
  return row ? toVersion(row) : undefined;
}
