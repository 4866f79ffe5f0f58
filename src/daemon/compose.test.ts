import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { statePaths } from '../core/paths.js';
import { parseConfig } from '../config/config.js';
import { getNight, readNightLock } from '../store/nights-repo.js';
import { takeNightLock } from '../night/lock.js';
import { personaHome } from '../../test/helpers/persona-home.js';
import { composeNightRunner, lazyDb, type DaemonParts } from './compose.js';
import { readLastNight } from './services.js';

function partsFor(home: string, isAlive: (pid: number) => boolean = () => false): DaemonParts {
  const parsed = parseConfig({ trainer: { epochs: 1 } });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const config = parsed.config;
  return {
    environment: { env: {}, platform: 'linux', homeDir: home },
    clock: fixedClock('2026-02-14T03:00:00Z'),
    paths: statePaths(join(home, 'state')),
    config: () => config,
    tmpDir: tmpdir(),
    cwd: home,
    processInfo: { pid: 4242, host: 'test', isAlive: (pid) => isAlive(pid) },
  };
}

describe('the daemon runs the real night', () => {
  it('harvests, mines, plans each skill and writes the report; the lock is the store row, released at the end', async () => {
    const home = personaHome(mkdtempSync(join(tmpdir(), 'sos-cn-')));
    const parts = partsFor(home);
    const db = lazyDb(parts.paths.db);
    try {
      const outcome = await composeNightRunner(parts, db.open, silentLogger)({ reason: 'schedule', signal: new AbortController().signal });
      expect(outcome).toMatchObject({ night: 1, status: 'completed', outcome: 'completed', dryRun: false });
      const files = outcome.files as { md: string; json: string; html: string };
      for (const f of [files.md, files.json, files.html]) expect(existsSync(f)).toBe(true);
      // The report the night wrote is the one the outcome names; every target skill has its section.
      expect(JSON.parse(readFileSync(files.json, 'utf8'))).toMatchObject({ night: 1, status: 'completed', trigger: 'schedule', harvest: { sessions: 16 } });
      expect(outcome.skills).toContainEqual(expect.objectContaining({ name: 'skillopt-sleep-learned' }));
      expect(getNight(db.open(), 1)).toMatchObject({ status: 'completed', trigger: 'schedule', dryRun: false });
      expect(readNightLock(db.open())).toBeUndefined();
      expect(readLastNight(db.open())).toMatchObject({ startedAt: '2026-02-14T03:00:00.000Z' });
    } finally {
      db.close();
    }
  }, 120_000);

  it('refuses while a live process holds the lock; recovers the lock of a dead one and marks its night interrupted', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sos-cn-'));
    let alive = true;
    const parts = partsFor(home, () => alive);
    const db = lazyDb(parts.paths.db);
    try {
      // Another process (pid 777) holds the lock: its night is 1.
      takeNightLock(db.open(), { pid: 777, host: 'test', isAlive: () => true }, { holder: 'cli', trigger: 'now', dryRun: false, config: {} }, '2026-02-14T02:00:00Z');
      const run = composeNightRunner(parts, db.open, silentLogger);
      await expect(run({ reason: 'run-now', signal: new AbortController().signal })).rejects.toThrow(/night 1 is already running \(cli, pid 777/);
      alive = false; // it died (kill -9): the next night takes the lock over
      const outcome = await run({ reason: 'catch-up', signal: new AbortController().signal });
      expect(outcome).toMatchObject({ night: 2, status: 'completed' });
      expect(getNight(db.open(), 1)).toMatchObject({ status: 'interrupted' });
      expect(readNightLock(db.open())).toBeUndefined();
    } finally {
      db.close();
    }
  }, 60_000);

  it('an aborted night is interrupted, and neither it nor a dry run counts as the night of its date', async () => {
    const home = personaHome(mkdtempSync(join(tmpdir(), 'sos-cn-')));
    const parts = partsFor(home);
    const db = lazyDb(parts.paths.db);
    try {
      const controller = new AbortController();
      controller.abort();
      const outcome = await composeNightRunner(parts, db.open, silentLogger)({ reason: 'schedule', signal: controller.signal });
      expect(outcome).toMatchObject({ night: 1, status: 'interrupted' });
      expect(readLastNight(db.open())).toBeNull();
      db.open().prepare("INSERT INTO nights (started_at, finished_at, status, trigger, dry_run) VALUES ('2026-02-14T04:00:00Z', '2026-02-14T04:10:00Z', 'completed', 'now', 1)").run();
      expect(readLastNight(db.open())).toBeNull();
      db.open().prepare("INSERT INTO nights (started_at, finished_at, status, trigger, dry_run) VALUES ('2026-02-13T03:00:00Z', '2026-02-13T03:10:00Z', 'failed', 'schedule', 0)").run();
      expect(readLastNight(db.open())).toEqual({ startedAt: '2026-02-13T03:00:00Z', finishedAt: '2026-02-13T03:10:00Z' });
    } finally {
      db.close();
    }
  }, 60_000);
});

