import type { Task } from '../tasks/types.js';
import type { ModelBackend } from '../models/types.js';
import type { Verdict } from '../judges/types.js';
import { judgeResponse, isUnscored } from '../judges/judge.js';
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
}

/** What evaluation needs: the target, the optimizer (for rubric judges) and the metric. */
export interface EvaluateDeps {
  target: ModelBackend;
  optimizer: ModelBackend;
  metric: GateMetric;
  mixedWeight: number;
  skillName: string;
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
export async function evaluateSkill(skill: string, skillHash: string, tasks: readonly Task[], samples: readonly number[], deps: EvaluateDeps): Promise<Evaluation> {
  const jobs = tasks.flatMap((task) => samples.map((s) => attemptTask(task, skill, s, deps)));
  const attempts = await Promise.all(jobs);
  return summarise(skillHash, attempts);
}

/** Aggregate attempts into per-task means (tasks whose judge is broken are left out of the score). */
export function summarise(skillHash: string, attempts: Attempt[]): Evaluation {
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
  };
}
