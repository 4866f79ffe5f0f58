import type { Migration } from './index.js';

/** Harvested sessions and per-file checkpoints (owned by src/harvest). */
export const m002Harvest: Migration = {
  version: 2,
  name: 'harvest',
  sql: `
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  session_id TEXT NOT NULL,
  digest_json TEXT NOT NULL,
  started_at TEXT,
  ended_at TEXT,
  project_cwd TEXT,
  own_replay INTEGER NOT NULL DEFAULT 0,
  headless INTEGER NOT NULL DEFAULT 0,
  harvested_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (source, session_id)
);
CREATE INDEX sessions_started ON sessions (started_at);
CREATE INDEX sessions_project ON sessions (project_cwd);
CREATE TABLE file_checkpoints (
  path TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  device INTEGER,
  inode INTEGER,
  size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  offset INTEGER NOT NULL,
  prefix_hash TEXT NOT NULL,
  state_json TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX file_checkpoints_source ON file_checkpoints (source);
`,
};
