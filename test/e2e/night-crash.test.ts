import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { CLI, runCli, tempDir } from './helpers.js';
import { personaHome, writePersonaConfig } from '../helpers/persona-home.js';

const SKILL = 'skillopt-sleep-learned';

function start(home: string, args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: home, env: { PATH: process.env.PATH ?? '', HOME: home, TZ: 'UTC', SKILLOPT_SLEEP_HOME: join(home, 'state') }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  child.stdout!.resume();
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
  return { child, done };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Read the lock row with a plain reader (WAL lets it read while the night writes). */
function lockHolder(home: string): number | null {
  const path = join(home, 'state', 'sleep.db');
  if (!existsSync(path)) return null;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'night_lock'").get();
    const row = hasTable ? (db.prepare('SELECT pid FROM night_lock WHERE id = 1').get() as { pid: number } | undefined) : undefined;
    return row?.pid ?? null;
  } finally {
    db.close();
  }
}

/** Every file under dir: none half-written (a report that exists parses). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

describe('one night at a time, and kill -9', () => {
  it('two runs at once give one night; kill -9 mid-night leaves no torn file and the next night recovers the lock and runs', { timeout: 240_000 }, async () => {
    const home = personaHome(tempDir());
    // A long night (many epochs: 100 take about 4 s on a quiet machine) so the second run surely meets it and the kill lands mid-night.
    runCli(['status'], { home });
    writePersonaConfig(home, { trainer: { epochs: 2000, valSamples: 20, testSamples: 20 } });
    const first = start(home, ['run', '--now']);
    let holder: number | null = null;
    for (let i = 0; i < 400 && holder === null; i++) {
      await sleep(100);
      holder = lockHolder(home);
    }
    expect(holder).toBe(first.child.pid);
    const second = runCli(['run', '--now'], { home });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/night 1 is already running \(cli, pid \d+ on .*\)\n {2}fix: wait for it to finish/);
    const status = JSON.parse(runCli(['status', '--json'], { home }).stdout);
    expect(status.running).toMatchObject({ night: 1, pid: first.child.pid });

    // Let it train a while, then kill -9 in the middle of the night.
    await sleep(1500);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    for (const f of filesUnder(join(home, 'state', 'nights'))) if (f.endsWith('.json')) expect(() => JSON.parse(readFileSync(f, 'utf8')), f).not.toThrow();
    expect(existsSync(join(home, '.claude', 'skills', SKILL, 'SKILL.md'))).toBe(false);

    writePersonaConfig(home);
    const next = runCli(['run', '--now', '--json'], { home });
    expect(next.code, next.stderr).toBe(0);
    const report = JSON.parse(next.stdout);
    expect(report.night).toBe(2);
    expect(report.warnings.join('\n')).toMatch(/recovered the lock of night 1 \(pid \d+ is gone\); that night is marked interrupted/);
    expect(report.skills[0].decision).toBe('proposed');
    const db = new Database(join(home, 'state', 'sleep.db'), { readonly: true });
    expect(db.prepare('SELECT id, status FROM nights ORDER BY id').all()).toEqual([{ id: 1, status: 'interrupted' }, { id: 2, status: 'completed' }]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('kill -9 at any moment of adopt leaves the old bytes or the new ones, never a torn file, and the next command finishes the record', { timeout: 240_000 }, async () => {
    const home = personaHome(tempDir());
    expect(runCli(['run', '--now'], { home }).code).toBe(0);
    const file = join(home, '.claude', 'skills', SKILL, 'SKILL.md');
    const mine = `---\nname: ${SKILL}\ndescription: d\n---\n# Mine\n\nKeep it short.\n`;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, mine);
    // The first attempt is timed, then each later one is killed a little later, until one gets through.
    const t0 = Date.now();
    const timed = start(home, ['history', SKILL]);
    await timed.done;
    const life = Date.now() - t0;
    let finished = false;
    const adopted = new Set<string>();
    for (let i = 0; i < 8 && !finished; i++) {
      const attempt = start(home, ['adopt']);
      await sleep(Math.round(life * (0.55 + i * 0.1)));
      attempt.child.kill('SIGKILL');
      const end = await attempt.done;
      const now = readFileSync(file, 'utf8');
      // Old bytes, or the hand edit with the proposal's edits re-applied after it, always the same whole text: nothing in between.
      expect(now === mine || (now.startsWith(mine) && now.length > mine.length && now.endsWith('\n')), `attempt ${i}: ${now}`).toBe(true);
      if (now !== mine) adopted.add(now);
      expect(adopted.size, `attempt ${i}: ${now}`).toBeLessThanOrEqual(1);
      finished = end.signal === null || now !== mine;
      for (const f of readdirSync(join(home, '.claude', 'skills', SKILL))) expect(statSync(join(home, '.claude', 'skills', SKILL, f)).isFile()).toBe(true);
    }
    // Whatever the last attempt reached, the store opens, the version history is consistent with the file, and adopt can finish.
    const history = JSON.parse(runCli(['history', SKILL, '--json'], { home }).stdout);
    const onDisk = readFileSync(file, 'utf8');
    if (onDisk === mine) {
      expect(runCli(['adopt'], { home }).code).toBe(0);
    } else {
      // The re-applied text was recorded on the proposal before the write (write-ahead), so a kill between the write
      // and the record leaves a file the next command recognises as the adoption completing, never as a hand edit.
      expect(history.versions.at(-1).source).toBe('adopted');
      expect(history.versions.filter((v: { source: string }) => v.source === 'external-edit')).toHaveLength(1);
      expect(history.pending).toEqual([]);
    }
    const after = JSON.parse(runCli(['history', SKILL, '--json'], { home }).stdout);
    expect(after.versions.at(-1)).toMatchObject({ source: 'adopted', onDisk: true });
    expect(after.versions.map((v: { source: string }) => v.source)).toContain('external-edit');
    expect(readFileSync(file, 'utf8')).toContain('Keep it short.');
    // The adopt that finished after the kills wrote the same whole text the interrupted ones did.
    for (const text of adopted) expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
