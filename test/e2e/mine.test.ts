import { describe, it, expect } from 'vitest';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir } from './helpers.js';

describe('skillopt-sleep mine (spawned CLI)', () => {
  it('mines recurring families from harvested sessions, skips our own replays, and is incremental', () => {
    const home = tempDir();
    const persona = join(ROOT, 'fixtures', 'transcripts', 'personas', 'programmer');
    cpSync(join(persona, '.claude'), join(home, '.claude'), { recursive: true });
    cpSync(join(persona, '.codex'), join(home, '.codex'), { recursive: true });
    expect(runCli(['harvest'], { home }).code).toBe(0);
    const r = runCli(['mine', '--json'], { home });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.sessions.skipped.own_replay).toBe(1);
    expect(report.families.recurring).toBeGreaterThanOrEqual(3);
    expect(report.tasks.new).toBeGreaterThan(0);
    const tasks = JSON.parse(runCli(['tasks', 'list', '--json'], { home }).stdout);
    expect(tasks.length).toBe(report.tasks.new);
    // Splits are within a family: a family holding instances out also trains on earlier ones; a small one waits in train.
    const splitsByFamily = new Map<string, Set<string>>();
    for (const t of tasks) splitsByFamily.set(t.family, (splitsByFamily.get(t.family) ?? new Set()).add(t.split));
    for (const splits of splitsByFamily.values()) if (splits.has('val') || splits.has('test')) expect(splits.has('train')).toBe(true);
    for (const w of report.waiting) expect([...(splitsByFamily.get(w.family) ?? [])]).toEqual(['train']);
    // Follow-ups are evidence; every judge says whether it is grounded and what each check rests on.
    expect(report.followUps.evidence).toBeGreaterThan(0);
    expect(report.judges.grounded + report.judges.ungrounded + report.judges.noFeedback).toBe(report.touched.length);
    for (const f of report.touched) for (const c of f.checks) expect(c.passes > 0 && c.fails > 0).toBe(true);
    const text = runCli(['mine'], { home }).stdout;
    expect(text).toMatch(/follow-ups: \d+ kept as evidence/);
    // A format-only follow-up is a correction, not a family of its own.
    expect(tasks.some((t: { prompt: string }) => /^(use a bullet list|bullet list please)$/.test(t.prompt))).toBe(false);
    const again = JSON.parse(runCli(['mine', '--json'], { home }).stdout);
    expect(again.tasks.new).toBe(0);
    expect(again.sessions.read).toBe(0);
  });

  it('lets the (simulated) optimizer write the judges with --with-model', () => {
    const home = tempDir();
    const persona = join(ROOT, 'fixtures', 'transcripts', 'personas', 'programmer');
    cpSync(join(persona, '.claude'), join(home, '.claude'), { recursive: true });
    runCli(['harvest'], { home });
    const report = JSON.parse(runCli(['mine', '--with-model', '--json'], { home }).stdout);
    expect(report.llm.calls).toBeGreaterThan(0);
    expect(report.llm.failures).toBe(0);
  });
});
