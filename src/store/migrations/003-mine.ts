import type { Migration } from './index.js';

/** Task families, their members (one per clustered prompt) and which sessions mining has read (owned by src/mine). */
export const m003Mine: Migration = {
  version: 3,
  name: 'mine',
  sql: `
CREATE TABLE task_families (
  id TEXT PRIMARY KEY,
  founder_key TEXT NOT NULL,
  label TEXT NOT NULL,
  first_seen TEXT,
  last_seen TEXT,
  session_count INTEGER NOT NULL DEFAULT 0,
  member_count INTEGER NOT NULL DEFAULT 0,
  projects_json TEXT NOT NULL DEFAULT '[]',
  skills_json TEXT NOT NULL DEFAULT '[]',
  sources_json TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE family_members (
  id INTEGER PRIMARY KEY,
  family_id TEXT NOT NULL REFERENCES task_families (id) ON DELETE CASCADE,
  source TEXT NOT NULL,
  session_id TEXT NOT NULL,
  prompt_index INTEGER NOT NULL,
  prompt TEXT NOT NULL,
  answer TEXT,
  at TEXT,
  project TEXT,
  outcome TEXT NOT NULL DEFAULT 'unknown' CHECK (outcome IN ('success', 'failure', 'unknown')),
  evidence_json TEXT NOT NULL DEFAULT '[]',
  directives_json TEXT NOT NULL DEFAULT '[]',
  UNIQUE (source, session_id, prompt_index)
);
CREATE INDEX family_members_family ON family_members (family_id, id);
CREATE TABLE mined_sessions (
  source TEXT NOT NULL,
  session_id TEXT NOT NULL,
  session_updated_at TEXT NOT NULL,
  skipped TEXT,
  mined_at TEXT NOT NULL,
  PRIMARY KEY (source, session_id)
);
`,
};
