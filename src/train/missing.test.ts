import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainSkill } from './trainer.js';
import { DEFAULT_TRAINER_CONFIG } from './config.js';
import { settleAttempts, summarise, type Attempt } from './evaluate.js';
import { undecidedReason } from './missing.js';
import { parseTaskFile } from '../tasks/task-file.js';
import { createSimulatedTarget } from '../simulated/target.js';
import { createSimulatedOptimizer } from '../simulated/optimizer.js';
import { renderTaskUser } from './render.js';
import { ModelError } from '../models/error-map.js';
import type { ModelBackend } from '../models/types.js';

const rateLimited = () => new ModelError('RATE_LIMITED', 'openai model m: HTTP 429', { backend: 'openai', model: 'm' });
const attempt = (taskId: string, sampleIndex: number): Attempt => ({ taskId, prompt: 'p', response: 'r', toolCalls: [], verdict: { hard: 1, soft: 1, checks: [], feedback: [], broken: [] }, sampleIndex, score: 1, brokenJudge: false });

describe('settleAttempts', () => {
  it('records transient failures as missing samples and keeps the rest', async () => {
    const out = await settleAttempts([
      { taskId: 'a', sampleIndex: 0, run: Promise.resolve(attempt('a', 0)) },
      { taskId: 'a', sampleIndex: 1, run: Promise.reject(rateLimited()) },
    ]);
    expect(out.attempts).toHaveLength(1);
    expect(out.missing).toEqual([{ taskId: 'a', sampleIndex: 1, code: 'RATE_LIMITED', message: 'openai model m: HTTP 429' }]);
  });

  it('throws a failure that is not transient, and the first failure when nothing was measured', async () => {
    const auth = new ModelError('AUTH', 'bad key', { backend: 'openai', model: 'm' });
    await expect(settleAttempts([{ taskId: 'a', sampleIndex: 0, run: Promise.resolve(attempt('a', 0)) }, { taskId: 'b', sampleIndex: 0, run: Promise.reject(auth) }])).rejects.toBe(auth);
    await expect(settleAttempts([{ taskId: 'a', sampleIndex: 0, run: Promise.reject(rateLimited()) }])).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    // A train batch can come back empty instead; a failure that is not transient still throws.
    expect(await settleAttempts([{ taskId: 'a', sampleIndex: 0, run: Promise.reject(rateLimited()) }], { allMissingIsEmpty: true })).toMatchObject({ attempts: [], missing: [{ taskId: 'a', code: 'RATE_LIMITED' }] });
    await expect(settleAttempts([{ taskId: 'b', sampleIndex: 0, run: Promise.reject(auth) }], { allMissingIsEmpty: true })).rejects.toBe(auth);
    // A spent quota is a 429 that waiting does not fix: not a missing sample.
    const quota = new ModelError('RATE_LIMITED', 'quota', { backend: 'openai', model: 'm', retryable: false });
    await expect(settleAttempts([{ taskId: 'a', sampleIndex: 0, run: Promise.resolve(attempt('a', 0)) }, { taskId: 'b', sampleIndex: 0, run: Promise.reject(quota) }])).rejects.toBe(quota);
  });
});

describe('undecidedReason', () => {
  it('decides up to the allowed share of missing pairs, and is undecided above it', () => {
    const full = summarise('a', [attempt('t1', 0), attempt('t2', 0)]);
    const oneMissing = summarise('b', [attempt('t1', 0)], [{ taskId: 't2', sampleIndex: 0, code: 'RATE_LIMITED', message: '' }]);
    expect(undecidedReason(full, full, 2, 0.2)).toBeNull();
    expect(undecidedReason(full, oneMissing, 10, 0.2)).toBeNull();
    expect(undecidedReason(full, oneMissing, 2, 0.2)).toBe('undecided: 1 of 2 val samples missing (50% > 20%, RATE_LIMITED); the candidate was neither accepted nor remembered as rejected');
  });
});

/**
 * The analyst persona's skill, a noiseless simulated target that knows its tasks, rate-limited on every request
 * `fails` picks (`flaky`), and a training run on it with a given target and config (`train`).
 */
function analyst() {
  const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'personas', 'analyst');
  const tasks = parseTaskFile(readFileSync(join(dir, 'tasks.jsonl'), 'utf8'), 'tasks.jsonl').tasks;
  const skill = readFileSync(join(dir, 'skill.md'), 'utf8');
  const specs = new Map(tasks.map((t) => [renderTaskUser(t), t.simulation]));
  const sim = createSimulatedTarget({ followRate: 1, slipRate: 0, seed: 7, lookup: (u) => specs.get(u) });
  const flaky = (fails: (request: Parameters<ModelBackend['complete']>[0]) => boolean): ModelBackend => ({
    backend: 'flaky',
    model: 'm',
    complete: async (request) => {
      if (fails(request)) throw rateLimited();
      return sim.complete(request);
    },
  });
  const train = (target: ModelBackend, config: Partial<typeof DEFAULT_TRAINER_CONFIG>) =>
    trainSkill(tasks, skill, { ...DEFAULT_TRAINER_CONFIG, batchSize: 8, ...config }, { target, optimizer: createSimulatedOptimizer({ seed: 11, uselessRate: 0, harmfulRate: 0 }), skillName: 'analyst' });
  return { skill, flaky, train };
}

describe('trainSkill with a rate-limited provider', () => {
  it('marks a gate with too many missing val samples undecided, keeps the incumbent, and completes', async () => {
    const { skill, flaky, train } = analyst();
    let n = 0;
    // Every other val call of any candidate skill keeps failing: half its val samples go missing.
    const target = flaky((request) => request.skill?.text !== skill && (request.sampleIndex ?? 0) < 1000 && n++ % 2 === 0);
    const result = await train(target, { slowUpdate: false });
    expect(result.status).toBe('completed');
    const undecided = result.steps.filter((s) => s.action === 'undecided');
    expect(undecided.length).toBeGreaterThan(0);
    expect(undecided[0]?.note).toMatch(/^undecided: \d+ of \d+ val samples missing/);
    expect(undecided.flatMap((s) => s.edits).some((e) => e.status === 'undecided')).toBe(true);
    expect(result.steps.every((s) => s.action !== 'accepted')).toBe(true);
    expect(result.best.skill).toBe(skill);
    expect(result.evaluations.baselineVal.missing).toEqual([]);
  });

  it('marks a gate undecided when every val sample of the candidate went missing, and completes', async () => {
    const { skill, flaky, train } = analyst();
    const result = await train(flaky((request) => request.skill?.text !== skill && (request.sampleIndex ?? 0) < 1000), { slowUpdate: false, attribution: false });
    expect(result.status).toBe('completed');
    expect(result.steps.filter((s) => s.action === 'undecided').length).toBeGreaterThan(0);
    expect(result.steps.find((s) => s.action === 'undecided')?.note).toMatch(/val samples missing \(100% > 20%/);
    expect(result.best.skill).toBe(skill);
  });

  it('skips a step whose whole train batch was rate-limited instead of failing the night', async () => {
    const { flaky, train } = analyst();
    // The first step's train rollouts (sample index 1001) all keep failing; everything else answers.
    const result = await train(flaky((request) => request.sampleIndex === 1001), { slowUpdate: false });
    expect(result.status).toBe('completed');
    const first = result.steps.find((s) => s.step === 1);
    expect(first).toMatchObject({ action: 'skipped_no_edits', rollout: null, edits: [] });
    expect(first?.note).toMatch(/^every rollout of the batch failed \(\d+ missing: RATE_LIMITED\)/);
    // Later steps still learn.
    expect(result.steps.some((s) => s.action === 'accepted')).toBe(true);
  });

  it("skips an epoch's slow update whose rollouts were all rate-limited, and completes", async () => {
    const { flaky, train } = analyst();
    // The slow update's rollouts (sample indices from 2000) all keep failing; everything else answers.
    const result = await train(flaky((request) => (request.sampleIndex ?? 0) >= 2000), { slowUpdate: true });
    expect(result.status).toBe('completed');
    const slow = result.steps.filter((s) => s.kind === 'slow_update');
    expect(slow.length).toBeGreaterThan(0);
    expect(slow[0]).toMatchObject({ action: 'skipped_no_edits', rollout: null });
    expect(slow[0]?.note).toMatch(/^slow update skipped: openai model m: HTTP 429/);
  });
});
