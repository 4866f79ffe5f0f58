import type { Db } from './db.js';
import { prepared } from './prepared.js';
import type { SessionDigest, SourceName } from '../harvest/types.js';

/** Where reading of one transcript file stopped, so the next harvest reads only what was appended. */
export interface FileCheckpoint {
  path: string;
  source: SourceName;
  device?: number | undefined;
  inode?: number | undefined;
  size: number;
  mtimeMs: number;
  /** Byte offset after the last complete line read (or after an oversized line still being skipped). */
  offset: number;
  /** Fingerprint of the bytes before `offset` (JSONL), or the content hash (JSON documents). */
  prefixHash: string;
  /** The parser's saved state. */
  parserState?: unknown;
  /** Reading stopped inside an oversized line: resume by skipping to the next newline. */
  skipping?: boolean;
}

/** A stored session digest with its row id. */
export interface SessionRecord {
  id: number;
  source: SourceName;
  sessionId: string;
  digest: SessionDigest;
  harvestedAt: string;
  updatedAt: string;
}

interface CheckpointRow {
  path: string;
  source: string;
  device: number | null;
  inode: number | null;
  size: number;
  mtime_ms: number;
  offset: number;
  prefix_hash: string;
  state_json: string | null;
}

interface SessionRow {
  id: number;
  source: string;
  session_id: string;
  digest_json: string;
  harvested_at: string;
  updated_at: string;
}


function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // a damaged state only costs a re-read of that file
  }
}

/**
 * Every checkpoint of one source, by path, without parser state: a no-change harvest only compares
 * stat fields, so the (larger) state is read only for files that are resumed (loadParserState).
 */
export function loadCheckpoints(db: Db, source: SourceName): Map<string, FileCheckpoint> {
  const rows = prepared(db, 'SELECT path, source, device, inode, size, mtime_ms, offset, prefix_hash FROM file_checkpoints WHERE source = ?').all(
    source,
  ) as Array<Omit<CheckpointRow, 'state_json'>>;
  const map = new Map<string, FileCheckpoint>();
  for (const row of rows) {
    map.set(row.path, {
      path: row.path,
      source: row.source as SourceName,
      device: row.device ?? undefined,
      inode: row.inode ?? undefined,
      size: row.size,
      mtimeMs: row.mtime_ms,
      offset: row.offset,
      prefixHash: row.prefix_hash,
    });
  }
  return map;
}

/** The saved parser state of one file and whether it stopped inside an oversized line. */
export function loadParserState(db: Db, path: string): { parserState: unknown; skipping: boolean } {
  const row = prepared(db, 'SELECT state_json FROM file_checkpoints WHERE path = ?').get(path) as { state_json: string | null } | undefined;
  const stored = parseJson(row?.state_json ?? null) as { parser?: unknown; skipping?: unknown } | undefined;
  return { parserState: stored?.parser ?? undefined, skipping: stored?.skipping === true };
}

/** Insert or replace one file's checkpoint. */
export function saveCheckpoint(db: Db, checkpoint: FileCheckpoint, now: string): void {
  prepared(
    db,
    `INSERT INTO file_checkpoints (path, source, device, inode, size, mtime_ms, offset, prefix_hash, state_json, updated_at)
     VALUES (@path, @source, @device, @inode, @size, @mtime_ms, @offset, @prefix_hash, @state_json, @updated_at)
     ON CONFLICT (path) DO UPDATE SET source = excluded.source, device = excluded.device, inode = excluded.inode,
       size = excluded.size, mtime_ms = excluded.mtime_ms, offset = excluded.offset, prefix_hash = excluded.prefix_hash,
       state_json = excluded.state_json, updated_at = excluded.updated_at`,
  ).run({
    path: checkpoint.path,
    source: checkpoint.source,
    device: checkpoint.device ?? null,
    inode: checkpoint.inode ?? null,
    size: checkpoint.size,
    mtime_ms: checkpoint.mtimeMs,
    offset: checkpoint.offset,
    prefix_hash: checkpoint.prefixHash,
    state_json: JSON.stringify({ parser: checkpoint.parserState ?? null, skipping: checkpoint.skipping === true }),
    updated_at: now,
  });
}

/**
 * Insert or update one digest; says whether it was new, changed or identical to what was stored. `writtenBy` is the
 * transcript file it came from: a checkpoint of that file may then resume from this row (loadWrittenDigest).
 */
export function upsertSession(db: Db, digest: SessionDigest, now: string, writtenBy?: string): 'new' | 'updated' | 'unchanged' {
  const json = JSON.stringify(digest);
  const existing = prepared(db, 'SELECT digest_json, written_by FROM sessions WHERE source = ? AND session_id = ?').get(digest.source, digest.sessionId) as
    | { digest_json: string; written_by: string | null }
    | undefined;
  if (existing?.digest_json === json) {
    if (writtenBy !== undefined && existing.written_by !== writtenBy) {
      prepared(db, 'UPDATE sessions SET written_by = ? WHERE source = ? AND session_id = ?').run(writtenBy, digest.source, digest.sessionId);
    }
    return 'unchanged';
  }
  const values = {
    source: digest.source,
    session_id: digest.sessionId,
    digest_json: json,
    started_at: digest.startedAt ?? null,
    ended_at: digest.endedAt ?? null,
    project_cwd: digest.project?.cwd ?? null,
    own_replay: digest.ownReplay ? 1 : 0,
    headless: digest.headless ? 1 : 0,
    written_by: writtenBy ?? null,
    now,
  };
  if (existing) {
    prepared(
      db,
      `UPDATE sessions SET digest_json = @digest_json, started_at = @started_at, ended_at = @ended_at,
         project_cwd = @project_cwd, own_replay = @own_replay, headless = @headless, written_by = @written_by, updated_at = @now
       WHERE source = @source AND session_id = @session_id`,
    ).run(values);
    return 'updated';
  }
  prepared(
    db,
    `INSERT INTO sessions (source, session_id, digest_json, started_at, ended_at, project_cwd, own_replay, headless, written_by, harvested_at, updated_at)
     VALUES (@source, @session_id, @digest_json, @started_at, @ended_at, @project_cwd, @own_replay, @headless, @written_by, @now, @now)`,
  ).run(values);
  return 'new';
}

/**
 * The stored digest of one session, only if the file at `writtenBy` wrote it last (another copy of the same
 * session elsewhere may have overwritten it since, and then that file must be read again from its start).
 */
export function loadWrittenDigest(db: Db, source: string, sessionId: string, writtenBy: string): unknown {
  const row = prepared(db, 'SELECT digest_json FROM sessions WHERE source = ? AND session_id = ? AND written_by = ?').get(source, sessionId, writtenBy) as
    | { digest_json: string }
    | undefined;
  return row ? parseJson(row.digest_json) : undefined;
}

function toRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    source: row.source as SourceName,
    sessionId: row.session_id,
    digest: JSON.parse(row.digest_json) as SessionDigest,
    harvestedAt: row.harvested_at,
    updatedAt: row.updated_at,
  };
}

/** Filters for listing sessions. */
export interface SessionQuery {
  source?: SourceName | undefined;
  /** Sessions run in this folder or below it (never in a parent of it). */
  project?: string | undefined;
  limit?: number | undefined;
  includeOwnReplays?: boolean | undefined;
}

/** Stored sessions, newest first. */
export function listSessions(db: Db, query: SessionQuery = {}): SessionRecord[] {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.source) {
    where.push('source = @source');
    params.source = query.source;
  }
  if (query.project) {
    const dir = query.project.replace(/[\\/]+$/, '') || '/';
    where.push("(project_cwd = @dir OR substr(project_cwd, 1, length(@prefix)) = @prefix)");
    params.dir = dir;
    params.prefix = dir.endsWith('/') ? dir : `${dir}/`;
  }
  if (!query.includeOwnReplays) where.push('own_replay = 0');
  const sql = `SELECT id, source, session_id, digest_json, harvested_at, updated_at FROM sessions
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY COALESCE(started_at, harvested_at) DESC, id DESC LIMIT @limit`;
  params.limit = query.limit ?? -1;
  return (db.prepare(sql).all(params) as SessionRow[]).map(toRecord);
}

/** One stored session by row id, by the tool's session id, or by a unique prefix of it. */
export function getSession(db: Db, idOrSessionId: string | number): SessionRecord | undefined {
  const select = 'SELECT id, source, session_id, digest_json, harvested_at, updated_at FROM sessions';
  const key = String(idOrSessionId).trim();
  if (/^\d+$/.test(key)) {
    const row = db.prepare(`${select} WHERE id = ?`).get(Number(key)) as SessionRow | undefined;
    if (row) return toRecord(row);
  }
  const exact = db.prepare(`${select} WHERE session_id = ? ORDER BY id LIMIT 1`).get(key) as SessionRow | undefined;
  if (exact) return toRecord(exact);
  if (key.length < 4) return undefined;
  const byPrefix = db
    .prepare(`${select} WHERE substr(session_id, 1, length(?)) = ? ORDER BY id LIMIT 2`)
    .all(key, key) as SessionRow[];
  return byPrefix.length === 1 && byPrefix[0] ? toRecord(byPrefix[0]) : undefined;
}

/** Per source: sessions kept and when a harvest last stored or updated one (for `status`). */
export function sessionSourceStats(db: Db): Array<{ source: string; sessions: number; lastHarvest: string | null }> {
  return db.prepare('SELECT source, COUNT(*) AS sessions, MAX(updated_at) AS lastHarvest FROM sessions GROUP BY source ORDER BY source').all() as Array<{ source: string; sessions: number; lastHarvest: string | null }>;
}
