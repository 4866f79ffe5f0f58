import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainSkill } from './trainer.js';
import { DEFAULT_TRAINER_CONFIG, type TrainerConfig } from './config.js';
import { parseTaskFile } from '../tasks/task-file.js';
import { createSimulatedTarget } from '../simulated/target.js';
import { createSimulatedOptimizer } from '../simulated/optimizer.js';
import { renderTaskUser } from './render.js';
import type { Task } from '../tasks/types.js';
import { SkillOptError } from '../core/errors.js';

const root = join(import.meta.dirname, '..', '..', 'fixtures', 'personas');

function persona(name: string): { tasks: Task[]; skill: string } {
  const parsed = parseTaskFile(readFileSync(join(root, name, 'tasks.jsonl'), 'utf8'), `${name}/tasks.jsonl`);
  expect(parsed.problems).toEqual([]);
  return { tasks: parsed.tasks, skill: readFileSync(join(root, name, 'skill.md'), 'utf8') };
}

function backends(tasks: Task[], opts: { followRate?: number; slipRate?: number; harmfulRate?: number; uselessRate?: number } = {}) {
  const specs = new Map(tasks.map((t) => [renderTaskUser(t), t.simulation]));
  return {
    target: createSimulatedTarget({ followRate: opts.followRate ?? 0.92, slipRate: opts.slipRate ?? 0.03, seed: 7, lookup: (u) => specs.get(u) }),
    optimizer: createSimulatedOptimizer({ seed: 11, uselessRate: opts.uselessRate ?? 0.3, harmfulRate: opts.harmfulRate ?? 0.1 }),
  };
}

const config: TrainerConfig = { ...DEFAULT_TRAINER_CONFIG, epochs: 3, batchSize: 8 };

describe('trainSkill on the simulated backend', () => {
  for (const name of ['programmer', 'researcher', 'analyst']) {
    it(`raises the held-out test score for the ${name} persona`, async () => {
      const { tasks, skill } = persona(name);
      const result = await trainSkill(tasks, skill, config, { ...backends(tasks), skillName: name });
      expect(result.status).toBe('completed');
      expect(result.best.test).not.toBeNull();
      expect(result.best.test!).toBeGreaterThan(result.baseline.test!);
      expect(result.best.val).toBeGreaterThan(result.baseline.val);
      // val and test never overlap train
      const train = new Set(result.splits.train);
      expect(result.splits.val.some((id) => train.has(id))).toBe(false);
      expect(result.splits.test.some((id) => train.has(id))).toBe(false);
    });
  }

  it('never lets a harmful edit into the skill', async () => {
    const { tasks, skill } = persona('harmful-edit');
    const result = await trainSkill(tasks, skill, config, { ...backends(tasks, { harmfulRate: 0.6 }), skillName: 'harm' });
    const harmfulProposed = result.steps.flatMap((s) => s.edits).filter((e) => /as few words as possible|answer freely/i.test(e.edit.content ?? ''));
    expect(harmfulProposed.length).toBeGreaterThan(0);
    expect(harmfulProposed.every((e) => e.status !== 'accepted')).toBe(true);
    expect(result.best.skill).not.toMatch(/as few words as possible|answer freely/i);
  });
});

describe('trainSkill stops honestly', () => {
  it('finishes the step in flight and stops when the budget says so, without a test score', async () => {
    const { tasks, skill } = persona('programmer');
    let checks = 0;
    const result = await trainSkill(tasks, skill, { ...config, epochs: 5 }, { ...backends(tasks), skillName: 'p', shouldStop: () => (++checks > 1 ? 'token budget spent (40000 of 40000)' : null) });
    expect(result.status).toBe('budget_exhausted');
    expect(result.stopReason).toMatch(/token budget/);
    expect(result.steps.filter((s) => s.kind === 'step')).toHaveLength(1);
    expect(result.best.test).toBeNull();
    expect(result.skipped).toEqual(['the slow update and meta notes of epoch 1; 4 more training step(s)', 'the held-out test evaluation (no headline score)']);
  });

  it('fails with the error when every reflection call fails, instead of reporting no edits', async () => {
    const { tasks, skill } = persona('programmer');
    const { target } = backends(tasks);
    const broken = {
      backend: 'openai',
      model: 'gpt-x',
      complete: async () => {
        throw new SkillOptError('UNAVAILABLE', 'openai gpt-x: 503 Service Unavailable', { hint: 'try again later' });
      },
    };
    const result = await trainSkill(tasks, skill, config, { target, optimizer: broken, skillName: 'p' });
    expect(result.status).toBe('failed');
    expect(result.error).toEqual({ code: 'UNAVAILABLE', message: 'openai gpt-x: 503 Service Unavailable', hint: 'try again later' });
    expect(result.best.skill).toBe(skill);
  });

  it('fails before scoring anything when the target fails on the baseline', async () => {
    const { tasks, skill } = persona('programmer');
    const { optimizer } = backends(tasks);
    const broken = { backend: 'openai', model: 'm', complete: async () => Promise.reject(new SkillOptError('AUTH', 'openai m: 401')) };
    const result = await trainSkill(tasks, skill, config, { target: broken, optimizer, skillName: 'p' });
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('AUTH');
    expect(Number.isNaN(result.baseline.val)).toBe(true);
    expect(result.steps).toEqual([]);
  });
});

describe('trainSkill cancellation', () => {
  it('stops at the next safe point when the signal aborts, with status cancelled and no test score', async () => {
    const { tasks, skill } = persona('researcher');
    const controller = new AbortController();
    const result = await trainSkill(tasks, skill, { ...config, epochs: 4 }, {
      ...backends(tasks),
      skillName: 'r',
      signal: controller.signal,
      onProgress: (e) => {
        if (e.kind === 'step') controller.abort(new Error('interrupted by SIGINT'));
      },
    });
    expect(result.status).toBe('cancelled');
    expect(result.steps.filter((s) => s.kind === 'step')).toHaveLength(1);
    expect(result.best.test).toBeNull();
  });
});

describe('trainSkill input checks', () => {
  it('refuses a task set with no val tasks, naming the fix', async () => {
    const { tasks, skill } = persona('analyst');
    const onlyTrain = tasks.slice(0, 3).map((t) => ({ ...t, split: 'train' as const }));
    await expect(trainSkill(onlyTrain, skill, config, { ...backends(tasks), skillName: 'a' })).rejects.toMatchObject({ code: 'INPUT', message: /no val tasks among 3/ });
  });
});
