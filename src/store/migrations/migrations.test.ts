import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../db.js';
import { MIGRATIONS } from './index.js';

const EDIT = `INSERT INTO edits (run_id, step, op, content, status, created_at) VALUES (?, 1, 'append', ?, ?, '2026-03-01T00:00:00Z')`;

describe('migration 011: undecided edits', () => {
  it('keeps every edit recorded before it and then accepts an edit whose gate could not decide', () => {
    const db = openDatabase(':memory:', { migrations: MIGRATIONS.filter((m) => m.version <= 10) });
    const run = Number(db.prepare(`INSERT INTO runs (kind, skill_name, started_at, finished_at, status) VALUES ('train', 's', 'a', 'b', 'failed')`).run().lastInsertRowid);
    db.prepare(EDIT).run(run, 'Use metric units.', 'rejected');
    expect(() => db.prepare(EDIT).run(run, 'x', 'undecided')).toThrow(/CHECK constraint/);
    expect(migrate(db, MIGRATIONS)).toBe(MIGRATIONS.length - 10);
    expect(db.prepare('SELECT run_id, content, status FROM edits').all()).toEqual([{ run_id: run, content: 'Use metric units.', status: 'rejected' }]);
    db.prepare(EDIT).run(run, 'Keep answers short.', 'undecided');
    expect(() => db.prepare(EDIT).run(run, 'y', 'maybe')).toThrow(/CHECK constraint/);
    // The foreign key and its cascade survive the rebuild.
    db.prepare('DELETE FROM runs WHERE id = ?').run(run);
    expect(db.prepare('SELECT COUNT(*) AS n FROM edits').get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'edits'").all()).toEqual([{ name: 'edits_run' }]);
  });
});
