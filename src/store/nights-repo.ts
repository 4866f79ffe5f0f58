import type { Db } from './db.js';

/** A night as stored. */
export interface NightRecord {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'completed' | 'failed' | 'budget_exhausted' | 'interrupted';
  trigger: string;
  dryRun: boolean;
  reportDir: string | null;
  summary: unknown;
  error: string | null;
}

interface Row {
  id: number;
  started_at: string;
  finished_at: string | null;
  status: NightRecord['status'];
  trigger: string;
  dry_run: number;
  report_dir: string | null;
  summary_json: string | null;
  error: string | null;
}

const toRecord = (r: Row): NightRecord => ({
  id: r.id,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  status: r.status,
  trigger: r.trigger,
  dryRun: r.dry_run === 1,
  reportDir: r.report_dir,
  summary: r.summary_json ? (JSON.parse(r.summary_json) as unknown) : null,
  error: r.error,
});

/** Who holds the night lock. */
export interface LockHolder {
  pid: number;
  host: string;
  nightId: number | null;
  holder: string;
  acquiredAt: string;
}

/**
 * Take the one-night lock and open a night, in one IMMEDIATE transaction so two processes cannot both win.
 * A holder whose process is gone (isAlive false) is recovered: its night is marked interrupted.
 */
export function acquireNightLock(
  db: Db,
  me: { pid: number; host: string; holder: string; trigger: string; dryRun: boolean; config: unknown },
  isAlive: (pid: number, host: string) => boolean,
  now: string,
): { ok: true; nightId: number; recovered: LockHolder | null } | { ok: false; heldBy: LockHolder } {
  const tx = db.transaction(() => {
    const held = db.prepare('SELECT pid, host, night_id AS nightId, holder, acquired_at AS acquiredAt FROM night_lock WHERE id = 1').get() as LockHolder | undefined;
    let recovered: LockHolder | null = null;
    if (held) {
      if (isAlive(held.pid, held.host)) return { ok: false as const, heldBy: held };
      recovered = held;
      db.prepare('DELETE FROM night_lock WHERE id = 1').run();
    }
    // Nights left running by a process that died (kill -9, power loss) are closed, so status tells the truth.
    db.prepare("UPDATE nights SET status = 'interrupted', finished_at = COALESCE(finished_at, ?), error = COALESCE(error, 'the process running this night stopped before it finished') WHERE status = 'running'").run(now);
    const nightId = Number(
      db.prepare("INSERT INTO nights (started_at, status, trigger, config_json, dry_run, pid) VALUES (?, 'running', ?, ?, ?, ?)").run(now, me.trigger, JSON.stringify(me.config ?? {}), me.dryRun ? 1 : 0, me.pid).lastInsertRowid,
    );
    db.prepare('INSERT INTO night_lock (id, pid, host, night_id, holder, acquired_at) VALUES (1, ?, ?, ?, ?, ?)').run(me.pid, me.host, nightId, me.holder, now);
    return { ok: true as const, nightId, recovered };
  });
  return tx.immediate();
}

/** Release the lock if this night still holds it. */
export function releaseNightLock(db: Db, nightId: number): void {
  db.prepare('DELETE FROM night_lock WHERE id = 1 AND night_id = ?').run(nightId);
}

/** The current lock holder, if any. */
export function readNightLock(db: Db): LockHolder | undefined {
  return db.prepare('SELECT pid, host, night_id AS nightId, holder, acquired_at AS acquiredAt FROM night_lock WHERE id = 1').get() as LockHolder | undefined;
}

/** Close a night with its outcome. */
export function finishNight(db: Db, nightId: number, end: { status: Exclude<NightRecord['status'], 'running'>; summary: unknown; reportDir: string | null; error?: string | null }, now: string): void {
  db.prepare('UPDATE nights SET status = ?, finished_at = ?, summary_json = ?, report_dir = ?, error = ? WHERE id = ?').run(end.status, now, JSON.stringify(end.summary), end.reportDir, end.error ?? null, nightId);
}

/**
 * The last night that counts as the night of its date for the schedule: a real night (not a dry run) that ran to
 * an end (completed, failed, out of budget). An interrupted or still running night does not: it is run again.
 */
export function lastCountedNight(db: Db): { startedAt: string; finishedAt: string | null } | undefined {
  const row = db
    .prepare("SELECT started_at, finished_at FROM nights WHERE status IN ('completed', 'failed', 'budget_exhausted') AND dry_run = 0 ORDER BY started_at DESC, id DESC LIMIT 1")
    .get() as { started_at: string; finished_at: string | null } | undefined;
  return row ? { startedAt: row.started_at, finishedAt: row.finished_at } : undefined;
}

/** A night by id. */
export function getNight(db: Db, id: number): NightRecord | undefined {
  const row = db.prepare('SELECT * FROM nights WHERE id = ?').get(id) as Row | undefined;
  return row ? toRecord(row) : undefined;
}

/** Nights, newest first. */
export function listNights(db: Db, limit = 100): NightRecord[] {
  return (db.prepare('SELECT * FROM nights ORDER BY id DESC LIMIT ?').all(limit) as Row[]).map(toRecord);
}

/** The newest night that wrote a report (not a dry run unless asked). */
export function latestReportedNight(db: Db): NightRecord | undefined {
  const row = db.prepare("SELECT * FROM nights WHERE report_dir IS NOT NULL ORDER BY id DESC LIMIT 1").get() as Row | undefined;
  return row ? toRecord(row) : undefined;
}

/** Held-out test scores of a skill's night runs (before -> after), oldest night first. */
export function nightScoreHistory(db: Db, skillName: string): Array<{ night: number; before: number | null; after: number | null }> {
  return db
    .prepare("SELECT night_id AS night, baseline_test AS before, final_test AS after FROM runs WHERE kind = 'night' AND skill_name = ? AND night_id IS NOT NULL ORDER BY night_id, id")
    .all(skillName) as Array<{ night: number; before: number | null; after: number | null }>;
}
