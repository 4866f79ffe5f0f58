import { mean, sampleStdDev, tQuantile } from './stats.js';
import { signFlipPValue } from './sign-flip.js';

/** 'strict' is the paper's gate (strictly higher mean); 'paired' is our noise-aware paired test. */
export type GateMode = 'strict' | 'paired';

/** Gate settings; `minDelta`, `noRegression` and `regressionTolerance` only bind in paired mode. */
export interface GateConfig {
  mode: GateMode;
  /** One-sided significance level of the paired test. */
  alpha: number;
  /** Smallest mean paired improvement worth accepting. */
  minDelta: number;
  /** Reject when any task's delta falls below -regressionTolerance. */
  noRegression: boolean;
  regressionTolerance: number;
  /**
   * The exchangeable unit of the paired test. 'sample': each (task, sample) pair, valid when samples are
   * independent draws (a target at temperature > 0, the simulator). 'task': per-task means, for targets that
   * answer deterministically (temperature 0), where repeated samples are copies and must not count twice.
   */
  unit?: 'sample' | 'task';
}

/** One val task sample scored with both skills (same task, same sample index); scores in [0, 1]. */
export interface GateObservation {
  taskId: string;
  sampleIndex: number;
  incumbent: number;
  candidate: number;
}

/** A task's scores averaged over its samples, and the candidate-minus-incumbent difference. */
export interface TaskDelta {
  taskId: string;
  incumbent: number;
  candidate: number;
  delta: number;
}

/** The gate's verdict with every number behind it, ready for the report. */
export interface GateDecision {
  accepted: boolean;
  mode: GateMode;
  incumbentMean: number;
  candidateMean: number;
  meanDelta: number;
  stdError: number | null;
  /** t-based noise threshold t_{1-alpha,n-1}*SE, shown in reports as the size of the noise. */
  threshold: number | null;
  /** One-sided p-value of the paired sign-flip test that decides (paired mode). */
  pValue: number | null;
  nTasks: number;
  nSamples: number;
  /** Task ids whose delta is below -regressionTolerance (reported in both modes). */
  regressions: string[];
  reason: string;
  perTask: TaskDelta[];
}

/** Our default: the paired gate at alpha 0.05, no minimum gain, per-task regressions allowed. */
export const DEFAULT_GATE_CONFIG: GateConfig = {
  mode: 'paired',
  alpha: 0.05,
  minDelta: 0,
  noRegression: false,
  regressionTolerance: 0,
  unit: 'sample',
};

type Grouped = { ok: true; perTask: TaskDelta[] } | { ok: false; reason: string };

/** Checks pairing and averages samples per task, in first-seen task order. */
function groupByTask(observations: readonly GateObservation[]): Grouped {
  if (observations.length === 0) return { ok: false, reason: 'rejected: no val observations to compare, so nothing was measured' };
  const seen = new Set<string>();
  const byTask = new Map<string, { inc: number[]; cand: number[] }>();
  for (const o of observations) {
    const key = JSON.stringify([o.taskId, o.sampleIndex]);
    if (seen.has(key)) {
      return { ok: false, reason: `rejected: task ${o.taskId} sample ${o.sampleIndex} appears more than once, so the observations do not pair` };
    }
    seen.add(key);
    if (!isScore(o.incumbent) || !isScore(o.candidate)) {
      return {
        ok: false,
        reason: `rejected: task ${o.taskId} sample ${o.sampleIndex} lacks a paired score in [0, 1] (incumbent ${o.incumbent}, candidate ${o.candidate})`,
      };
    }
    let bucket = byTask.get(o.taskId);
    if (!bucket) {
      bucket = { inc: [], cand: [] };
      byTask.set(o.taskId, bucket);
    }
    bucket.inc.push(o.incumbent);
    bucket.cand.push(o.candidate);
  }
  const perTask: TaskDelta[] = [];
  for (const [taskId, { inc, cand }] of byTask) {
    const incumbent = mean(inc);
    const candidate = mean(cand);
    perTask.push({ taskId, incumbent, candidate, delta: candidate - incumbent });
  }
  return { ok: true, perTask };
}

function isScore(value: number): boolean {
  return Number.isFinite(value) && value >= 0 && value <= 1;
}

/** Explains a config that cannot be used; null when it is fine. */
function checkConfig(config: GateConfig): string | null {
  if (config.mode !== 'strict' && config.mode !== 'paired') return `rejected: unknown gate mode ${String(config.mode)}`;
  if (config.mode === 'strict') return null;
  if (!(config.alpha > 0 && config.alpha < 1)) return `rejected: gate alpha ${config.alpha} must lie strictly between 0 and 1`;
  if (!Number.isFinite(config.minDelta)) return `rejected: gate minDelta ${config.minDelta} is not a number`;
  if (!(config.regressionTolerance >= 0)) return `rejected: gate regressionTolerance ${config.regressionTolerance} must be 0 or more`;
  return null;
}

const f3 = (x: number): string => x.toFixed(3);
const signed = (x: number): string => (x >= 0 ? `+${f3(x)}` : f3(x));
const tasks = (n: number): string => (n === 1 ? '1 task' : `${n} tasks`);

/**
 * Decides whether the candidate skill replaces the incumbent, from paired val scores.
 * strict: accept iff the candidate's mean is strictly higher (ties rejected, no epsilon).
 * paired: per-task deltas d_i; accept iff mean d > 0, the one-sided sign-flip p-value <= alpha (exact under a
 * no-op edit, so false accepts stay at or below alpha even on pass/fail scores), mean d >= minDelta and,
 * with noRegression, no d_i < -regressionTolerance. The t-based threshold is reported as the noise size.
 * Means are over per-task means, so a task with more samples does not weigh more. Never throws: empty,
 * unpaired or out-of-range input and unusable config are rejections with a reason.
 */
export function decideGate(observations: readonly GateObservation[], config: GateConfig): GateDecision {
  const configProblem = checkConfig(config);
  const grouped = groupByTask(observations);
  if (configProblem !== null || !grouped.ok) {
    const reason = configProblem ?? (grouped.ok ? '' : grouped.reason);
    return {
      accepted: false,
      mode: config.mode,
      incumbentMean: Number.NaN,
      candidateMean: Number.NaN,
      meanDelta: Number.NaN,
      stdError: null,
      threshold: null,
      pValue: null,
      nTasks: 0,
      nSamples: observations.length,
      regressions: [],
      reason,
      perTask: [],
    };
  }

  const perTask = grouped.perTask;
  const n = perTask.length;
  const incumbentMean = mean(perTask.map((t) => t.incumbent));
  const candidateMean = mean(perTask.map((t) => t.candidate));
  const deltas = perTask.map((t) => t.delta);
  const meanDelta = mean(deltas);
  const regressions = perTask.filter((t) => t.delta < -config.regressionTolerance).map((t) => t.taskId);
  const base = {
    mode: config.mode,
    incumbentMean,
    candidateMean,
    meanDelta,
    nTasks: n,
    nSamples: observations.length,
    regressions,
    perTask,
  };

  if (config.mode === 'strict') {
    const accepted = candidateMean > incumbentMean;
    const relation = accepted ? 'is strictly above' : candidateMean === incumbentMean ? 'ties' : 'is below';
    const tail = accepted ? '' : candidateMean === incumbentMean ? ', and strict mode rejects ties' : '';
    const reason = `${accepted ? 'accepted' : 'rejected'}: candidate mean ${f3(candidateMean)} ${relation} the incumbent mean ${f3(incumbentMean)} over ${tasks(n)} (strict mode)${tail}`;
    return { ...base, accepted, stdError: null, threshold: null, pValue: null, reason };
  }

  const sd = n >= 2 ? sampleStdDev(deltas) : Number.NaN;
  const stdError = n >= 2 ? sd / Math.sqrt(n) : null;
  const threshold = stdError === null || stdError === 0 ? null : tQuantile(1 - config.alpha, n - 1) * stdError;
  const unit = config.unit ?? 'sample';
  const units = unit === 'sample' ? observations.map((o) => o.candidate - o.incumbent) : deltas;
  const pValue = signFlipPValue(units);
  const evidence = `sign-flip p ${pValue < 0.001 ? pValue.toExponential(1) : pValue.toFixed(3)} over ${unit === 'sample' ? `${units.length} paired samples` : tasks(n)}${threshold === null ? '' : `, noise threshold ${f3(threshold)}`}, alpha ${config.alpha}`;
  const changed = units.filter((d) => d !== 0).length;
  const smallest = 2 ** -changed;

  let accepted = false;
  let reason: string;
  if (!(meanDelta > 0)) {
    reason = `rejected: ${signed(meanDelta)} mean paired change over ${tasks(n)} is not an improvement`;
  } else if (!(pValue <= config.alpha)) {
    const tooSmall = smallest > config.alpha ? `; only ${changed} ${unit === 'sample' ? 'paired samples' : 'tasks'} changed, too few for the test to reach alpha, so more val tasks are needed` : '';
    reason = `rejected: ${signed(meanDelta)} mean paired improvement over ${tasks(n)} is within the noise (${evidence})${tooSmall}`;
  } else if (meanDelta < config.minDelta) {
    reason = `rejected: ${signed(meanDelta)} mean paired improvement over ${tasks(n)} is real (${evidence}) but below the minimum ${f3(config.minDelta)}`;
  } else if (config.noRegression && regressions.length > 0) {
    reason = `rejected: ${signed(meanDelta)} mean paired improvement over ${tasks(n)} is real (${evidence}) but ${regressionText(regressions, config)}`;
  } else {
    accepted = true;
    reason = `accepted: ${signed(meanDelta)} mean paired improvement over ${tasks(n)} exceeds the noise (${evidence})`;
  }
  return { ...base, accepted, stdError, threshold, pValue, reason };
}

function regressionText(regressions: readonly string[], config: GateConfig): string {
  const shown = regressions.slice(0, 5).join(', ');
  const more = regressions.length > 5 ? ` and ${regressions.length - 5} more` : '';
  const count = regressions.length === 1 ? '1 task regressed' : `${regressions.length} tasks regressed`;
  return `${count} by more than ${f3(config.regressionTolerance)} (${shown}${more})`;
}
