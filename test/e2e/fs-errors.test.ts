import { describe, it, expect } from 'vitest';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir } from './helpers.js';

// File-system and concurrency errors a new user meets: each names the path (or the other writer) and the fix.
const persona = (f: string) => join(ROOT, 'fixtures', 'personas', 'analyst', f);
const isRoot = process.getuid?.() === 0;

describe('errors with a fix (spawned CLI)', () => {
  it('tasks export to a folder says a file path is needed', () => {
    const home = tempDir();
    mkdirSync(join(home, 'exports'));
    const r = runCli(['tasks', 'export', join(home, 'exports')], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(home, 'exports')} is a folder, but a file path is needed here`);
    expect(r.stderr).toContain(`fix: give a file path, e.g. ${join(home, 'exports', 'tasks.jsonl')}`);
    expect(r.stderr).not.toMatch(/EISDIR|\.tmp/);
  });

  it('train --out FILE is refused before any model call', () => {
    const home = tempDir();
    writeFileSync(join(home, 'out'), 'a file');
    const r = runCli(['train', '--tasks', persona('tasks.jsonl'), '--skill', persona('skill.md'), '--out', join(home, 'out')], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(home, 'out')} (or a folder above it) is a file, but the output folder must be a folder`);
    expect(r.stderr).toContain('give a folder path to --out');
    expect(r.stderr).not.toMatch(/EEXIST/);
  });

  it('a second writer is told plainly that another harvest runs, with its pid', () => {
    const home = tempDir();
    mkdirSync(join(home, 'state'), { recursive: true });
    // This test process is alive: its pid in the lock is a harvest still running.
    writeFileSync(join(home, 'state', 'write.lock'), JSON.stringify({ pid: process.pid, command: 'harvest', startedAt: '2026-01-01T03:00:00.000Z' }));
    for (const command of ['harvest', 'mine']) {
      const r = runCli([command], { home });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`another harvest is writing to the state folder (pid ${process.pid}, since 2026-01-01T03:00:00.000Z), so this ${command} did not start`);
      expect(r.stderr).toContain(`kill ${process.pid}`);
    }
  });

  it('tightens an existing state folder to 0700', () => {
    const home = tempDir();
    mkdirSync(join(home, 'state'), { mode: 0o755 });
    chmodSync(join(home, 'state'), 0o755);
    const r = runCli(['harvest', '--json'], { home });
    expect(r.code).toBe(0);
    expect(statSync(join(home, 'state')).mode & 0o777).toBe(0o700);
  });

  it('read-only commands work on a state folder without a database, and create nothing', () => {
    const home = tempDir();
    const r = runCli(['sessions', 'list', '--json'], { home });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('suggests the option meant by a typo instead of complaining about a required one', () => {
    const r = runCli(['train', '--taks', 'x', '--skill', 'y']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown option '--taks'");
    expect(r.stderr).toContain('Did you mean --tasks?');
  });

  it.skipIf(isRoot)('a read-only HOME names the folder and --home; a read-only sleep.db still lists sessions', () => {
    const home = tempDir();
    const ro = join(home, 'ro');
    mkdirSync(ro, { mode: 0o500 });
    const r = runCli(['harvest'], { home, env: { SKILLOPT_SLEEP_HOME: join(ro, 'state') } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no permission to write the state folder ${join(ro, 'state')}`);
    expect(r.stderr).toContain('--home');
    expect(runCli(['harvest'], { home }).code).toBe(0);
    chmodSync(join(home, 'state', 'sleep.db'), 0o400);
    const list = runCli(['sessions', 'list', '--json'], { home });
    expect(list.code).toBe(0);
    const write = runCli(['harvest'], { home });
    expect(write.code).toBe(2);
    expect(write.stderr).toContain('is read-only, and this command writes to it');
  });
});
