import type { Migration } from './index.js';

/**
 * Incremental harvest and mining at a cost proportional to what changed.
 * - sessions.written_by: the transcript file that last wrote each session; its checkpoint resumes from that stored
 *   digest instead of keeping a second copy of it in the parser state.
 * - family_exemplars / family_features: each family's exemplar vectors and an inverted index of their features, so
 *   mining loads only the families a new prompt shares a feature with instead of re-reading every member. Derived
 *   data: triggers mark a family dirty whenever its members change, and mining rebuilds dirty families first.
 */
export const m007Incremental: Migration = {
  version: 7,
  name: 'incremental',
  sql: `
ALTER TABLE sessions ADD COLUMN written_by TEXT;
CREATE TABLE family_exemplars (
  family_id TEXT NOT NULL REFERENCES task_families (id) ON DELETE CASCADE,
  member_id INTEGER NOT NULL,
  vector_json TEXT NOT NULL,
  PRIMARY KEY (family_id, member_id)
);
CREATE TABLE family_features (
  feature TEXT NOT NULL,
  family_id TEXT NOT NULL REFERENCES task_families (id) ON DELETE CASCADE,
  PRIMARY KEY (feature, family_id)
) WITHOUT ROWID;
CREATE INDEX family_features_family ON family_features (family_id);
CREATE TABLE family_index_dirty (family_id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE family_index_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TRIGGER family_members_inserted AFTER INSERT ON family_members BEGIN
  INSERT OR IGNORE INTO family_index_dirty (family_id) VALUES (NEW.family_id);
END;
CREATE TRIGGER family_members_changed AFTER UPDATE OF family_id, prompt ON family_members BEGIN
  INSERT OR IGNORE INTO family_index_dirty (family_id) VALUES (OLD.family_id);
  INSERT OR IGNORE INTO family_index_dirty (family_id) VALUES (NEW.family_id);
END;
CREATE TRIGGER family_members_deleted AFTER DELETE ON family_members BEGIN
  INSERT OR IGNORE INTO family_index_dirty (family_id) VALUES (OLD.family_id);
END;
INSERT OR IGNORE INTO family_index_dirty (family_id) SELECT id FROM task_families;
`,
};
