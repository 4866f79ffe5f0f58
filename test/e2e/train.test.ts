import { describe, it, expect } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir } from './helpers.js';

const persona = (name: string, file: string) => join(ROOT, 'fixtures', 'personas', name, file);

describe('skillopt-sleep train (spawned CLI)', () => {
  it('trains a skill on a task file and writes best_skill.md, history and reports', () => {
    const out = join(tempDir(), 'out');
    const r = runCli(['train', '--tasks', persona('analyst', 'tasks.jsonl'), '--skill', persona('analyst', 'skill.md'), '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.status).toBe('completed');
    expect(result.headline.bestTest).toBeGreaterThan(result.headline.baselineTest);
    for (const f of ['best_skill.md', 'history.json', 'report.md', 'report.json']) expect(existsSync(join(out, f))).toBe(true);
    expect(statSync(join(out, 'report.json')).mode & 0o777).toBe(0o600);
    const best = readFileSync(join(out, 'best_skill.md'), 'utf8');
    expect(best.startsWith('---\nname: analyst-reports\n')).toBe(true); // frontmatter untouched
    expect(best).not.toBe(readFileSync(persona('analyst', 'skill.md'), 'utf8'));
    // The input skill file is never modified by train.
    expect(readFileSync(persona('analyst', 'skill.md'), 'utf8')).toContain('Be accurate with numbers.');
  });

  it('prints the best skill path and the baseline and final scores for a person', () => {
    const out = join(tempDir(), 'out');
    const r = runCli(['train', '--tasks', persona('programmer', 'tasks.jsonl'), '--skill', persona('programmer', 'skill.md'), '--out', out, '--gate', 'strict', '--seed', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^best skill: .*best_skill\.md$/m);
    expect(r.stdout).toMatch(/^val: +\d+\.\d% -> \d+\.\d%$/m);
    expect(r.stdout).toMatch(/^test: \d+\.\d% -> \d+\.\d%$/m);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.settings.gate.mode).toBe('strict');
  });

  it('says plainly when the val split cannot prove a gain (deterministic unit, 5 val tasks) and what it needs', () => {
    const out = join(tempDir(), 'out');
    const r = runCli(['train', '--tasks', persona('analyst', 'tasks.jsonl'), '--skill', persona('analyst', 'skill.md'), '--out', out, '--gate-unit', 'task']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^plan: 3 step\(s\) of 3 train task\(s\); alpha 0\.05 spread over 4 gate decision\(s\) \(0\.0125 for the first\); 5 paired tasks allow p down to 0\.0313$/m);
    expect(r.stdout).toMatch(/^cannot prove a gain yet: this replay set cannot prove a gain yet: 5 val task\(s\) give a smallest possible p-value of 0\.0313, above the 0\.0125 a decision may spend .*it needs at least 7 val tasks/m);
    expect(r.stderr).toMatch(/cannot prove a gain yet/);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('> **Cannot prove a gain yet:** this replay set cannot prove a gain yet');
    // Nothing can pass such a gate, so nothing is shipped.
    expect(readFileSync(join(out, 'best_skill.md'), 'utf8')).toBe(readFileSync(persona('analyst', 'skill.md'), 'utf8'));
  });

  it('stops at the token budget after the step in flight, and says what it did not do', () => {
    const out = join(tempDir(), 'out');
    const r = runCli(['train', '--tasks', persona('researcher', 'tasks.jsonl'), '--skill', persona('researcher', 'skill.md'), '--out', out, '--epochs', '4', '--batch-size', '4', '--max-tokens', '40000', '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.status).toBe('budget_exhausted');
    expect(result.stopReason).toMatch(/token/i);
    // Whichever safe point it stopped at (between steps, or a step refused at the hard ceiling), the report
    // says what was not done, and no headline is claimed for a half-trained skill.
    expect(result.skipped.join('\n')).toMatch(/training step|after step \d+ of \d+/);
    expect(result.skipped).toContain('the held-out test evaluation (no headline score)');
    expect(result.headline.bestTest).toBeNull();
    // Calls in flight reserve their estimate, so even concurrent calls never pass the 1.25x hard ceiling.
    expect(result.budget.used.tokens).toBeLessThanOrEqual(40000 * 1.25);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/Stopped early; not done/);
  });

  it('reports malformed task lines with line numbers and still trains on the valid ones', () => {
    const dir = tempDir();
    const good = readFileSync(persona('analyst', 'tasks.jsonl'), 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'tasks.jsonl'), [good[0], '{not json', '{"id":"x","prompt":"p"}', ...good.slice(1)].join('\n'));
    const r = runCli(['train', '--tasks', join(dir, 'tasks.jsonl'), '--skill', persona('analyst', 'skill.md'), '--out', join(dir, 'out'), '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/tasks\.jsonl:2: /);
    expect(r.stderr).toMatch(/tasks\.jsonl:3: .*judge/);
    expect(JSON.parse(r.stdout).status).toBe('completed');
  });

  it('refuses a skill file that is not UTF-8, naming the file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'skill.md'), Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x41, 0x0a]));
    const r = runCli(['train', '--tasks', persona('analyst', 'tasks.jsonl'), '--skill', join(dir, 'skill.md'), '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'skill.md'));
    expect(r.stderr).toMatch(/UTF-8/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('names a missing task file and the fix', () => {
    const r = runCli(['train', '--tasks', '/nonexistent/tasks.jsonl', '--skill', persona('analyst', 'skill.md')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/nonexistent/tasks.jsonl');
  });

  it('rejects an unknown flag with a suggestion and a bad option value naming the key', () => {
    const unknown = runCli(['train', '--tasks', 'a', '--skill', 'b', '--taks', 'x']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown option '--taks'/);
    expect(unknown.stderr).toMatch(/Did you mean --tasks\?/);
    const bad = runCli(['train', '--tasks', persona('analyst', 'tasks.jsonl'), '--skill', persona('analyst', 'skill.md'), '--gate', 'loose']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/trainer\.gate\.mode/);
    const badNumber = runCli(['train', '--tasks', 'a', '--skill', 'b', '--val-samples', 'three']);
    expect(badNumber.code).not.toBe(0);
    expect(badNumber.stderr).toMatch(/--val-samples.*expected a whole number, got "three"/);
  });

  it('reports a broken config.json by key', () => {
    const home = tempDir();
    const state = join(home, 'state');
    mkdirSync(state, { recursive: true });
    writeFileSync(join(state, 'config.json'), JSON.stringify({ trainer: { gate: { alpha: 2 } }, concurrency: 0 }));
    const r = runCli(['train', '--tasks', persona('analyst', 'tasks.jsonl'), '--skill', persona('analyst', 'skill.md')], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/trainer\.gate\.alpha: /);
    expect(r.stderr).toMatch(/concurrency: /);
  });
});

describe('skillopt-sleep eval (spawned CLI)', () => {
  it('scores a skill on a task file', () => {
    const r = runCli(['eval', '--tasks', persona('researcher', 'tasks.jsonl'), '--skill', persona('researcher', 'skill.md'), '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.tasks).toBe(17);
    expect(report.score).toBe(0);
    expect(report.perTask[0].feedback.length).toBeGreaterThan(0);
  });
});
