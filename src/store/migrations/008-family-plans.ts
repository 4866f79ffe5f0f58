import type { Migration } from './index.js';

/**
 * What a family's task plan reads from its members (folded instances, grounded judge, family-wide lines), stored
 * so that mining re-plans a family the new prompts joined from it, reading only the members it chooses, while the
 * members it was read from are unchanged. Derived data: a changed or deleted member drops its family's row (new
 * members are told by the planning window's member count and last id, kept with the row).
 * A new member now marks its family's exemplar vectors dirty only when it is one of the family's first members
 * (as many as the stored exemplar count, 200 when none is stored yet): later members are no exemplars, so a run
 * that adds to large families no longer rebuilds their vectors.
 */
export const m008FamilyPlans: Migration = {
  version: 8,
  name: 'family-plans',
  sql: `
CREATE TABLE family_plans (
  family_id TEXT PRIMARY KEY REFERENCES task_families (id) ON DELETE CASCADE,
  window_size INTEGER NOT NULL,
  window_count INTEGER NOT NULL,
  window_last INTEGER NOT NULL,
  basis_json TEXT NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER family_members_plan_changed AFTER UPDATE ON family_members
WHEN OLD.family_id IS NOT NEW.family_id OR OLD.prompt IS NOT NEW.prompt OR OLD.answer IS NOT NEW.answer OR OLD.at IS NOT NEW.at
  OR OLD.project IS NOT NEW.project OR OLD.outcome IS NOT NEW.outcome OR OLD.evidence_json IS NOT NEW.evidence_json
  OR OLD.directives_json IS NOT NEW.directives_json OR OLD.answers_json IS NOT NEW.answers_json
  OR OLD.source IS NOT NEW.source OR OLD.session_id IS NOT NEW.session_id OR OLD.prompt_index IS NOT NEW.prompt_index
BEGIN
  DELETE FROM family_plans WHERE family_id = OLD.family_id OR family_id = NEW.family_id;
END;
DROP TRIGGER family_members_inserted;
CREATE TRIGGER family_members_inserted AFTER INSERT ON family_members
WHEN (SELECT COUNT(*) FROM (SELECT 1 FROM family_members WHERE family_id = NEW.family_id AND id < NEW.id LIMIT 200))
  < COALESCE((SELECT CAST(value AS INTEGER) FROM family_index_meta WHERE key = 'exemplars'), 200)
BEGIN
  INSERT OR IGNORE INTO family_index_dirty (family_id) VALUES (NEW.family_id);
END;
CREATE TRIGGER family_members_plan_deleted AFTER DELETE ON family_members BEGIN
  DELETE FROM family_plans WHERE family_id = OLD.family_id;
END;
`,
};
