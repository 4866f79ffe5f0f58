import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync, appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli, tempDir } from './helpers.js';
import { personaHome } from '../helpers/persona-home.js';

const SKILL = 'skillopt-sleep-learned';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON, read loosely as a script would
type Loose = any;
const json = (r: { stdout: string }) => JSON.parse(r.stdout) as Record<string, Loose>;

describe('a night for real skills (spawned CLI)', () => {
  it('run -> report -> adopt -> hand edit -> run -> adopt re-applies -> history, diff -> rollback restores the exact bytes', { timeout: 180_000 }, () => {
    const home = personaHome(tempDir());
    const cli = (...args: string[]) => runCli(args, { home });
    const claude = join(home, '.claude', 'skills', SKILL, 'SKILL.md');
    const codex = join(home, '.agents', 'skills', SKILL, 'SKILL.md');

    const night1 = cli('run', '--now', '--json');
    expect(night1.code, night1.stderr).toBe(0);
    const r1 = json(night1);
    expect(r1.night).toBe(1);
    expect(r1.harvest.sessions).toBe(16);
    expect(r1.replaySet.total).toBeGreaterThanOrEqual(12);
    const s1 = r1.skills.find((s: Loose) => s.name === SKILL);
    expect(s1).toMatchObject({ action: 'trained', decision: 'proposed' });
    expect(s1.run.headline.bestTest).toBeGreaterThan(s1.run.headline.baselineTest);
    for (const f of ['report.md', 'report.json', 'report.html']) expect(existsSync(join(home, 'state', 'nights', '1', f))).toBe(true);
    // Nothing is written where an agent loads it before a person adopts.
    expect(existsSync(claude)).toBe(false);

    const summary = cli('report');
    expect(summary.code).toBe(0);
    expect(summary.stdout).toMatch(/^night 1: completed/m);
    expect(summary.stdout).toMatch(/held-out test 0\.0% -> \d+\.\d% \(\+\d+\.\d pts, \d+ tasks x 3\)/);
    expect(summary.stdout).toContain(`skillopt-sleep adopt --night 1 --skill ${SKILL}`);

    const adopt1 = cli('adopt', '--json');
    expect(adopt1.code, adopt1.stderr).toBe(0);
    expect(json(adopt1).results[0]).toMatchObject({ adopted: true, version: 2, how: 'created' });
    const adopted = readFileSync(claude, 'utf8');
    expect(adopted).toBe(readFileSync(join(home, 'state', 'nights', '1', SKILL, 'proposed-SKILL.md'), 'utf8'));
    expect(readFileSync(codex, 'utf8')).toBe(adopted); // the same document where Codex loads skills

    // The person rewrites the skill by hand; the next night records it before training on it.
    const mine = `---\nname: ${SKILL}\ndescription: my own words\n---\n# My rules\n\nUse tabs.\n`;
    writeFileSync(claude, mine);
    const night2 = json(cli('run', '--now', '--json'));
    expect(night2.recorded).toContain(`${SKILL}: v3 external-edit`);
    const s2 = night2.skills.find((s: Loose) => s.name === SKILL);
    expect(s2).toMatchObject({ decision: 'proposed', baseVersion: 3 });

    // Another hand edit after the night: adopt re-applies the proposal's edits and keeps it.
    appendFileSync(claude, 'Use spaces in YAML.\n');
    const handEdited = readFileSync(claude, 'utf8');
    const adopt2 = cli('adopt', '--night', '2', '--skill', SKILL, '--json');
    expect(adopt2.code, adopt2.stderr).toBe(0);
    expect(json(adopt2).results[0]).toMatchObject({ adopted: true, how: 'reapplied', version: 5 });
    const merged = readFileSync(claude, 'utf8');
    expect(merged).toContain('Use tabs.\nUse spaces in YAML.');
    expect(merged).not.toBe(handEdited);

    const history = json(cli('history', SKILL, '--json'));
    expect(history.versions.map((v: Loose) => v.source)).toEqual(['baseline', 'adopted', 'external-edit', 'external-edit', 'adopted']);
    expect(history.versions.at(-1).onDisk).toBe(true);
    const diff = cli('diff', SKILL, '4', '5');
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/^--- skillopt-sleep-learned v4 \(external-edit\)$/m);
    expect(diff.stdout).toMatch(/^\+\+\+ skillopt-sleep-learned v5 \(adopted\)$/m);
    // The lines the second night's proposal added to the hand-edited file.
    const added = diff.stdout.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++') && l.trim().length > 1);
    expect(added.length).toBeGreaterThan(0);
    for (const line of added) expect(merged).toContain(line.slice(1));

    const rollback = cli('rollback', SKILL, '--json');
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(json(rollback)).toMatchObject({ restored: 4, version: 6, changed: true });
    expect(readFileSync(claude, 'utf8')).toBe(handEdited);
    const back = cli('rollback', SKILL, '--to', '2');
    expect(back.code).toBe(0);
    expect(readFileSync(claude, 'utf8')).toBe(adopted);
    expect(readFileSync(codex, 'utf8')).toBe(adopted);
  });

  it('reject records the decision and feeds every edit to the rejected-edit memory', { timeout: 180_000 }, () => {
    const home = personaHome(tempDir());
    const cli = (...args: string[]) => runCli(args, { home });
    expect(cli('run', '--now').code).toBe(0);
    const rejected = cli('reject', '--json');
    expect(rejected.code, rejected.stderr).toBe(0);
    const [result] = json(rejected).results;
    expect(result).toMatchObject({ skill: SKILL, night: 1 });
    expect(result.edits).toBeGreaterThan(0);
    // The rejected-edit memory every later reflection on this skill reads (the night's own gate rejections are there too).
    const db = new Database(join(home, 'state', 'sleep.db'), { readonly: true });
    const memory = db.prepare("SELECT skill_key, reason, night, op FROM rejected_edits WHERE reason = 'review'").all() as Array<Record<string, unknown>>;
    db.close();
    expect(memory).toHaveLength(result.edits);
    for (const m of memory) expect(m).toMatchObject({ skill_key: SKILL, reason: 'review', night: 1, op: expect.any(String) });
    const again = cli('adopt', '--night', '1');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/night 1's proposal for skillopt-sleep-learned is already rejected/);
    expect(existsSync(join(home, '.claude', 'skills', SKILL, 'SKILL.md'))).toBe(false);
  });

  it('gives clear errors for bad input and loses nothing', { timeout: 180_000 }, () => {
    const home = personaHome(tempDir());
    const cli = (...args: string[]) => runCli(args, { home });
    const missing = cli('run', '--now', '--skill', './nope/SKILL.md');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/skill file .*nope\/SKILL\.md does not exist\n {2}fix: /);
    writeFileSync(join(home, 'latin1.md'), Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xe9, 0x0a]));
    expect(cli('run', '--now', '--skill', 'latin1.md').stderr).toMatch(/is not UTF-8 text/);
    const noProposal = cli('adopt', '--night', '7');
    expect(noProposal.code).toBe(1);
    expect(noProposal.stderr).toMatch(/there is no night 7\n {2}fix: run a night first/);
    // No night was opened by the refused runs.
    expect(json(cli('status', '--json')).lastNight).toBeNull();

    expect(cli('run', '--now').code).toBe(0);
    const noNight = cli('adopt', '--night', '9');
    expect(noNight.stderr).toMatch(/there is no night 9\n {2}fix: the last night is 1/);
    expect(cli('adopt').code).toBe(0);
    const bad = cli('rollback', SKILL, '--to', '42');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/skillopt-sleep-learned has no version 42\n {2}fix: it has versions 1, 2/);
    // Deleted by hand: the night skips it and says how to restore it; rollback brings it back.
    const claude = join(home, '.claude', 'skills', SKILL, 'SKILL.md');
    const bytes = readFileSync(claude);
    rmSync(claude);
    const r = json(cli('run', '--now', '--json'));
    expect(r.skills[0]).toMatchObject({ action: 'skipped', reason: expect.stringMatching(/was deleted by hand; restore it with `skillopt-sleep rollback skillopt-sleep-learned --to 2`/) });
    expect(cli('rollback', SKILL, '--to', '2').code).toBe(0);
    expect(readFileSync(claude).equals(bytes)).toBe(true);
  });
});
