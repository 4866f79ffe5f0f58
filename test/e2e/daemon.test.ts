import { describe, it, expect, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { CLI, runCli, tempDir } from './helpers.js';
import type { DaemonStatus } from '../../src/daemon/daemon.js';
import { daemonStatus, harvestedPrompts, killDaemons, startDaemon as startSpawnedDaemon, waitFor } from '../helpers/daemon.js';
import { appendPrompt, writeClaudeSession } from '../helpers/claude-transcripts.js';

afterEach(killDaemons);

function envFor(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: home, TZ: 'UTC', SKILLOPT_SLEEP_HOME: join(home, 'state') };
}

function writeConfig(home: string, daemon: unknown): void {
  mkdirSync(join(home, 'state'), { recursive: true, mode: 0o700 });
  // The real night trains with the simulated backends; one epoch keeps it short.
  writeFileSync(join(home, 'state', 'config.json'), JSON.stringify({ harvest: { sources: ['claude-code', 'codex'] }, trainer: { epochs: 1 }, daemon }));
}

const startDaemon = (home: string) => startSpawnedDaemon(home, envFor(home));

// Mining a large set holds the daemon's event loop for a few seconds: give it time to answer.
const statusIfAnswered = (home: string) => daemonStatus(join(home, 'state', 'control.sock'), 20_000);

async function status(home: string): Promise<DaemonStatus> {
  const s = await statusIfAnswered(home);
  if (!s) throw new Error('no status');
  return s;
}

const prompts = harvestedPrompts;

function nights(home: string): Array<{ id: number; status: string; trigger: string }> {
  const db = new Database(join(home, 'state', 'sleep.db'), { readonly: true });
  try {
    return db.prepare('SELECT id, status, trigger FROM nights ORDER BY id').all() as Array<{ id: number; status: string; trigger: string }>;
  } finally {
    db.close();
  }
}

/** Who holds the night lock (the `night_lock` row of the store), if anyone. */
function lockRow(home: string): { pid: number; holder: string; night_id: number } | undefined {
  const path = join(home, 'state', 'sleep.db');
  if (!existsSync(path)) return undefined;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT pid, holder, night_id FROM night_lock WHERE id = 1').get() as { pid: number; holder: string; night_id: number } | undefined;
  } catch {
    return undefined; // not migrated yet
  } finally {
    db.close();
  }
}

/**
 * Enough transcript (1,200 prompts, 5 MB) for a night to take seconds, so a second run-now, a kill or a SIGTERM
 * meets it in flight: about 3 s of CPU on this 2-core machine (twice the files took 5 s and added no coverage).
 */
const CORPUS_FILES = 60;
function bigCorpus(home: string): void {
  for (let i = 0; i < CORPUS_FILES; i++) writeClaudeSession(home, 1000 + i, { turns: 20, answerBytes: 4000 });
}

describe('skillopt-sleep daemon as a child process (temp HOME)', () => {
  it('harvests a new transcript, an append, and a root that appears later within seconds', async () => {
    const home = tempDir();
    writeConfig(home, { catchUp: { enabled: false }, watch: { debounceMs: 200 } });
    writeClaudeSession(home, 1);
    await startDaemon(home);
    await waitFor('the start-up harvest', () => prompts(home).some((p) => p.includes('case 1.0')));
    const t0 = performance.now();
    const path = writeClaudeSession(home, 2);
    await waitFor('the new session', () => prompts(home).some((p) => p.includes('case 2.1')));
    appendPrompt(path, 2, 'appended-1', 'now write the commit message in the imperative mood');
    await waitFor('the appended prompt', () => prompts(home).includes('now write the commit message in the imperative mood'));
    expect(performance.now() - t0).toBeLessThan(15_000);
    // Codex's folder does not exist yet: its parent is watched, and the root is picked up when it appears.
    expect((await status(home)).watch.waitingFor.map((w: { root: string }) => w.root)).toContain(join(home, '.codex', 'sessions'));
    const codex = join(home, '.codex', 'sessions', '2026', '03', '01');
    mkdirSync(codex, { recursive: true });
    const ts = '2026-03-01T10:00:00.000Z';
    const rollout = [
      { timestamp: ts, type: 'session_meta', payload: { id: '019d0000-0000-7000-8000-000000000001', timestamp: ts, cwd: '/home/dev/api', originator: 'codex_cli_rs', cli_version: '0.100.0' } },
      { timestamp: ts, type: 'turn_context', payload: { turn_id: 't1', cwd: '/home/dev/api', model: 'gpt-5.3-codex' } },
      { timestamp: ts, type: 'event_msg', payload: { type: 'user_message', message: 'rename the handler to createOrder', images: [] } },
      { timestamp: ts, type: 'event_msg', payload: { type: 'agent_message', message: 'done' } },
    ];
    writeFileSync(join(codex, 'rollout-2026-03-01T10-00-00-019d0000-0000-7000-8000-000000000001.jsonl'), `${rollout.map((r) => JSON.stringify(r)).join('\n')}\n`);
    await waitFor('the codex session', () => prompts(home).includes('rename the handler to createOrder'));
  });

  it('runs a night through the socket; two simultaneous run-now give one night', { timeout: 120_000 }, async () => {
    const home = tempDir();
    writeConfig(home, { catchUp: { enabled: false }, watch: { enabled: false } });
    bigCorpus(home);
    await startDaemon(home);
    const run = () => new Promise<{ code: number | null; out: string }>((resolve) => {
      const c = spawn(process.execPath, [CLI, 'service', 'run-now', '--json'], { cwd: home, env: envFor(home) });
      let out = '';
      c.stdout.on('data', (d: Buffer) => (out += d.toString()));
      c.once('exit', (code) => resolve({ code, out }));
    });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const ra = JSON.parse(a.out);
    const rb = JSON.parse(b.out);
    expect(ra.via).toBe('daemon');
    expect(ra.night).toBe(rb.night);
    expect([ra.joined, rb.joined].sort()).toEqual([false, true]);
    expect(nights(home)).toEqual([{ id: ra.night, status: 'completed', trigger: 'run-now' }]);
    expect(prompts(home).length).toBe(CORPUS_FILES * 20);
    // The real night: its report is written where the answer says, and the lock is released.
    expect(ra.status).toBe('completed');
    for (const f of [ra.files.md, ra.files.json, ra.files.html]) expect(existsSync(f)).toBe(true);
    expect(ra.files.json).toBe(join(home, 'state', 'nights', String(ra.night), 'report.json'));
    expect(JSON.parse(readFileSync(ra.files.json, 'utf8'))).toMatchObject({ night: ra.night, status: 'completed', trigger: 'run-now' });
    expect(lockRow(home)).toBeUndefined();

    // `run --now` asks the daemon too, and prints the same report a standalone night would.
    const viaRun = runCli(['run', '--now', '--json'], { home, env: envFor(home) });
    expect(viaRun.code, viaRun.stderr).toBe(0);
    const rr = JSON.parse(viaRun.stdout);
    expect(rr).toMatchObject({ via: 'daemon', joined: false, night: ra.night + 1, status: 'completed', trigger: 'run-now', files: { json: join(home, 'state', 'nights', String(ra.night + 1), 'report.json') } });
    expect(viaRun.stderr).toMatch(new RegExp(`night ${ra.night + 1} run by the daemon`));
    const text = runCli(['run', '--now'], { home, env: envFor(home) });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^night ${ra.night + 2}: completed`, 'm'));
    // A dry run is the CLI's own: it runs here, next to the idle daemon.
    const dry = JSON.parse(runCli(['run', '--now', '--dry-run', '--json'], { home, env: envFor(home) }).stdout);
    expect(dry).toMatchObject({ via: 'standalone', night: ra.night + 3, dryRun: true });
    expect(nights(home).map((n) => n.trigger)).toEqual(['run-now', 'run-now', 'run-now', 'now']);
  });

  it('kill -9 mid-night, then restart: the stale socket and the night_lock row are recovered, nothing is torn', { timeout: 120_000 }, async () => {
    const home = tempDir();
    // Catch-up on: the first start runs the (missed) night at once.
    writeConfig(home, { watch: { enabled: false } });
    bigCorpus(home);
    const first = await startDaemon(home);
    // A probe that finds the daemon too busy to answer (a loaded machine) waits on, rather than failing the test.
    await waitFor('the night to run', async () => (await statusIfAnswered(home))?.night.running && lockRow(home)?.holder === 'daemon');
    await sleep(300);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(join(home, 'state', 'control.sock'))).toBe(true); // left by the dead daemon
    expect(nights(home).map((n) => n.status)).toEqual(['running']);
    expect(lockRow(home)).toMatchObject({ pid: first.child.pid, holder: 'daemon', night_id: 1 }); // left by the dead daemon

    await startDaemon(home);
    const done = await waitFor('the catch-up night', async () => {
      const s = await statusIfAnswered(home);
      return s && !s.night.running && s.lastNight ? s : undefined;
    }, 60_000);
    expect(done.lastResult?.outcome).toMatchObject({ night: 2, status: 'completed' });
    expect(nights(home).map((n) => n.status)).toEqual(['interrupted', 'completed']);
    const report = JSON.parse(readFileSync(join(home, 'state', 'nights', '2', 'report.json'), 'utf8')) as { warnings: string[] };
    expect(report.warnings.join('\n')).toMatch(/recovered the lock of night 1 \(pid \d+ is gone\)/);
    const db = new Database(join(home, 'state', 'sleep.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((db.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n).toBe(CORPUS_FILES);
    db.close();
    expect(lockRow(home)).toBeUndefined();
    expect(readFileSync(join(home, 'state', 'logs', 'daemon.log'), 'utf8')).toMatch(/removed a control socket left by a dead daemon/);
  });

  it('SIGTERM stops cleanly within the deadline: the night in flight is interrupted, socket and pid file removed', { timeout: 60_000 }, async () => {
    const home = tempDir();
    writeConfig(home, { catchUp: { enabled: false }, watch: { enabled: false }, shutdownSeconds: 10 });
    bigCorpus(home);
    const d = await startDaemon(home);
    const started = runCli(['service', 'run-now', '--no-wait', '--json'], { home, env: envFor(home) });
    expect(JSON.parse(started.stdout)).toMatchObject({ via: 'daemon', started: true });
    await waitFor('the night lock', () => lockRow(home)?.holder === 'daemon');
    const t0 = performance.now();
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(existsSync(join(home, 'state', 'control.sock'))).toBe(false);
    expect(existsSync(join(home, 'state', 'daemon.pid'))).toBe(false);
    expect(lockRow(home)).toBeUndefined();
    expect(nights(home).map((n) => n.status)).toEqual(['interrupted']);
    // Stopped mid-night: the database is whole.
    const db = new Database(join(home, 'state', 'sleep.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const log = readFileSync(join(home, 'state', 'logs', 'daemon.log'), 'utf8');
    expect(log).toMatch(/"msg":"daemon stopped"/);
    const logs = runCli(['logs', '-n', '2'], { home, env: envFor(home) });
    expect(logs.stdout).toMatch(/^\S+Z info {2}daemon stopped code=0$/m);
  });

  it('a second daemon gets a clear message; a bad config stops the daemon with the key named', { timeout: 60_000 }, async () => {
    const home = tempDir();
    writeConfig(home, { catchUp: { enabled: false }, watch: { enabled: false } });
    const d = await startDaemon(home);
    const second = runCli(['daemon'], { home, env: envFor(home) });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`already running \\(pid ${d.child.pid}\\)`));
    const answered = await status(home);
    expect(answered.pid).toBe(d.child.pid);
    // `status` shows the service: the daemon answering its socket, and the next night it will run.
    const st = runCli(['status', '--json'], { home, env: envFor(home) });
    expect(st.code, st.stderr).toBe(0);
    const sj = JSON.parse(st.stdout);
    expect(sj.service).toMatchObject({ installed: false, running: true, pid: d.child.pid, nextNight: answered.nextNight });
    expect(sj.nextNight).toMatchObject({ at: answered.nextNight.at, date: answered.nextNight.date });
    expect(runCli(['status'], { home, env: envFor(home) }).stdout).toMatch(new RegExp(`^service: installed no, running yes \\(pid ${d.child.pid}\\) · not installed .*; daemon pid ${d.child.pid}; nights at 03:00 UTC$`, 'm'));

    const bad = tempDir();
    writeConfig(bad, { schedule: { at: '3am', timezone: 'Nowhere/Special' } });
    const r = runCli(['daemon'], { home: bad, env: envFor(bad) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/daemon\.schedule\.at: expected a time HH:MM/);
    expect(r.stderr).toMatch(/daemon\.schedule\.timezone: unknown time zone/);
  });

  it('service commands work standalone when no daemon is up', { timeout: 60_000 }, () => {
    const home = tempDir();
    writeConfig(home, {});
    writeClaudeSession(home, 7);
    const s = runCli(['service', 'status', '--json'], { home, env: envFor(home) });
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout)).toMatchObject({ daemon: { running: false }, service: { manager: 'systemd', installed: false }, schedule: { at: '03:00', timeZone: 'UTC' } });
    const run = runCli(['service', 'run-now', '--json'], { home, env: envFor(home) });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ via: 'standalone', night: 1 });
    const cliRun = runCli(['run', '--now', '--json'], { home, env: envFor(home) });
    expect(cliRun.code, cliRun.stderr).toBe(0);
    expect(JSON.parse(cliRun.stdout)).toMatchObject({ via: 'standalone', night: 2, trigger: 'now' });
    const after = JSON.parse(runCli(['service', 'status', '--json'], { home, env: envFor(home) }).stdout);
    expect(after.lastNight).not.toBeNull();
    expect(after.nextNight.trigger).toBe('schedule');
    // `status` has the same next night, computed from the schedule while no daemon runs.
    const st = JSON.parse(runCli(['status', '--json'], { home, env: envFor(home) }).stdout);
    expect(st.service).toMatchObject({ installed: false, running: false, pid: null, nextNight: after.nextNight });
    expect(st.nextNight).toMatchObject({ at: after.nextNight.at, trigger: 'schedule' });
    expect(st.nextNight.detail).toMatch(/when the daemon runs: `skillopt-sleep install`/);
    const reload = runCli(['service', 'reload'], { home, env: envFor(home) });
    expect(reload.code).toBe(1);
    expect(reload.stderr).toMatch(/no daemon is running/);
    expect(runCli(['service', 'stop'], { home, env: envFor(home) }).stdout).toMatch(/no daemon is running/);
  });
});
