import type { Db } from './db.js';

/** Harvested sessions per source (our own replays left out), with the latest harvest time. */
export interface SessionCounts {
  total: number;
  bySource: Record<string, number>;
  lastHarvestedAt: string | null;
}

/** The replay set's size: active tasks per split (`unassigned` until splits are dealt), and excluded tasks. */
export interface ReplaySetCounts {
  active: number;
  excluded: number;
  bySplit: { train: number; val: number; test: number; unassigned: number };
  reviewed: number;
}

/** The latest night the store knows of. */
export interface NightSummary {
  id: number;
  status: string;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
}

/** Count harvested sessions by source. */
export function countSessions(db: Db): SessionCounts {
  const rows = db.prepare('SELECT source, COUNT(*) AS n, MAX(updated_at) AS last FROM sessions WHERE own_replay = 0 GROUP BY source ORDER BY source').all() as Array<{ source: string; n: number; last: string | null }>;
  const bySource: Record<string, number> = {};
  let last: string | null = null;
  for (const row of rows) {
    bySource[row.source] = row.n;
    if (row.last !== null && (last === null || row.last > last)) last = row.last;
  }
  return { total: rows.reduce((sum, r) => sum + r.n, 0), bySource, lastHarvestedAt: last };
}

/** Count the replay set by status and split. */
export function countReplaySet(db: Db): ReplaySetCounts {
  const rows = db.prepare('SELECT status, split, COUNT(*) AS n, SUM(reviewed) AS reviewed FROM tasks GROUP BY status, split').all() as Array<{ status: 'active' | 'excluded'; split: 'train' | 'val' | 'test' | null; n: number; reviewed: number | null }>;
  const counts: ReplaySetCounts = { active: 0, excluded: 0, bySplit: { train: 0, val: 0, test: 0, unassigned: 0 }, reviewed: 0 };
  for (const row of rows) {
    if (row.status === 'excluded') {
      counts.excluded += row.n;
      continue;
    }
    counts.active += row.n;
    counts.reviewed += row.reviewed ?? 0;
    counts.bySplit[row.split ?? 'unassigned'] += row.n;
  }
  return counts;
}

/** The most recently started night, or null before the first one. */
export function latestNight(db: Db): NightSummary | null {
  const row = db.prepare('SELECT id, status, trigger, started_at, finished_at FROM nights ORDER BY started_at DESC, id DESC LIMIT 1').get() as
    | { id: number; status: string; trigger: string; started_at: string; finished_at: string | null }
    | undefined;
  return row ? { id: row.id, status: row.status, trigger: row.trigger, startedAt: row.started_at, finishedAt: row.finished_at } : null;
}
