import type { Task } from '../tasks/types.js';
import type { ModelBackend } from '../models/types.js';
import type { Verdict } from '../judges/types.js';
import { SkillOptError } from '../core/errors.js';
import { judgeResponse, isUnscored } from '../judges/judge.js';
import { seedFrom } from '../core/rng.js';
import { renderTargetSystem, renderTaskUser, type Trajectory } from './render.js';

/** Which verdict number the gate compares. */
export type GateMetric = 'hard' | 'soft' | 'mixed';

/** One scored attempt. */
export interface Attempt extends Trajectory {
  sampleIndex: number;
  score: number;
  /** Set when the judge itself was broken for this attempt (reported, not scored as a failure). */
  brokenJudge: boolean;
}

/** The scores of one skill on a set of tasks. */
export interface Evaluation {
  skillHash: string;
  attempts: Attempt[];
  /** Mean score per task over its samples. */
  perTask: Map<string, number>;
  /** Mean over tasks. */
  mean: number;
  /** Mean hard and soft over all attempts (for reports). */
  hard: number;
  soft: number;
  /** Samples whose call still failed after retries (rate limit, outage, time-out): not scored, not a 0. */
  missing: MissingSample[];
}

/** A sample the target could not be asked: recorded, left out of every score and every gate pair. */
export interface MissingSample {
  taskId: string;
  sampleIndex: number;
  code: string;
  message: string;
}

// Failures a later call may not have: the sample goes missing instead of ending the run.
const MISSABLE = new Set(['RATE_LIMITED', 'UNAVAILABLE', 'TIMEOUT', 'EMPTY_REPLY']);

/** A rate limit waiting would fix (not a spent quota): it slows a night down and never ends it. */
export function isRateLimit(error: unknown): boolean {
  return isMissable(error) && (error as SkillOptError).code === 'RATE_LIMITED';
}

/** True when a failed call only loses its sample (transient provider trouble), not the run. */
export function isMissable(error: unknown): boolean {
  return error instanceof SkillOptError && MISSABLE.has(error.code) && (error as { retryable?: unknown }).retryable !== false;
}

/**
 * Settle attempts: transient failures become missing samples; any other failure (auth, budget, deadline, cancel)
 * is thrown, and so is the first failure when every attempt failed (nothing was measured: never a score), unless
 * `allMissingIsEmpty` (a train batch: then no attempt at all is the answer).
 */
export async function settleAttempts(
  jobs: ReadonlyArray<{ taskId: string; sampleIndex: number; run: Promise<Attempt> }>,
  opts: { allMissingIsEmpty?: boolean } = {},
): Promise<{ attempts: Attempt[]; missing: MissingSample[] }> {
  const settled = await Promise.allSettled(jobs.map((j) => j.run));
  const attempts: Attempt[] = [];
  const missing: MissingSample[] = [];
  let firstError: unknown;
  settled.forEach((result, i) => {
    const job = jobs[i];
    if (!job) return;
    if (result.status === 'fulfilled') {
      attempts.push(result.value);
      return;
    }
    firstError ??= result.reason;
    if (!isMissable(result.reason)) return;
    const e = result.reason as SkillOptError;
    missing.push({ taskId: job.taskId, sampleIndex: job.sampleIndex, code: e.code, message: e.message });
  });
  const fatal = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !isMissable(r.reason));
  if (fatal) throw fatal.reason;
  // A score needs at least one attempt; a train batch (`allMissingIsEmpty`) can instead learn nothing this step.
  if (attempts.length === 0 && jobs.length > 0 && !opts.allMissingIsEmpty) throw firstError;
  return { attempts, missing };
}

/** What evaluation needs: the target, the optimizer (for rubric judges) and the metric. */
export interface EvaluateDeps {
  target: ModelBackend;
  optimizer: ModelBackend;
  metric: GateMetric;
  mixedWeight: number;
  skillName: string;
  /** The run seed: each (task, sample) gets the same request seed under every skill (common random numbers). */
  seed?: number;
  signal?: AbortSignal;
}

/** The gate score of one verdict. */
export function scoreOf(verdict: Verdict, metric: GateMetric, mixedWeight: number): number {
  switch (metric) {
    case 'hard':
      return verdict.hard;
    case 'soft':
      return verdict.soft;
    case 'mixed':
      return (1 - mixedWeight) * verdict.hard + mixedWeight * verdict.soft;
    default:
      metric satisfies never;
      return 0;
  }
}

/** Run one task once with a skill and judge the answer. Model errors propagate: they are never a score of 0. */
export async function attemptTask(task: Task, skill: string, sampleIndex: number, deps: EvaluateDeps): Promise<Attempt> {
  const response = await deps.target.complete({
    system: renderTargetSystem(skill),
    user: renderTaskUser(task),
    skill: { name: deps.skillName, text: skill },
    sampleIndex,
    ...(deps.seed !== undefined ? { seed: seedFrom(deps.seed, task.id, sampleIndex) } : {}),
    purpose: 'rollout',
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  const toolCalls = response.toolCalls ?? [];
  const verdict = await judgeResponse(task.judge, { response: response.text, toolCalls }, { optimizer: deps.optimizer });
  return {
    taskId: task.id,
    prompt: task.prompt,
    ...(task.context ? { context: task.context } : {}),
    response: response.text,
    toolCalls,
    verdict,
    sampleIndex,
    score: scoreOf(verdict, deps.metric, deps.mixedWeight),
    brokenJudge: isUnscored(verdict),
  };
}

/** Evaluate a skill on tasks with the given sample indices (same indices for every skill: paired by design). */
export async function evaluateSkill(skill: string, skillHash: string, tasks: readonly Task[], samples: readonly number[], deps: EvaluateDeps, opts: { allMissingIsEmpty?: boolean } = {}): Promise<Evaluation> {
  const jobs = tasks.flatMap((task) => samples.map((s) => ({ taskId: task.id, sampleIndex: s, run: attemptTask(task, skill, s, deps) })));
  const { attempts, missing } = await settleAttempts(jobs, opts);
  return summarise(skillHash, attempts, missing);
}

/** Aggregate attempts into per-task means (tasks whose judge is broken are left out of the score). */
export function summarise(skillHash: string, attempts: Attempt[], missing: MissingSample[] = []): Evaluation {
  const byTask = new Map<string, number[]>();
  for (const a of attempts) {
    if (a.brokenJudge) continue;
    const list = byTask.get(a.taskId) ?? [];
    list.push(a.score);
    byTask.set(a.taskId, list);
  }
  const perTask = new Map<string, number>();
  for (const [id, scores] of byTask) perTask.set(id, scores.reduce((x, y) => x + y, 0) / scores.length);
  const means = [...perTask.values()];
  const avg = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((x, y) => x + y, 0) / xs.length);
  return {
    skillHash,
    attempts,
    perTask,
    mean: avg(means),
    hard: avg(attempts.map((a) => a.verdict.hard)),
    soft: avg(attempts.map((a) => a.verdict.soft)),
    missing,
  };
}
