import { closeSync, openSync, readFileSync, statSync, type Stats } from 'node:fs';
import type { Clock } from '../core/clock.js';
import type { Environment } from '../core/paths.js';
import type { Logger } from '../core/logger.js';
import { isSqliteBusy } from '../store/write-lock.js';
import { describeDbWriteError } from '../store/db.js';
import { SkillOptError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import type { Db } from '../store/db.js';
import type { ParseOutcome, SessionDigest, SkipReason, SourceAdapter, SourceName, TranscriptParser } from './types.js';
import { createRedactor, redactDigest, redactValue } from './digest.js';
import { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_LINE_BYTES, fingerprintPrefix, looksBinary, readLines } from './line-reader.js';
import { loadCheckpoints, loadParserState, loadWrittenDigest, saveCheckpoint, upsertSession, type FileCheckpoint } from '../store/sessions-repo.js';
import { attachDigest, detachDigest } from './stored-state.js';
import { isOwnReplayCwd } from '../core/own-replay.js';
import { addDigestToDrift, emptyDrift, type SourceDrift } from './drift.js';
import { DEFAULT_HARVEST_HEAP, holdHarvestHeap, type HarvestHeap, type HarvestHeapSettings } from './heap.js';

/** What the harvester needs from the outside world. */
export interface HarvestDeps {
  db: Db;
  environment: Environment;
  clock: Clock;
  logger?: Logger | undefined;
}

/** What to harvest. */
export interface HarvestOptions {
  sources: readonly SourceAdapter[];
  /** Extra roots per source, searched as well as (or, with useDefaultRoots false, instead of) the defaults. */
  extraRoots?: Partial<Record<SourceName, readonly string[]>> | undefined;
  useDefaultRoots?: boolean | undefined;
  /** Only files that can hold sessions run in this folder or below it. */
  project?: string | undefined;
  /** Only files modified at or after this instant (older files cannot hold newer sessions). */
  since?: Date | undefined;
  maxLineBytes?: number | undefined;
  chunkBytes?: number | undefined;
  /** Largest whole JSON document read (documents cannot be streamed). */
  maxDocumentBytes?: number | undefined;
  /** Only these discovered paths (the daemon's watcher names the files that changed); absent: every file. */
  files?: ReadonlySet<string> | undefined;
  /** Stops between files (each file commits alone, so an abort tears nothing). */
  signal?: AbortSignal | undefined;
  /** How the harvest keeps resident memory down (see heap.ts); the defaults are the measured ones. */
  heap?: HarvestHeapSettings | undefined;
  /** Told after each file (a TTY shows progress; nothing else depends on it). */
  onProgress?: ((progress: { source: SourceName; done: number; total: number; bytesRead: number }) => void) | undefined;
}

/** The outcome for one source. */
export interface SourceHarvestReport {
  source: SourceName;
  filesSeen: number;
  filesRead: number;
  sessionsNew: number;
  sessionsUpdated: number;
  bytesRead: number;
  skipped: Record<SkipReason, number>;
  secretsRedacted: number;
  durationMs: number;
  /**
   * Format drift seen in the files read this run: agent versions of the sessions stored, unknown record
   * types met (per type), sessions without a prompt (per reason).
   */
  drift: SourceDrift;
}

/** The outcome of one harvest, per source and in total. */
export interface HarvestReport {
  startedAt: string;
  sources: SourceHarvestReport[];
  totals: Omit<SourceHarvestReport, 'source'>;
}

const SKIP_REASONS: readonly SkipReason[] = [
  'invalid_json', 'partial_line', 'oversized_line', 'binary', 'unknown_record', 'missing_field',
  'read_error', 'permission_denied', 'vanished', 'symlink_loop', 'not_a_session',
];

/** A zeroed skip counter. */
export function emptySkipCounts(): Record<SkipReason, number> {
  return Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>;
}

function emptySourceReport(source: SourceName): SourceHarvestReport {
  return {
    source,
    filesSeen: 0,
    filesRead: 0,
    sessionsNew: 0,
    sessionsUpdated: 0,
    bytesRead: 0,
    skipped: emptySkipCounts(),
    secretsRedacted: 0,
    durationMs: 0,
    drift: emptyDrift(),
  };
}

/** Map a file-system error to the reason it is counted under. */
export function skipReasonForError(error: unknown): SkipReason {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'vanished';
    case 'EACCES':
    case 'EPERM':
      return 'permission_denied';
    case 'ELOOP':
      return 'symlink_loop';
    case 'EISDIR':
      return 'not_a_session';
    default:
      return 'read_error';
  }
}

function isSameFile(checkpoint: FileCheckpoint, stats: Stats): boolean {
  // Inode 0 means the platform does not report one; fall back to the path.
  if (checkpoint.inode && stats.ino && (checkpoint.inode !== stats.ino || checkpoint.device !== stats.dev)) return false;
  return true;
}

function feedSafely(parser: TranscriptParser, line: string): ParseOutcome {
  try {
    return parser.feedLine(line);
  } catch (error) {
    // Parsers promise never to throw; if one does, the line is counted and the harvest goes on.
    return { ok: false, reason: 'read_error', detail: error instanceof Error ? error.message : String(error) };
  }
}

/** What reading one file produced, before it is committed. */
interface FileResult {
  digests: SessionDigest[];
  checkpoint: FileCheckpoint;
}

/**
 * Files committed in one transaction. Measured on 40 MB of transcripts: one commit per file wrote 74 MB, 8 per commit
 * 43 MB, 16 per commit 39 MB; on 217 MB in 5,000 files, 8 per commit wrote 214 MB and 32 wrote 188 MB (pages a commit
 * rewrites, the table's last leaf and the index pages, are rewritten less often). Rows are written as each file is
 * read, so a larger batch holds nothing more in memory; the write lock is held for about 32 files' worth (tens of ms).
 */
export const BATCH_FILES = 32;
/** Transcript bytes read per transaction at most (a few very large files commit sooner). */
const BATCH_BYTES = 4 * 1024 * 1024;

class SourceRun {
  readonly report: SourceHarvestReport;
  /** Files written since the open transaction began (their rows are written at once, committed together). */
  private pendingFiles = 0;
  private pendingBytes = 0;
  private pendingCounts = { created: 0, updated: 0, secrets: 0 };
  private inTransaction = false;
  /** One read buffer for every file of this run (files are read one at a time). */
  private chunk: Buffer | undefined;

  constructor(
    private readonly deps: HarvestDeps,
    private readonly options: HarvestOptions,
    private readonly adapter: SourceAdapter,
    private readonly heap: HarvestHeap,
  ) {
    this.report = emptySourceReport(adapter.name);
  }

  skip(reason: SkipReason, count = 1, detail?: string): void {
    this.report.skipped[reason] += count;
    // An unknown record's detail is its type: counted per type, so a new record kind has a name and a number.
    if (reason === 'unknown_record' && detail) {
      const type = detail.slice(0, 80);
      this.report.drift.unknownRecords[type] = (this.report.drift.unknownRecords[type] ?? 0) + count;
    }
  }

  async run(): Promise<void> {
    const started = this.deps.clock.now().getTime();
    const roots = [
      ...(this.options.useDefaultRoots === false ? [] : this.adapter.defaultRoots(this.deps.environment)),
      ...(this.options.extraRoots?.[this.adapter.name] ?? []),
    ];
    let files: string[];
    try {
      files = await this.adapter.discover([...new Set(roots)]);
    } catch (error) {
      this.deps.logger?.warn({ source: this.adapter.name, err: error }, 'discovery failed');
      this.skip(skipReasonForError(error));
      files = [];
    }
    if (this.options.files) files = files.filter((f) => this.options.files?.has(f));
    const checkpoints = loadCheckpoints(this.deps.db, this.adapter.name);
    try {
      await this.harvestFiles(files, checkpoints);
    } catch (error) {
      this.rollback();
      throw error;
    }
    this.flush();
    this.report.durationMs = this.deps.clock.now().getTime() - started;
  }

  private async harvestFiles(files: readonly string[], checkpoints: Map<string, FileCheckpoint>): Promise<void> {
    const project = this.options.project;
    let done = 0;
    for (const path of files) {
      if (this.options.signal?.aborted) break;
      done++;
      if (project && this.adapter.couldHoldProject && !this.adapter.couldHoldProject(path, project)) continue;
      this.report.filesSeen++;
      const read = this.report.filesRead;
      this.harvestFile(path, checkpoints.get(path));
      if (this.pendingFiles >= BATCH_FILES || this.pendingBytes >= BATCH_BYTES) this.flush();
      this.options.onProgress?.({ source: this.adapter.name, done, total: files.length, bytesRead: this.report.bytesRead });
      // Files are read synchronously (see readLines): let timers, signals and the daemon's other work run between them
      // (after each file read; an unchanged file costs one stat, so those yield in batches).
      if (this.report.filesRead !== read) this.heap.fileRead();
      if (this.report.filesRead !== read || done % 64 === 0) await yieldToEventLoop();
    }
  }

  private harvestFile(path: string, checkpoint: FileCheckpoint | undefined): void {
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch (error) {
      this.skip(skipReasonForError(error));
      return;
    }
    if (!stats.isFile()) {
      this.skip('not_a_session');
      return;
    }
    if (this.options.since && stats.mtimeMs < this.options.since.getTime()) return;
    if (checkpoint && isSameFile(checkpoint, stats) && checkpoint.size === stats.size && checkpoint.mtimeMs === stats.mtimeMs) {
      return; // unchanged since the last harvest: not even opened
    }
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      this.skip(skipReasonForError(error));
      return;
    }
    let result: FileResult | undefined;
    try {
      result = this.adapter.fileKind(path) === 'json' ? this.readDocument(path, fd, stats, checkpoint) : this.readJsonl(path, fd, stats, checkpoint);
    } catch (error) {
      // The old checkpoint stays: the next harvest retries from where the last good one stopped.
      this.deps.logger?.warn({ path, err: error }, 'transcript read failed');
      this.skip(skipReasonForError(error));
    } finally {
      try {
        closeSync(fd);
      } catch {
        // nothing was written through it; a failed close loses nothing
      }
    }
    if (result) {
      this.store(result);
      this.pendingFiles++;
      this.pendingBytes += Math.max(0, stats.size - (checkpoint?.offset ?? 0));
    }
  }

  private readJsonl(path: string, fd: number, stats: Stats, checkpoint: FileCheckpoint | undefined): FileResult {
    let start = 0;
    let saved: unknown;
    let skipping = false;
    if (checkpoint && isSameFile(checkpoint, stats) && stats.size >= checkpoint.offset) {
      if (fingerprintPrefix(fd, checkpoint.offset) === checkpoint.prefixHash) {
        const stored = loadParserState(this.deps.db, path);
        // The state refers to the session row for its digest; if another file has written that row since, read again.
        const attached = attachDigest(stored.parserState, (ref) => loadWrittenDigest(this.deps.db, ref.source, ref.sessionId, path));
        if (attached.ok) {
          start = checkpoint.offset;
          saved = attached.state;
          skipping = stored.skipping;
        }
      }
    }
    // A rewritten, truncated or replaced file is parsed again from its first byte with a fresh parser.
    const parser = this.adapter.openParser(path, saved);
    this.report.filesRead++;
    const chunkBytes = this.options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    if (!this.chunk || this.chunk.length < chunkBytes) this.chunk = Buffer.allocUnsafe(Math.max(1, chunkBytes));
    const result = readLines(fd, {
      start,
      end: stats.size,
      skipping,
      maxLineBytes: this.options.maxLineBytes ?? this.adapter.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      chunkBytes,
      buffer: this.chunk,
      onOversized: () => this.skip('oversized_line'),
      onLine: (bytes) => {
        if (looksBinary(bytes)) {
          this.skip('binary');
          return;
        }
        const line = bytes.toString('utf8');
        if (!line.trim()) return;
        const outcome = feedSafely(parser, line);
        if (!outcome.ok) this.skip(outcome.reason, 1, outcome.detail);
      },
    });
    this.report.bytesRead += result.bytesRead;
    if (result.partialBytes > 0) this.skip('partial_line');
    const digests = parser.digests();
    return {
      digests,
      checkpoint: {
        path,
        source: this.adapter.name,
        device: stats.dev,
        inode: stats.ino,
        size: stats.size,
        mtimeMs: stats.mtimeMs,
        offset: result.endOffset,
        // Before anything else reads into the chunk buffer: a file read in one chunk is fingerprinted without a read.
        prefixHash: fingerprintPrefix(fd, result.endOffset, result.window),
        // Each session is stored once: the state keeps a reference to its row, not a second copy of the digest.
        parserState: detachDigest(parser.saveState(), digests),
        skipping: result.skipping,
      },
    };
  }

  private readDocument(path: string, fd: number, stats: Stats, checkpoint: FileCheckpoint | undefined): FileResult {
    const base = { path, source: this.adapter.name, device: stats.dev, inode: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, offset: stats.size };
    const limit = this.options.maxDocumentBytes ?? 64 * 1024 * 1024;
    if (stats.size > limit) {
      this.skip('oversized_line');
      return { digests: [], checkpoint: { ...base, prefixHash: `oversized:${stats.size}` } };
    }
    const bytes = readFileSync(fd);
    this.report.filesRead++;
    this.report.bytesRead += bytes.length;
    const hash = sha256(bytes);
    if (checkpoint?.prefixHash === hash) return { digests: [], checkpoint: { ...base, prefixHash: hash } };
    if (looksBinary(bytes)) {
      this.skip('binary');
      return { digests: [], checkpoint: { ...base, prefixHash: hash } };
    }
    let parsed: ReturnType<SourceAdapter['parseDocument']>;
    try {
      parsed = this.adapter.parseDocument(path, bytes.toString('utf8'));
    } catch {
      parsed = { digests: [], skips: [{ reason: 'read_error' }] };
    }
    for (const skip of parsed.skips) this.skip(skip.reason, 1, skip.detail);
    return { digests: parsed.digests, checkpoint: { ...base, prefixHash: hash } };
  }

  /**
   * Write one file's digests and checkpoint at once, inside a transaction that stays open for a few files: rows are
   * not held in memory until a commit (holding them made the heap grow), and a crash still leaves each file's
   * digests and checkpoint both or neither, since both are in the same transaction.
   */
  private store(result: FileResult): void {
    const db = this.deps.db;
    const now = this.deps.clock.now().toISOString();
    const path = result.checkpoint.path;
    try {
      if (!this.inTransaction) {
        // IMMEDIATE: take the write lock at BEGIN, so a second writer waits out the busy timeout instead of failing mid-way.
        db.exec('BEGIN IMMEDIATE');
        this.inTransaction = true;
      }
      const redactor = createRedactor();
      for (const raw of result.digests) {
        const marked: SessionDigest = { ...raw, ownReplay: raw.ownReplay || isOwnReplayCwd(raw.project?.cwd) };
        // A session without a prompt is stored with the reason, never as a silent empty session.
        if (marked.prompts.length === 0 && !marked.emptyReason) marked.emptyReason = 'no_prompt_found';
        const { digest, secrets } = redactDigest(marked, redactor);
        this.pendingCounts.secrets += secrets;
        const outcome = upsertSession(db, digest, now, path);
        if (outcome === 'new') this.pendingCounts.created++;
        else if (outcome === 'updated') this.pendingCounts.updated++;
        addDigestToDrift(this.report.drift, { ...digest, unknownRecords: undefined });
      }
      // What is left of the parser state after its digest was detached (ids, recent keys) is redacted too.
      const parserState = result.checkpoint.parserState === undefined ? undefined : redactValue(result.checkpoint.parserState, redactor);
      saveCheckpoint(db, { ...result.checkpoint, parserState }, now);
    } catch (error) {
      this.rollback();
      throw storeError(error, `cannot store the harvest of ${path}`, 'the file is read again next time');
    }
  }

  /** Commit the open transaction and count what it stored. */
  private flush(): void {
    this.pendingFiles = 0;
    this.pendingBytes = 0;
    if (!this.inTransaction) return;
    try {
      this.deps.db.exec('COMMIT');
    } catch (error) {
      this.rollback();
      throw storeError(error, 'cannot commit the harvest', 'the files are read again next time');
    }
    this.inTransaction = false;
    this.report.sessionsNew += this.pendingCounts.created;
    this.report.sessionsUpdated += this.pendingCounts.updated;
    this.report.secretsRedacted += this.pendingCounts.secrets;
    this.pendingCounts = { created: 0, updated: 0, secrets: 0 };
  }

  /** Drop the open transaction (its files keep their old checkpoints and are read again next time). */
  private rollback(): void {
    if (this.inTransaction && this.deps.db.inTransaction) this.deps.db.exec('ROLLBACK');
    this.inTransaction = false;
    this.pendingFiles = 0;
    this.pendingBytes = 0;
    this.pendingCounts = { created: 0, updated: 0, secrets: 0 };
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A failed write as the person reads it: another writer (LOCKED), a read-only or full disk (named), else INTERNAL. */
function storeError(error: unknown, what: string, after: string): Error {
  if (isSqliteBusy(error)) {
    return new SkillOptError('LOCKED', `${what}: another process kept the state database busy for more than 5 s`, {
      hint: `another harvest, mine or night is writing (the daemon, or a second terminal); wait for it and run again; ${after}`,
      cause: error,
    });
  }
  const described = describeDbWriteError(error, 'sleep.db');
  if (described !== error) return described as Error;
  return new SkillOptError('INTERNAL', `${what} in the state database`, { hint: `check free disk space and that the state folder is writable; ${after}`, cause: error });
}

/** Sum per-source reports. */
export function totalReports(reports: readonly SourceHarvestReport[]): HarvestReport['totals'] {
  const { source: _source, ...totals } = emptySourceReport('claude-code');
  for (const r of reports) {
    totals.filesSeen += r.filesSeen;
    totals.filesRead += r.filesRead;
    totals.sessionsNew += r.sessionsNew;
    totals.sessionsUpdated += r.sessionsUpdated;
    totals.bytesRead += r.bytesRead;
    totals.secretsRedacted += r.secretsRedacted;
    totals.durationMs += r.durationMs;
    for (const reason of SKIP_REASONS) totals.skipped[reason] += r.skipped[reason];
    for (const key of ['versions', 'unknownRecords', 'emptySessions'] as const) {
      for (const [name, n] of Object.entries(r.drift[key])) totals.drift[key][name] = (totals.drift[key][name] ?? 0) + n;
    }
  }
  return totals;
}

/**
 * Harvest every given source incrementally: discover files, read only what changed since each file's
 * checkpoint, and store redacted digests with the new checkpoint. Bad input is counted, never thrown.
 */
export async function harvestSources(deps: HarvestDeps, options: HarvestOptions): Promise<HarvestReport> {
  const startedAt = deps.clock.now().toISOString();
  const reports: SourceHarvestReport[] = [];
  const pragmas = harvestPragmas(deps.db);
  const heap = holdHarvestHeap(options.heap ?? DEFAULT_HARVEST_HEAP);
  try {
    for (const adapter of options.sources) {
      if (options.signal?.aborted) break;
      const run = new SourceRun(deps, options, adapter, heap);
      await run.run();
      deps.logger?.info({ ...run.report }, 'harvested source');
      reports.push(run.report);
    }
  } finally {
    heap.release();
    pragmas.restore();
  }
  return { startedAt, sources: reports, totals: totalReports(reports) };
}

/**
 * SQLite page cache while harvesting, in KiB. better-sqlite3 builds SQLite with a 16 MB default, which a harvest fills
 * with pages it writes once and never reads again (it was 16 of a harvest's 95 MB peak); the lookups a harvest makes
 * (one session row and one checkpoint per file) touch a few index pages. Measured on 5,000 files: 16 MB -> 1 MB no
 * change in time; 1 MB -> 512 KB the same CPU within the noise (three paired runs), 0.5 MB less peak.
 */
const HARVEST_CACHE_KIB = 512;

/**
 * WAL pages a harvest lets gather before SQLite copies them into the database (its default is 1,000, 4 MB). A first
 * harvest of 217 MB wrote an 84 MB database in about 20 checkpoints, each of two fsyncs, and rewrote the index pages
 * and the tables' last leaves into the database at each; with 16,384 pages (64 MB) it checkpoints once or twice, then
 * once at the end: the median whole harvest went from 7.50 to 6.90 s (CPU 7.71 to 7.17 s; four paired runs on two
 * loaded cores), the same peak RSS (the WAL index grows by 32 KB per 4,096 pages).
 */
const HARVEST_WAL_PAGES = 16_384;

/**
 * The harvest's SQLite settings, applied for the time of one harvest and restored after it (the bench's parallel probe
 * applies them too).
 */
export function harvestPragmas(db: Db): { restore(): void } {
  let previous: { cache: unknown; wal: unknown } | undefined;
  try {
    previous = { cache: db.pragma('cache_size', { simple: true }), wal: db.pragma('wal_autocheckpoint', { simple: true }) };
    db.pragma(`cache_size = -${HARVEST_CACHE_KIB}`);
    db.pragma(`wal_autocheckpoint = ${HARVEST_WAL_PAGES}`);
  } catch {
    previous = undefined; // a closed or read-only handle: nothing to restore
  }
  return {
    restore() {
      if (!previous || typeof previous.cache !== 'number' || typeof previous.wal !== 'number') return;
      try {
        db.pragma(`cache_size = ${previous.cache}`);
        db.pragma(`wal_autocheckpoint = ${previous.wal}`);
        // Fold what the harvest left in the WAL into the database now, not at some later command's commit. PASSIVE: it
        // never waits for a reader in another process (that only makes it partial); the file is cut back to
        // journal_size_limit (db.ts) when the WAL next restarts.
        if (!db.inTransaction) db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // the handle was closed meanwhile, or another process holds the WAL: SQLite checkpoints on a later commit
      }
    },
  };
}
