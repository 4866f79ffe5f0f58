import { describe, it, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { runCli } from './helpers.js';

describe('skillopt-sleep demo (spawned CLI, offline)', () => {
  it('raises the held-out test score on every persona and the gate rejects every harmful edit', () => {
    const r = runCli(['demo', '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.personas.map((p: { persona: string }) => p.persona)).toEqual(['analyst', 'harmful-edit', 'programmer', 'researcher', 'developer-transcripts']);
    for (const p of result.personas) {
      expect(p.final.test, p.persona).toBeGreaterThan(p.baseline.test);
      expect(p.harmful.accepted, p.persona).toBe(0);
      expect(p.calls).toBeGreaterThan(0);
      expect(p.tokens).toBeGreaterThan(0);
      for (const n of p.nights) expect(existsSync(n.report)).toBe(true);
      expect(p.nights[0].gateTrials.length).toBeGreaterThan(0);
    }
    const harmful = result.personas.find((p: { persona: string }) => p.persona === 'harmful-edit');
    expect(harmful.harmful.proposed).toBeGreaterThan(0);
    // Step 3: from raw transcripts to a held-out lift, offline.
    const mined = result.personas.find((p: { persona: string }) => p.persona === 'developer-transcripts');
    expect(mined.from).toBe('transcripts');
    expect(mined.pipeline.sessions).toBeGreaterThan(10);
    expect(mined.pipeline.recurringFamilies).toBeGreaterThanOrEqual(3);
    expect(mined.tasks).toBe(mined.pipeline.tasks);
  });

  it('prints a readable summary, and refuses an unknown persona with the list', () => {
    const r = runCli(['demo', '--persona', 'programmer', '--nights', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^programmer +18 +[12] /m);
    const bad = runCli(['demo', '--persona', 'astronaut']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown persona "astronaut".*analyst, harmful-edit, programmer, researcher, developer-transcripts/s);
  });
});
