import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { defaultConfig } from '../config/config.js';
import { runHarvest } from '../app/run-harvest.js';
import { runTraining } from '../app/run-train.js';
import { openDatabase } from '../store/db.js';
import { activeReplaySet, listTasks } from '../store/tasks-repo.js';
import { renderMineReport } from './report.js';
import { runMine } from '../app/run-mine.js';
import { simulatedMine } from '../simulated/miner.js';
import type { ModelBackend } from '../models/types.js';

// Synthetic persona transcripts (fixtures/mine/persona/generate.py, written by us) in Claude Code and Codex formats.
const PERSONA = fileURLToPath(new URL('../../fixtures/mine/persona/', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('demo from transcripts: harvest -> mine -> train, offline', () => {
  it('mines the persona\'s recurring requests and a night on them lifts the held-out score', async () => {
    const home = mkdtempSync(join(tmpdir(), 'skillopt-mine-demo-'));
    dirs.push(home);
    const db = openDatabase(':memory:');
    const clock = fixedClock('2026-03-01T03:00:00Z');
    const harvest = await runHarvest(
      { db, clock, environment: { env: {}, platform: 'linux', homeDir: home } },
      { enabledSources: ['claude-code', 'codex'], extraRoots: { 'claude-code': [join(PERSONA, 'claude-code')], codex: [join(PERSONA, 'codex')] } },
    );
    expect(harvest.totals.sessionsNew).toBe(16);
    const report = await runMine({ db, clock }, { config: { maxTasksPerFamily: 4 } });
    console.log(renderMineReport(report));
    expect(report.families.recurring).toBe(4);
    const tasks = activeReplaySet(db);
    expect(tasks.length).toBeGreaterThanOrEqual(12);
    expect(new Set(tasks.map((t) => t.split))).toEqual(new Set(['train', 'val', 'test']));
    expect(listTasks(db).every((t) => t.provenance.sessionIds.length >= 2)).toBe(true);

    const config = defaultConfig();
    const run = await runTraining(
      { kind: 'demo', tasks, skillName: 'persona', skillText: '# Persona skill\n\nHelp with coding tasks.\n', config, outDir: join(home, 'out') },
      { clock, env: {}, tmpDir: join(home, 'tmp'), db },
    );
    const h = run.report.headline;
    console.log(`held-out: val ${h.baselineVal} -> ${h.bestVal}, test ${h.baselineTest} -> ${h.bestTest}`);
    expect(h.bestTest ?? 0).toBeGreaterThan(h.baselineTest ?? 0);
  });

  it('also lifts the held-out score when the (simulated) optimizer writes the judges', async () => {
    const home = mkdtempSync(join(tmpdir(), 'skillopt-mine-demo-llm-'));
    dirs.push(home);
    const db = openDatabase(':memory:');
    const clock = fixedClock('2026-03-01T03:00:00Z');
    await runHarvest(
      { db, clock, environment: { env: {}, platform: 'linux', homeDir: home } },
      { enabledSources: ['claude-code', 'codex'], extraRoots: { 'claude-code': [join(PERSONA, 'claude-code')], codex: [join(PERSONA, 'codex')] } },
    );
    const miner: ModelBackend = {
      backend: 'simulated',
      model: 'sim-optimizer-1',
      async complete(request) {
        const text = simulatedMine(request);
        return { text, usage: { input: 1, output: 1, estimated: true }, backend: 'simulated', model: 'sim-optimizer-1' };
      },
    };
    const report = await runMine({ db, clock, optimizer: miner }, { config: { maxTasksPerFamily: 4 } });
    expect(report.llm).toMatchObject({ calls: report.tasks.new, failures: 0 });
    expect(report.tasks.new).toBeGreaterThanOrEqual(12);
    const tasks = activeReplaySet(db);
    expect(tasks.every((t) => t.judge.kind === 'rubric')).toBe(true);
    const run = await runTraining(
      { kind: 'demo', tasks, skillName: 'persona', skillText: '# Persona skill\n\nHelp with coding tasks.\n', config: defaultConfig(), outDir: join(home, 'out') },
      { clock, env: {}, tmpDir: join(home, 'tmp'), db },
    );
    const h = run.report.headline;
    console.log(`held-out with model-written judges: val ${h.baselineVal} -> ${h.bestVal}, test ${h.baselineTest} -> ${h.bestTest}`);
    expect(h.bestTest ?? 0).toBeGreaterThan(h.baselineTest ?? 0);
  });
});
