import Database from 'better-sqlite3';
import { accessSync, chmodSync, constants as fsConstants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDir } from '../core/fs.js';
import { SkillOptError } from '../core/errors.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export type Db = Database.Database;

const WRITE_FIX = 'give yourself write access (chmod u+w on the file and its folder), or point --home (or SKILLOPT_SLEEP_HOME) at another state folder';

/** SQLite's "cannot write here" failures, which a person fixes with permissions or another --home. */
function isNotWritable(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  return code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || /readonly database|unable to open/i.test(String((error as Error | null)?.message));
}

/**
 * Open (or create) the state database: WAL, foreign keys, a busy timeout, and every migration applied. With
 * `readonly`, commands that only read (sessions list, tasks export) never write: the file is opened read-only, and a
 * state folder without a database reads as empty instead of being created.
 */
export function openDatabase(path: string, options: { migrations?: readonly Migration[]; readonly?: boolean } = {}): Db {
  const migrations = options.migrations ?? MIGRATIONS;
  const isMemory = path === ':memory:';
  if (options.readonly && !isMemory) {
    if (!existsSync(path)) return openDatabase(':memory:', { migrations });
    const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
    try {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      if ((db.pragma('user_version', { simple: true }) as number) >= latest) return db;
      // An older schema needs its migrations, which need a writable connection.
      db.close();
    } catch (error) {
      throw new SkillOptError('INPUT', `cannot read the state database ${path}: ${(error as Error).message}`, { hint: WRITE_FIX.replace('write access', 'read access'), cause: error });
    }
  }
  if (!isMemory) ensurePrivateDir(dirname(path));
  const created = !isMemory && !existsSync(path);
  // SQLite would open a read-only file read-only without a word, and the first write would fail far from here.
  if (!isMemory && !created) {
    try {
      accessSync(path, fsConstants.W_OK);
    } catch (error) {
      throw new SkillOptError('INPUT', `the state database ${path} is read-only, and this command writes to it`, { hint: WRITE_FIX, cause: error });
    }
  }
  let db: Db;
  try {
    db = new Database(path);
  } catch (error) {
    throw new SkillOptError('INPUT', `cannot open the state database at ${path}`, { hint: WRITE_FIX, cause: error });
  }
  try {
    if (created) chmodSync(path, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    // A WAL that grew past this (a harvest lets it reach 64 MB) is cut back to it when it next restarts.
    db.pragma('journal_size_limit = 8388608');
    migrate(db, migrations);
  } catch (error) {
    db.close();
    if (isNotWritable(error)) {
      throw new SkillOptError('INPUT', `the state database ${path} is read-only (${(error as Error).message})`, { hint: WRITE_FIX, cause: error });
    }
    throw error;
  }
  return db;
}

/** Map a write that failed on a read-only database to an error that names the file and the fix; others pass through. */
export function describeDbWriteError(error: unknown, path: string): unknown {
  if (!isNotWritable(error)) return error;
  return new SkillOptError('INPUT', `cannot write the state database ${path}: ${(error as Error).message}`, { hint: WRITE_FIX, cause: error });
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
