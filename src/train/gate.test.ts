import { describe, it, expect } from 'vitest';
import { createRng } from '../core/rng.js';
import { DEFAULT_GATE_CONFIG, decideGate } from './gate.js';
import type { GateConfig, GateObservation } from './gate.js';

const strict: GateConfig = { ...DEFAULT_GATE_CONFIG, mode: 'strict' };
const paired: GateConfig = { ...DEFAULT_GATE_CONFIG, unit: 'task' };
const pairedBySample: GateConfig = DEFAULT_GATE_CONFIG;

/** One sample per task from parallel score lists. */
function obs(incumbent: readonly number[], candidate: readonly number[]): GateObservation[] {
  return incumbent.map((inc, i) => ({ taskId: `t${i}`, sampleIndex: 0, incumbent: inc, candidate: candidate[i] ?? Number.NaN }));
}

/** Pass/fail scores for `tasks` x `samples`, both skills passing with the given rates. */
function noisy(seed: number, tasks: number, samples: number, incRate: number, candRate: number): GateObservation[] {
  const rng = createRng(seed);
  const out: GateObservation[] = [];
  for (let t = 0; t < tasks; t += 1) {
    for (let s = 0; s < samples; s += 1) {
      out.push({
        taskId: `task-${t}`,
        sampleIndex: s,
        incumbent: rng.next() < incRate ? 1 : 0,
        candidate: rng.next() < candRate ? 1 : 0,
      });
    }
  }
  return out;
}

describe('DEFAULT_GATE_CONFIG', () => {
  it('is the paired gate at alpha 0.05 without extra conditions', () => {
    expect(DEFAULT_GATE_CONFIG).toEqual({ mode: 'paired', alpha: 0.05, minDelta: 0, noRegression: false, regressionTolerance: 0, unit: 'sample' });
  });
});

describe('decideGate: strict (paper) mode', () => {
  it('accepts a strictly higher mean', () => {
    const d = decideGate(obs([0.5, 0.5], [0.5, 0.6]), strict);
    expect(d.accepted).toBe(true);
    expect(d.candidateMean).toBeCloseTo(0.55, 12);
    expect(d.incumbentMean).toBeCloseTo(0.5, 12);
    expect(d.stdError).toBeNull();
    expect(d.threshold).toBeNull();
    expect(d.reason).toMatch(/^accepted: candidate mean 0\.550 is strictly above the incumbent mean 0\.500 over 2 tasks/);
  });

  it('rejects ties, with no epsilon', () => {
    const d = decideGate(obs([1, 0, 1], [0, 1, 1]), strict);
    expect(d.accepted).toBe(false);
    expect(d.meanDelta).toBe(0);
    expect(d.reason).toContain('rejects ties');
  });

  it('rejects a lower mean and ignores noRegression/minDelta (the paper has neither)', () => {
    expect(decideGate(obs([0.8], [0.7]), strict).accepted).toBe(false);
    const d = decideGate(obs([1, 0.5], [0.9, 0.9]), { ...strict, noRegression: true, minDelta: 0.5 });
    expect(d.accepted).toBe(true);
    expect(d.regressions).toEqual(['t0']);
  });

  it('accepts pure noise about half the time', () => {
    let accepted = 0;
    const trials = 200;
    for (let seed = 1; seed <= trials; seed += 1) {
      if (decideGate(noisy(seed, 12, 1, 0.5, 0.5), strict).accepted) accepted += 1;
    }
    // Ties reject, so a bit under half; far above what a noise-aware gate allows.
    expect(accepted / trials).toBeGreaterThan(0.3);
    expect(accepted / trials).toBeLessThan(0.6);
  });
});

describe('decideGate: paired mode', () => {
  it('accepts a clear gain and reports the threshold in one sentence', () => {
    const inc = [0.2, 0.4, 0.3, 0.5, 0.1, 0.6, 0.2, 0.4, 0.3, 0.5];
    const cand = [0.4, 0.5, 0.5, 0.6, 0.3, 0.7, 0.4, 0.5, 0.4, 0.7];
    const d = decideGate(obs(inc, cand), paired);
    expect(d.accepted).toBe(true);
    expect(d.nTasks).toBe(10);
    expect(d.meanDelta).toBeCloseTo(0.15, 12);
    // deltas are 0.2 x5 and 0.1 x5: sd = sqrt(10 * 0.0025 / 9), SE = sd / sqrt(10), t_{0.95,9} = 1.8331.
    const se = Math.sqrt((10 * 0.0025) / 9) / Math.sqrt(10);
    expect(d.stdError).toBeCloseTo(se, 10);
    expect(d.threshold).toBeCloseTo(1.833113 * se, 5);
    // All ten deltas are positive: only the all-plus sign assignment reaches the observed mean, p = 2^-10.
    expect(d.pValue).toBeCloseTo(1 / 1024, 12);
    expect(d.reason).toBe('accepted: +0.150 mean paired improvement over 10 tasks exceeds the noise (sign-flip p 9.8e-4 over 10 tasks, noise threshold 0.031, alpha 0.05)');
  });

  it('rejects what strict mode accepts on the same noisy data', () => {
    const inc = [1, 0, 1, 0, 1, 0, 1, 0];
    const cand = [1, 1, 0, 0, 1, 1, 1, 0];
    expect(decideGate(obs(inc, cand), strict).accepted).toBe(true);
    const d = decideGate(obs(inc, cand), paired);
    expect(d.accepted).toBe(false);
    // Deltas +1, -1, +1 (five zeros): 4 of the 8 sign assignments reach a sum >= +1, p = 0.5.
    expect(d.pValue).toBeCloseTo(0.5, 12);
    expect(d.reason).toMatch(/^rejected: \+0\.125 mean paired improvement over 8 tasks is within the noise \(sign-flip p 0\.500 over 8 tasks, noise threshold 0\.\d{3}, alpha 0\.05\)/);
  });

  it('rejects pure noise at roughly the alpha rate', () => {
    let accepted = 0;
    const trials = 300;
    for (let seed = 1; seed <= trials; seed += 1) {
      if (decideGate(noisy(seed, 20, 3, 0.5, 0.5), paired).accepted) accepted += 1;
    }
    expect(accepted / trials).toBeLessThanOrEqual(0.05);
  });

  it('keeps false accepts at or below alpha with paired samples as the unit (independent samples)', () => {
    let accepted = 0;
    const trials = 300;
    for (let seed = 1; seed <= trials; seed += 1) {
      if (decideGate(noisy(seed, 20, 3, 0.5, 0.5), pairedBySample).accepted) accepted += 1;
    }
    expect(accepted / trials).toBeLessThanOrEqual(0.05);
  });

  it('by sample, accepts a gain that per-task flips on 5 tasks cannot prove', () => {
    // 2 of 5 tasks fixed on all 3 samples: per task p = 1/4; per sample 6 flips all positive, p = 1/64.
    const observations = ['a', 'b', 'c', 'd', 'e'].flatMap((t, i) => [0, 1, 2].map((s) => ({ taskId: t, sampleIndex: s, incumbent: i < 2 ? 0 : 1, candidate: 1 })));
    expect(decideGate(observations, paired).accepted).toBe(false);
    const bySample = decideGate(observations, pairedBySample);
    expect(bySample.accepted).toBe(true);
    expect(bySample.pValue).toBeCloseTo(1 / 64, 12);
  });

  it('accepts a real gain under noise most of the time', () => {
    let accepted = 0;
    const trials = 100;
    for (let seed = 1; seed <= trials; seed += 1) {
      if (decideGate(noisy(seed, 20, 3, 0.4, 0.8), paired).accepted) accepted += 1;
    }
    expect(accepted / trials).toBeGreaterThan(0.9);
  });

  it('averages samples per task before differencing', () => {
    const observations: GateObservation[] = [
      { taskId: 'a', sampleIndex: 0, incumbent: 0, candidate: 1 },
      { taskId: 'a', sampleIndex: 1, incumbent: 1, candidate: 1 },
      { taskId: 'b', sampleIndex: 0, incumbent: 0, candidate: 0 },
      { taskId: 'b', sampleIndex: 1, incumbent: 0, candidate: 1 },
      { taskId: 'b', sampleIndex: 2, incumbent: 0, candidate: 1 },
    ];
    const d = decideGate(observations, paired);
    expect(d.nTasks).toBe(2);
    expect(d.nSamples).toBe(5);
    expect(d.perTask).toEqual([
      { taskId: 'a', incumbent: 0.5, candidate: 1, delta: 0.5 },
      { taskId: 'b', incumbent: 0, candidate: 2 / 3, delta: 2 / 3 },
    ]);
    // Task-weighted, not sample-weighted.
    expect(d.candidateMean).toBeCloseTo((1 + 2 / 3) / 2, 12);
  });

  it('noRegression blocks an otherwise significant gain when one task drops', () => {
    const inc = [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.8];
    const cand = [0.6, 0.7, 0.6, 0.7, 0.6, 0.7, 0.6, 0.7, 0.6, 0.7];
    expect(decideGate(obs(inc, cand), paired).accepted).toBe(true);
    const d = decideGate(obs(inc, cand), { ...paired, noRegression: true });
    expect(d.accepted).toBe(false);
    expect(d.regressions).toEqual(['t9']);
    expect(d.reason).toContain('but 1 task regressed by more than 0.000 (t9)');
    // A tolerance wider than the drop lets it through.
    expect(decideGate(obs(inc, cand), { ...paired, noRegression: true, regressionTolerance: 0.15 }).accepted).toBe(true);
  });

  it('minDelta rejects a significant but small gain', () => {
    const inc = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
    const cand = [0.55, 0.56, 0.55, 0.56, 0.55, 0.56];
    expect(decideGate(obs(inc, cand), paired).accepted).toBe(true);
    const d = decideGate(obs(inc, cand), { ...paired, minDelta: 0.1 });
    expect(d.accepted).toBe(false);
    expect(d.reason).toContain('below the minimum 0.100');
  });

  it('rejects a mean drop outright', () => {
    const d = decideGate(obs([0.9, 0.8, 0.7], [0.5, 0.6, 0.65]), paired);
    expect(d.accepted).toBe(false);
    expect(d.reason).toMatch(/^rejected: -0\.217 mean paired change over 3 tasks is not an improvement$/);
  });

  it('with one task, can never accept: one sign flip gives p = 0.5, and the reason says more val tasks are needed', () => {
    const up = decideGate(obs([0.4], [0.6]), paired);
    expect(up.accepted).toBe(false);
    expect(up.stdError).toBeNull();
    expect(up.pValue).toBe(0.5);
    expect(up.reason).toContain('too few for the test to reach alpha, so more val tasks are needed');
    const flat = decideGate(obs([0.4], [0.4]), paired);
    expect(flat.accepted).toBe(false);
    expect(flat.reason).toMatch(/^rejected: \+0\.000 mean paired change over 1 task is not an improvement/);
  });

  it('rejects all-zero deltas (zero spread, nothing improved)', () => {
    const d = decideGate(obs([1, 0, 0.5, 1], [1, 0, 0.5, 1]), paired);
    expect(d.accepted).toBe(false);
    expect(d.stdError).toBe(0);
    expect(d.threshold).toBeNull();
    expect(d.pValue).toBe(1);
  });

  it('accepts an identical gain on every task once there are enough tasks (p = 2^-n)', () => {
    expect(decideGate(obs([0, 0, 0], [0.5, 0.5, 0.5]), paired).accepted).toBe(false); // p = 1/8
    const d = decideGate(obs([0, 0, 0, 0, 0], [0.5, 0.5, 0.5, 0.5, 0.5]), paired); // p = 1/32
    expect(d.accepted).toBe(true);
    expect(d.pValue).toBeCloseTo(1 / 32, 12);
  });
});

describe('decideGate: bad input is a rejection, never a throw', () => {
  for (const config of [strict, paired]) {
    it(`${config.mode}: empty input`, () => {
      const d = decideGate([], config);
      expect(d.accepted).toBe(false);
      expect(d.nTasks).toBe(0);
      expect(d.reason).toContain('no val observations');
    });

    it(`${config.mode}: the same task and sample twice`, () => {
      const d = decideGate(
        [
          { taskId: 'a', sampleIndex: 0, incumbent: 0, candidate: 1 },
          { taskId: 'a', sampleIndex: 0, incumbent: 0, candidate: 1 },
        ],
        config,
      );
      expect(d.accepted).toBe(false);
      expect(d.reason).toContain('task a sample 0 appears more than once');
    });

    it(`${config.mode}: a missing or out-of-range score`, () => {
      const missing = decideGate(obs([0, 0, 0], [1, Number.NaN, 1]), config);
      expect(missing.accepted).toBe(false);
      expect(missing.reason).toContain('task t1 sample 0 lacks a paired score');
      expect(decideGate(obs([0], [1.5]), config).accepted).toBe(false);
    });
  }

  it('an unusable alpha rejects with the key named', () => {
    const d = decideGate(obs([0, 0], [1, 1]), { ...paired, alpha: 0 });
    expect(d.accepted).toBe(false);
    expect(d.reason).toContain('gate alpha 0');
  });
});
