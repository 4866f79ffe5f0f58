import Database from 'better-sqlite3';
import { chmodSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDir } from '../core/fs.js';
import { SkillOptError } from '../core/errors.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export type Db = Database.Database;

/** Open (or create) the state database: WAL, foreign keys, a busy timeout, and every migration applied. */
export function openDatabase(path: string, options: { migrations?: readonly Migration[] } = {}): Db {
  const isMemory = path === ':memory:';
  if (!isMemory) ensurePrivateDir(dirname(path));
  const created = !isMemory && !existsSync(path);
  let db: Db;
  try {
    db = new Database(path);
  } catch (error) {
    throw new SkillOptError('INPUT', `cannot open the state database at ${path}`, {
      hint: 'check that the folder is writable, or point --home / SKILLOPT_SLEEP_HOME elsewhere',
      cause: error,
    });
  }
  if (created) chmodSync(path, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  migrate(db, options.migrations ?? MIGRATIONS);
  return db;
}

/** Apply numbered migrations above PRAGMA user_version, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw new SkillOptError('CONFIG', `the state database is at schema version ${current}, newer than this skillopt-sleep knows (${latest})`, {
      hint: 'upgrade skillopt-sleep, or point --home at another state folder',
    });
  }
  const pending = migrations.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return pending.length;
}
