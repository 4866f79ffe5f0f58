import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRunReport, renderRunMarkdown } from './run-report.js';
import { trainSkill } from '../train/trainer.js';
import { DEFAULT_TRAINER_CONFIG } from '../train/config.js';
import { parseTaskFile } from '../tasks/task-file.js';
import { createSimulatedTarget } from '../simulated/target.js';
import { createSimulatedOptimizer } from '../simulated/optimizer.js';
import { simulationLookupFor } from '../simulated/lookup.js';
import { createCallLedger, createNightBudget } from '../models/decorators/index.js';
import { fixedClock } from '../core/clock.js';

const root = join(import.meta.dirname, '..', '..', 'fixtures', 'personas', 'programmer');

describe('run report', () => {
  it('shows the held-out headline, every gate trial with per-task deltas, edits with evidence, cost and the diff', async () => {
    const tasks = parseTaskFile(readFileSync(join(root, 'tasks.jsonl'), 'utf8'), 'tasks.jsonl').tasks;
    const skill = readFileSync(join(root, 'skill.md'), 'utf8');
    const config = { ...DEFAULT_TRAINER_CONFIG, epochs: 1 };
    const result = await trainSkill(tasks, skill, config, {
      target: createSimulatedTarget({ followRate: 0.92, slipRate: 0.03, seed: 7, lookup: simulationLookupFor(tasks) }),
      optimizer: createSimulatedOptimizer({ seed: 11, uselessRate: 0.3, harmfulRate: 0.1 }),
      skillName: 'programmer',
    });
    const clock = fixedClock('2026-11-22T03:00:00Z');
    const report = buildRunReport({
      kind: 'train',
      skillName: 'programmer',
      startedAt: '2026-11-22T03:00:00.000Z',
      finishedAt: '2026-11-22T03:01:00.000Z',
      result,
      config,
      calls: createCallLedger({ clock }).summary(),
      cache: { hits: 0, misses: 0 },
      budget: createNightBudget({}, clock).snapshot(),
    });
    expect(report.headline.testDelta).toBeGreaterThan(0);
    expect(report.steps.some((s) => s.gate?.perTask.length)).toBe(true);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report); // report.json round-trips
    const md = renderRunMarkdown(report);
    expect(md).toContain('# skillopt-sleep train report: programmer');
    expect(md).toMatch(/\| \*\*test\*\* \(\d+ tasks × 3\) \| 0\.0% \| \d+\.\d% \| \*\*\+\d+\.\d pts\*\* \|/);
    expect(md).toMatch(/^- step \d \(step\) accepted: .*prog-\d\d [+-]?\d\.\d\d/m);
    expect(md).toMatch(/^Plan: 3 step\(s\) of 3 train task\(s\); alpha 0\.05 spread over 4 gate decision\(s\) \(0\.0125 for the first\); 30 paired samples allow p down to 9\.3e-10\.$/m);
    expect(md).toContain('> **Note:** val samples raised from 3 to 6 per task');
    expect(md).toMatch(/contribution \+\d+\.\d pts \(95% CI [+-]\d+\.\d pts to \+\d+\.\d pts, p [\d.e-]+ vs level [\d.e-]+, 30 pairs\)/);
    expect(md).toMatch(/## Accepted edits \(\d+\)/);
    expect(md).toMatch(/evidence: prog-\d\d/);
    expect(md).toContain('```diff');
    // The diff shows the lines the accepted edits added (which rules the simulator learns first depends on its seed).
    expect(md).toMatch(/^\+.*(?:imperative|JSON|bullet|tool)/im);
  });
});
