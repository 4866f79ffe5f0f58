import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statePaths, type StatePaths } from '../core/paths.js';
import { openDatabase } from '../store/db.js';
import { probeSocket } from './daemon-probe.js';
import { createStandaloneSleepApi, readStatus } from './standalone-api.js';
import type { CliRunner } from './cli-runner.js';

let home: string;
let paths: StatePaths;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'standalone-api-'));
  paths = statePaths(join(home, 'state'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function deps(runCli: CliRunner = async () => ({})) {
  return { paths, databaseExists: () => existsSync(paths.db), openDb: () => openDatabase(paths.db), probeDaemon: () => probeSocket(paths.controlSocket, 200), runCli };
}

function seed(): void {
  const db = openDatabase(paths.db);
  const session = db.prepare(`INSERT INTO sessions (source, session_id, digest_json, own_replay, harvested_at, updated_at) VALUES (?, ?, '{}', ?, ?, ?)`);
  session.run('claude-code', 's1', 0, '2026-11-20T08:00:00Z', '2026-11-20T08:00:00Z');
  session.run('claude-code', 's2', 0, '2026-11-20T09:00:00Z', '2026-11-21T09:00:00Z');
  session.run('codex', 's3', 0, '2026-11-19T09:00:00Z', '2026-11-19T09:00:00Z');
  session.run('claude-code', 'replay', 1, '2026-11-22T09:00:00Z', '2026-11-22T09:00:00Z');
  const task = db.prepare(`INSERT INTO tasks (id, prompt, judge_json, split, status, reviewed, content_hash, created_at, updated_at) VALUES (?, 'p', '{}', ?, ?, ?, 'h', 't', 't')`);
  [['t1', 'train', 'active', 1], ['t2', 'train', 'active', 0], ['t3', 'val', 'active', 0], ['t4', 'test', 'active', 1], ['t5', null, 'active', 0], ['t6', 'val', 'excluded', 0]].forEach((row) => task.run(...row));
  db.prepare(`INSERT INTO nights (started_at, finished_at, status, trigger) VALUES (?, ?, ?, ?)`).run('2026-11-20T03:00:00Z', '2026-11-20T03:20:00Z', 'completed', 'schedule');
  db.prepare(`INSERT INTO nights (started_at, status, trigger) VALUES (?, ?, ?)`).run('2026-11-21T03:00:00Z', 'failed', 'manual');
  db.close();
}

describe('readStatus', () => {
  it('reports an empty state without creating the database', async () => {
    const status = await readStatus(deps());
    expect(status).toEqual({
      stateDir: paths.home,
      database: { path: paths.db, exists: false },
      daemon: { socket: paths.controlSocket, running: false },
      sessions: { total: 0, bySource: {}, lastHarvestedAt: null },
      replaySet: { active: 0, excluded: 0, reviewed: 0, bySplit: { train: 0, val: 0, test: 0, unassigned: 0 } },
      lastNight: null,
      pendingProposals: [],
    });
    expect(existsSync(paths.db)).toBe(false);
  });

  it('counts sessions per source (own replays left out), the replay set by split, and the latest night', async () => {
    seed();
    const status = await readStatus(deps());
    expect(status.sessions).toEqual({ total: 3, bySource: { 'claude-code': 2, codex: 1 }, lastHarvestedAt: '2026-11-21T09:00:00Z' });
    expect(status.replaySet).toEqual({ active: 5, excluded: 1, reviewed: 2, bySplit: { train: 2, val: 1, test: 1, unassigned: 1 } });
    expect(status.lastNight).toEqual({ id: 2, status: 'failed', trigger: 'manual', startedAt: '2026-11-21T03:00:00Z', finishedAt: null });
  });

  it('sees the daemon when something listens on control.sock', async () => {
    openDatabase(paths.db).close();
    const server: Server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(paths.controlSocket, resolve));
    try {
      expect((await readStatus(deps())).daemon.running).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('carries the service the composition root reports, as `status` shows it', async () => {
    const service = { installed: false, running: true, pid: 77, nextNight: { at: '2026-11-23T03:00:00.000Z', date: '2026-11-23', trigger: 'schedule' }, detail: 'not installed; daemon pid 77' };
    expect((await readStatus({ ...deps(), serviceStatus: () => Promise.resolve(service) })).service).toEqual(service);
    expect((await readStatus(deps())).service).toBeUndefined();
  });
});

describe('createStandaloneSleepApi', () => {
  it('runs each other tool as its CLI command with --json and returns the data', async () => {
    const seen: string[][] = [];
    const api = createStandaloneSleepApi(deps(async (argv) => {
      seen.push([...argv]);
      return { argv };
    }));
    const result = await api.adopt({ night: 2, skill: 'commit-style' }, {});
    await api.run({ now: true, dryRun: false }, {});
    await api.rollback({ skill: 'commit-style', to: 1 }, {});
    await api.history({ skill: 'commit-style' }, {});
    await api.reject({ all: true }, {});
    await api.report({ open: true }, {});
    expect(result).toEqual({ command: 'adopt --night 2 --skill commit-style', data: { argv: ['adopt', '--night', '2', '--skill', 'commit-style', '--json'] } });
    expect(seen.slice(1)).toEqual([
      ['run', '--now', '--json'],
      ['rollback', 'commit-style', '--to', '1', '--json'],
      ['history', 'commit-style', '--json'],
      ['reject', '--all', '--json'],
      ['report', '--open', '--json'],
    ]);
  });
});
