import { describe, it, expect } from 'vitest';
import { createAlphaSpender, planGatePower, stepBatchSize } from './night-plan.js';
import { editBudgetSequence } from './schedule.js';

describe('stepBatchSize', () => {
  it('gives a personal replay set three steps a night and keeps the paper batch for large sets', () => {
    const steps = (train: number) => Math.ceil(train / stepBatchSize(train, 40));
    expect(stepBatchSize(9, 40)).toBe(3);
    expect(steps(9)).toBe(3);
    expect(steps(12)).toBe(3);
    expect(steps(40)).toBe(3);
    expect(stepBatchSize(120, 40)).toBe(40);
    expect(steps(400)).toBe(10);
    // Tiny sets: never below three rollouts a step.
    expect(stepBatchSize(4, 40)).toBe(3);
    expect(steps(4)).toBe(2);
    // A configured batch smaller than the rule wins.
    expect(stepBatchSize(30, 5)).toBe(5);
  });

  it('lets the cosine schedule decay within one night of three steps', () => {
    expect(editBudgetSequence({ kind: 'cosine', max: 4, min: 2 }, 3)).toEqual([4, 2, 2]);
  });
});

describe('createAlphaSpender', () => {
  it('never spends more than alpha, and hands the share of a skipped decision on', () => {
    const s = createAlphaSpender(0.05, 4);
    expect(s.next()).toBeCloseTo(0.0125);
    s.forgo();
    const levels = [s.spend(), s.spend(), s.spend()];
    expect(levels[0]).toBeCloseTo(0.05 / 3);
    expect(levels.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(0.05 + 1e-12);
    // Past the plan it spends nothing more than what is left.
    expect(s.spend()).toBeLessThanOrEqual(1e-12);
  });
});

describe('planGatePower', () => {
  it('says plainly when a deterministic target on 3 val tasks can never pass, and what it needs', () => {
    const p = planGatePower({ valTasks: 3, valSamples: 3, unit: 'task', alpha: 0.05, decisions: 4, maxValSamples: 10 });
    expect(p.canDecide).toBe(false);
    expect(p.minPValue).toBe(0.125);
    expect(p.valSamples).toBe(3);
    expect(p.message).toBe(
      'this replay set cannot prove a gain yet: 3 val task(s) give a smallest possible p-value of 0.125, above the 0.0125 a decision may spend (alpha 0.05 over 4 decision(s) leaves 0.0125 each); it needs at least 7 val tasks (the target answers deterministically, so repeated samples are copies), or a larger alpha',
    );
  });

  it('adds samples for a stochastic target until a quarter of the units could reach the level', () => {
    const p = planGatePower({ valTasks: 5, valSamples: 3, unit: 'sample', alpha: 0.05, decisions: 4, maxValSamples: 10 });
    expect(p.canDecide).toBe(true);
    expect(p.valSamples).toBe(6);
    expect(p.units).toBe(30);
    expect(p.message).toMatch(/val samples raised from 3 to 6/);
    const enough = planGatePower({ valTasks: 20, valSamples: 3, unit: 'sample', alpha: 0.05, decisions: 4, maxValSamples: 10 });
    expect(enough.valSamples).toBe(3);
    expect(enough.message).toBeNull();
  });

  it('cannot decide with one val task even at the sample cap', () => {
    const p = planGatePower({ valTasks: 1, valSamples: 3, unit: 'sample', alpha: 0.05, decisions: 4, maxValSamples: 5 });
    expect(p.valSamples).toBe(5);
    expect(p.canDecide).toBe(false);
    expect(p.message).toMatch(/needs at least 2 val tasks at 5 samples each/);
  });
});
