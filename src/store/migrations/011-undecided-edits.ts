import type { Migration } from './index.js';

/**
 * An edit whose gate could not decide (too many val samples missing, e.g. under rate limits) has the status
 * `undecided`; the edits table's CHECK did not allow it, so recording such a run failed after the night had run.
 * SQLite cannot change a CHECK in place: the table is rebuilt with the same columns and rows.
 */
export const m011UndecidedEdits: Migration = {
  version: 11,
  name: 'undecided-edits',
  sql: `
CREATE TABLE edits_v11 (
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
  status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'undecided', 'unmatched', 'clipped', 'dropped_by_attribution')),
  reason TEXT,
  score_delta REAL,
  contribution REAL,
  created_at TEXT NOT NULL
);
INSERT INTO edits_v11 (id, run_id, step, op, anchor, content, rationale, evidence_json, support, source_type, status, reason, score_delta, contribution, created_at)
  SELECT id, run_id, step, op, anchor, content, rationale, evidence_json, support, source_type, status, reason, score_delta, contribution, created_at FROM edits;
DROP TABLE edits;
ALTER TABLE edits_v11 RENAME TO edits;
CREATE INDEX edits_run ON edits (run_id, step);
`,
};
