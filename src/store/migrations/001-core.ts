import type { Migration } from './index.js';

/** Tasks, skills and their versions, nights, runs, rollouts, edits, gate trials, the replay cache and the call ledger. */
export const m001Core: Migration = {
  version: 1,
  name: 'core',
  sql: `
CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  family TEXT,
  prompt TEXT NOT NULL,
  context TEXT,
  judge_json TEXT NOT NULL,
  simulation_json TEXT,
  tags_json TEXT NOT NULL DEFAULT '[]',
  origin TEXT NOT NULL DEFAULT 'real' CHECK (origin IN ('real', 'dream')),
  split TEXT CHECK (split IN ('train', 'val', 'test')),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'excluded')),
  reviewed INTEGER NOT NULL DEFAULT 0,
  provenance_json TEXT NOT NULL DEFAULT '{}',
  content_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX tasks_family ON tasks (family);

CREATE TABLE skills (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  agent TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE skill_versions (
  id INTEGER PRIMARY KEY,
  skill_id INTEGER NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  content TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('baseline', 'proposal', 'adopted', 'rollback', 'external-edit')),
  night_id INTEGER REFERENCES nights (id),
  note TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (skill_id, version)
);

CREATE TABLE nights (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'budget_exhausted', 'interrupted')),
  trigger TEXT NOT NULL,
  config_json TEXT NOT NULL DEFAULT '{}',
  summary_json TEXT,
  error TEXT
);

CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  night_id INTEGER REFERENCES nights (id),
  kind TEXT NOT NULL CHECK (kind IN ('night', 'train', 'demo', 'eval')),
  skill_name TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL,
  baseline_val REAL,
  final_val REAL,
  baseline_test REAL,
  final_test REAL,
  summary_json TEXT
);

CREATE TABLE rollouts (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  phase TEXT NOT NULL,
  task_id TEXT NOT NULL,
  sample_index INTEGER NOT NULL,
  skill_sha TEXT NOT NULL,
  hard REAL NOT NULL,
  soft REAL NOT NULL,
  response TEXT NOT NULL,
  feedback_json TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL
);
CREATE INDEX rollouts_run ON rollouts (run_id, step);

CREATE TABLE edits (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  op TEXT NOT NULL,
  anchor TEXT,
  content TEXT,
  rationale TEXT,
  evidence_json TEXT NOT NULL DEFAULT '[]',
  support INTEGER NOT NULL DEFAULT 1,
  source_type TEXT,
  status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'unmatched', 'clipped', 'dropped_by_attribution')),
  reason TEXT,
  score_delta REAL,
  contribution REAL,
  created_at TEXT NOT NULL
);
CREATE INDEX edits_run ON edits (run_id, step);

CREATE TABLE gate_trials (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  kind TEXT NOT NULL,
  mode TEXT NOT NULL,
  incumbent_score REAL NOT NULL,
  candidate_score REAL NOT NULL,
  mean_delta REAL NOT NULL,
  std_error REAL,
  threshold REAL,
  accepted INTEGER NOT NULL,
  reason TEXT NOT NULL,
  per_task_json TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL
);

CREATE TABLE meta_notes (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  content TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE replay_cache (
  key TEXT PRIMARY KEY,
  task_hash TEXT NOT NULL,
  skill_hash TEXT NOT NULL,
  backend TEXT NOT NULL,
  model TEXT NOT NULL,
  options_hash TEXT NOT NULL,
  sample_index INTEGER NOT NULL,
  response_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_used_at TEXT NOT NULL
);
CREATE INDEX replay_cache_task ON replay_cache (task_hash);

CREATE TABLE model_calls (
  id INTEGER PRIMARY KEY,
  night_id INTEGER REFERENCES nights (id),
  backend TEXT NOT NULL,
  model TEXT NOT NULL,
  purpose TEXT,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  estimated INTEGER NOT NULL DEFAULT 0,
  cached INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL,
  duration_ms INTEGER,
  error_code TEXT,
  created_at TEXT NOT NULL
);
`,
};
