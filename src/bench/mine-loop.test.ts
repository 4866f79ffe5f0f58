import { describe, expect, it } from 'vitest';
import { runMineLoop } from './mine-loop.js';

// Bounded-size run of the mine-loop benchmark (one person, two recurring families, tuning phrasings): a night
// trained from harvest -> mine must lift the families' future instances, scored with the generator's true rules,
// and a second night must not undo the first.
describe('mine loop (bounded)', () => {
  it('lifts future instances of each recurring family with no follow-up mined as a task', async () => {
    const f = await runMineLoop({ phrasings: 'tune', people: 1, instances: 12, future: 5, nights: 2 });
    expect(f.followUpTasks).toBe(0);
    expect(f.followUps.precision).toBeGreaterThanOrEqual(0.9);
    expect(f.followUps.recall).toBeGreaterThanOrEqual(0.9);
    expect(f.families.length).toBe(2);
    for (const family of f.families) {
      expect(family.before, `${family.kind} before`).toBeLessThanOrEqual(0.2);
      expect(family.nights[0], `${family.kind} after night 1`).toBeGreaterThanOrEqual(0.8);
      expect(family.nights[1], `${family.kind} after night 2`).toBeGreaterThanOrEqual(family.nights[0] ?? 1);
    }
  }, 120_000);
});
