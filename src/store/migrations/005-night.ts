import type { Migration } from './index.js';

/**
 * Nights for real skills (owned by src/night and src/skills): where each skill is rendered per agent, the
 * parent of each version, staged proposals and their decisions, and the one-night-at-a-time lock.
 */
export const m005Night: Migration = {
  version: 5,
  name: 'night',
  sql: `
ALTER TABLE skills ADD COLUMN kind TEXT NOT NULL DEFAULT 'user';
ALTER TABLE skill_versions ADD COLUMN parent_version INTEGER;
ALTER TABLE nights ADD COLUMN dry_run INTEGER NOT NULL DEFAULT 0;
ALTER TABLE nights ADD COLUMN pid INTEGER;
ALTER TABLE nights ADD COLUMN report_dir TEXT;

CREATE TABLE skill_locations (
  id INTEGER PRIMARY KEY,
  skill_id INTEGER NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
  agent TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('user', 'project')),
  format TEXT NOT NULL CHECK (format IN ('skill', 'instructions')),
  path TEXT NOT NULL UNIQUE,
  is_primary INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX skill_locations_skill ON skill_locations (skill_id);

CREATE TABLE proposals (
  id INTEGER PRIMARY KEY,
  night_id INTEGER NOT NULL REFERENCES nights (id),
  skill_id INTEGER NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
  run_id INTEGER REFERENCES runs (id),
  base_version INTEGER NOT NULL,
  base_sha256 TEXT NOT NULL,
  content TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  edits_json TEXT NOT NULL DEFAULT '[]',
  reapplicable INTEGER NOT NULL DEFAULT 1,
  flags_json TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'adopted', 'rejected', 'superseded')),
  decided_at TEXT,
  decision_note TEXT,
  adopted_version INTEGER,
  created_at TEXT NOT NULL,
  UNIQUE (night_id, skill_id)
);
CREATE INDEX proposals_status ON proposals (status, skill_id);

CREATE TABLE night_lock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  night_id INTEGER,
  holder TEXT NOT NULL,
  acquired_at TEXT NOT NULL
);
`,
};
