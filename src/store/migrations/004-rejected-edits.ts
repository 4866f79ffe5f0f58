import type { Migration } from './index.js';

/** The rejected-edit memory across nights (owned by src/train through the rejected-edits repo). */
export const m004RejectedEdits: Migration = {
  version: 4,
  name: 'rejected-edits',
  sql: `
CREATE TABLE rejected_edits (
  id INTEGER PRIMARY KEY,
  skill_key TEXT NOT NULL,
  op TEXT NOT NULL,
  anchor TEXT,
  content TEXT,
  rationale TEXT,
  edit_hash TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('gate', 'no_contribution', 'policy', 'review', 'contradiction')),
  score_drop REAL,
  night INTEGER,
  run_id INTEGER,
  created_at TEXT NOT NULL
);
CREATE INDEX rejected_edits_skill ON rejected_edits (skill_key, created_at);
CREATE INDEX rejected_edits_hash ON rejected_edits (skill_key, edit_hash);
`,
};
