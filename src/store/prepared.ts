import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';

const statements = new WeakMap<Db, Map<string, Statement>>();

/**
 * A statement prepared once per database and reused: harvest runs its statements once per file and mining once
 * per prompt or task, and preparing one costs more than running it.
 */
export function prepared(db: Db, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}
