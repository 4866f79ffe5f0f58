import type { Task } from '../tasks/types.js';
import type { Logger } from '../core/logger.js';
import type { ModelBackend } from '../models/types.js';
import { SkillOptError, isSkillOptError } from '../core/errors.js';
import { createRng, seedFrom, shuffled } from '../core/rng.js';
import { shortHash } from '../core/hash.js';
import { applyEdits } from '../skills/patch.js';
import { decideGate } from './gate.js';
import { pairObservations } from './pairing.js';
import { editBudgetAt } from './schedule.js';
import { assignSplits } from '../tasks/splits.js';
import { evaluateSkill, attemptTask, settleAttempts, summarise, type EvaluateDeps, type Evaluation } from './evaluate.js';
import { DEFAULT_MAX_MISSING_SHARE, undecidedReason } from './missing.js';
import { reflectOnBatch } from './reflect.js';
import { emptyStep } from './step-record.js';
import { mergeEdits, rankAndClip, type MergedEdit } from './merge.js';
import { attributeEdits } from './attribution.js';
import { createAlphaSpender, planGatePower, stepBatchSize, type GatePower } from './night-plan.js';
import type { RejectedEditMemory, RejectionEntry, RememberedRejection } from './memory.js';
import { runSlowUpdate, writeMetaNotes } from './slow-update.js';
import type { RejectedStep } from './render.js';
import type { TrainerConfig } from './config.js';
import type { EditRecord, StepRecord, TrainResult } from './types.js';

/** Progress events for a TTY (the trainer itself never prints). */
export type TrainProgress =
  | { kind: 'baseline'; val: number }
  | { kind: 'step'; epoch: number; step: number; totalSteps: number; action: string; val: number }
  | { kind: 'slow_update'; epoch: number; action: string; val: number }
  | { kind: 'test'; baseline: number; best: number };

/** What the trainer needs from outside. */
export interface TrainerDeps {
  target: ModelBackend;
  optimizer: ModelBackend;
  skillName: string;
  logger?: Logger;
  signal?: AbortSignal;
  /** Checked before each step: a reason to stop (budget spent, night window over) or null. */
  shouldStop?: () => string | null;
  onProgress?: (event: TrainProgress) => void;
  /** The rejected-edit memory across nights: shown to every reflection, fed with every rejection. */
  rejectedMemory?: RejectedEditMemory;
}

/** Most samples per val task the trainer adds on its own so a stochastic target's gate can reach alpha. */
export const MAX_AUTO_VAL_SAMPLES = 10;

/** Carried from one night to the next (optimizer-side memory). */
export interface TrainCarry {
  metaNotes?: string;
}

/** Train a skill on a task set: the SkillOpt loop with a paired gate and edit attribution. */
export async function trainSkill(tasks: readonly Task[], initialSkill: string, config: TrainerConfig, deps: TrainerDeps, carry: TrainCarry = {}): Promise<TrainResult> {
  const splits = assignSplits(tasks, { ...config.split, seed: config.seed });
  if (splits.val.length === 0 || splits.train.length === 0) {
    const missing = splits.val.length === 0 ? 'val' : 'train';
    throw new SkillOptError('INPUT', `no ${missing} tasks among ${tasks.length}: ${missing === 'val' ? 'the gate would have nothing to measure' : 'there is nothing to learn from'}`, {
      hint: `add tasks (12 or more give at least 3 val and 3 test), or set "split" on some tasks in the task file; mined families hold their later instances out once they have mine.minInstancesToHoldOut (5) instances, and \`skillopt-sleep mine\` lists the families still waiting and how many more each needs`,
    });
  }
  const evalDeps: EvaluateDeps = {
    target: deps.target,
    optimizer: deps.optimizer,
    metric: config.gateMetric,
    mixedWeight: config.mixedWeight,
    skillName: deps.skillName,
    seed: config.seed,
    ...(deps.signal ? { signal: deps.signal } : {}),
  };
  // The night's plan: steps sized to the replay set, alpha spread over its decisions, and whether the
  // val split can reach that level at all (more samples where the target is stochastic).
  const batchSize = stepBatchSize(splits.train.length, config.batchSize);
  const stepsPerEpoch = Math.max(1, Math.ceil(splits.train.length / batchSize));
  const totalSteps = config.epochs * stepsPerEpoch;
  const decisions = totalSteps + (config.slowUpdate ? config.epochs : 0);
  const unit = config.gate.unit ?? 'sample';
  const power: GatePower | null =
    config.gate.mode === 'paired'
      ? planGatePower({ valTasks: splits.val.length, valSamples: config.valSamples, unit, alpha: config.gate.alpha, decisions, maxValSamples: Math.max(config.valSamples, MAX_AUTO_VAL_SAMPLES) })
      : null;
  const plan: TrainResult['plan'] = { batchSize, stepsPerEpoch, totalSteps, decisions, power };
  if (power?.message) {
    if (power.canDecide) deps.logger?.info({ power }, power.message);
    else deps.logger?.warn({ power }, power.message);
  }
  const spender = createAlphaSpender(config.gate.alpha, decisions);
  const gateAt = (level: number) => ({ ...config.gate, alpha: level });
  const remembered: readonly RememberedRejection[] = deps.rejectedMemory?.recent() ?? [];
  const remember = (entries: RejectionEntry[]) => {
    if (!deps.rejectedMemory || entries.length === 0) return;
    try {
      deps.rejectedMemory.add(entries);
    } catch (caught) {
      // The memory is an optimisation for later nights; failing to write it must not lose this one.
      deps.logger?.warn({ err: caught }, 'could not store rejected edits');
    }
  };
  const valSamples = range(power?.valSamples ?? config.valSamples);
  const expectedValPairs = splits.val.length * valSamples.length;
  const maxMissingShare = config.maxMissingShare ?? DEFAULT_MAX_MISSING_SHARE;
  const valCache = new Map<string, Evaluation>();
  // A candidate whose val samples all went missing (rate limits) is undecided, not a failed night; the incumbent's
  // baseline must be measured. An evaluation with nothing in it is not kept for next time.
  const evalVal = async (skill: string, opts: { candidate?: boolean } = {}): Promise<Evaluation> => {
    const hash = shortHash(skill);
    const hit = valCache.get(hash);
    if (hit) return hit;
    const ev = await evaluateSkill(skill, hash, splits.val, valSamples, evalDeps, { allMissingIsEmpty: opts.candidate === true });
    if (ev.attempts.length > 0) valCache.set(hash, ev);
    return ev;
  };
  /** A candidate's val: its samples may all go missing (undecided then), where the incumbent's may not. */
  const evalCandidate = (skill: string) => evalVal(skill, { candidate: true });

  const steps: StepRecord[] = [];
  let metaNotes = carry.metaNotes ?? '';
  let status: TrainResult['status'] = 'completed';
  let stopReason: string | null = null;
  let error: TrainResult['error'] = null;

  let baselineVal: Evaluation;
  try {
    baselineVal = await evalVal(initialSkill);
  } catch (caught) {
    // Nothing was measured: report the error, never a score of 0.
    const failure = describeFailure(caught, deps.signal);
    const empty = summarise(shortHash(initialSkill), []);
    empty.mean = Number.NaN;
    return {
      ...failure,
      splits: { train: splits.train.map((t) => t.id), val: splits.val.map((t) => t.id), test: splits.test.map((t) => t.id) },
      baseline: { skill: initialSkill, val: Number.NaN, test: null },
      best: { skill: initialSkill, val: Number.NaN, test: null, step: 0 },
      steps: [],
      plan,
      skipped: ['the whole run: the baseline could not be measured'],
      metaNotes: carry.metaNotes ?? '',
      evaluations: { baselineVal: empty, bestVal: empty, baselineTest: null, bestTest: null },
    };
  }
  deps.onProgress?.({ kind: 'baseline', val: baselineVal.mean });
  let current = initialSkill;
  let currentVal = baselineVal;
  let best = { skill: initialSkill, val: baselineVal, step: 0 };

  let globalStep = 0;
  let scheduleCalls = 0;

  const stopNow = (): string | null => {
    if (deps.signal?.aborted) return 'cancelled';
    return deps.shouldStop?.() ?? null;
  };

  const skipped: string[] = [];
  /** At a safe point: stop when the budget or the person says so, and say what is left undone. */
  const halted = (what: string): boolean => {
    const reason = stopNow();
    if (!reason) return false;
    stopReason = reason;
    status = reason === 'cancelled' ? 'cancelled' : 'budget_exhausted';
    const left = totalSteps - globalStep;
    skipped.push(left > 0 && !what.includes('training step') ? `${what}; ${left} more training step(s)` : what);
    return true;
  };

  // The rejected-edit buffer lasts the whole run; earlier nights come from the memory.
  const buffer: RejectedStep[] = [];
  try {
    outer: for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const epochStart = current;
      const batches = planBatches(splits.train, batchSize, config.seed, epoch);
      for (const batch of batches) {
        if (halted(`${totalSteps - globalStep} of ${totalSteps} training step(s), with the slow update and meta notes of epoch ${epoch}`)) break outer;
        globalStep++;
        const record = await runStep({ epoch, step: globalStep, batch, current, currentVal, buffer, metaNotes });
        steps.push(record.step);
        if (record.accepted) {
          current = record.accepted.skill;
          currentVal = record.accepted.val;
          if (currentVal.mean > best.val.mean) best = { skill: current, val: currentVal, step: globalStep };
        }
        deps.onProgress?.({ kind: 'step', epoch, step: globalStep, totalSteps, action: record.step.action, val: currentVal.mean });
      }
      if (config.slowUpdate && splits.train.length > 0) {
        if (halted(`the slow update and meta notes of epoch ${epoch}`)) break outer;
        const slow = await runSlowUpdate({
          epoch,
          step: globalStep,
          previousSkill: epochStart,
          currentSkill: current,
          currentVal,
          train: splits.train,
          config,
          evalDeps,
          optimizer: deps.optimizer,
          evalVal: evalCandidate,
          spendAlpha: () => spender.spend(),
          forgoAlpha: () => spender.forgo(),
          expectedValPairs,
        });
        steps.push(slow.record);
        if (slow.record.action === 'rejected') {
          const e = slow.record.edits[0];
          if (e) remember([{ edit: e.edit, reason: 'gate', scoreDrop: dropOf(slow.record) }]);
        }
        if (slow.accepted) {
          current = slow.accepted.skill;
          currentVal = slow.accepted.val;
          if (currentVal.mean > best.val.mean) best = { skill: current, val: currentVal, step: globalStep };
        }
        deps.onProgress?.({ kind: 'slow_update', epoch, action: slow.record.action, val: currentVal.mean });
      }
      if (config.metaNotes) {
        if (halted(`the meta notes of epoch ${epoch}`)) break outer;
        metaNotes = await writeMetaNotes(deps.optimizer, buffer, steps, metaNotes);
      }
    }
  } catch (caught) {
    ({ status, stopReason, error } = describeFailure(caught, deps.signal));
    skipped.push(`everything after step ${globalStep} of ${totalSteps} (the step in flight was abandoned: ${stopReason ?? 'error'})`);
    deps.logger?.warn({ status, stopReason }, 'training stopped early');
  }
  // No headline without a finished run: a test score over a half-trained skill would mislead.
  if (status !== 'completed' && splits.test.length > 0) skipped.push('the held-out test evaluation (no headline score)');

  // The headline: best-by-val against the baseline on the held-out test split.
  let baselineTest: Evaluation | null = null;
  let bestTest: Evaluation | null = null;
  if (status === 'completed' && splits.test.length > 0) {
    try {
      const testSamples = range(config.testSamples);
      baselineTest = await evaluateSkill(initialSkill, shortHash(initialSkill), splits.test, testSamples, evalDeps);
      bestTest = best.skill === initialSkill ? baselineTest : await evaluateSkill(best.skill, shortHash(best.skill), splits.test, testSamples, evalDeps);
      deps.onProgress?.({ kind: 'test', baseline: baselineTest.mean, best: bestTest.mean });
    } catch (caught) {
      const e = caught as { code?: string; message?: string };
      status = isSkillOptError(caught, 'BUDGET_EXHAUSTED') ? 'budget_exhausted' : 'failed';
      error = { code: e.code ?? 'INTERNAL', message: `test evaluation: ${e.message ?? String(caught)}` };
      stopReason = error.message;
    }
  }

  return {
    status,
    stopReason,
    error,
    splits: { train: splits.train.map((t) => t.id), val: splits.val.map((t) => t.id), test: splits.test.map((t) => t.id) },
    baseline: { skill: initialSkill, val: baselineVal.mean, test: baselineTest?.mean ?? null },
    best: { skill: best.skill, val: best.val.mean, test: bestTest?.mean ?? null, step: best.step },
    steps,
    plan,
    skipped,
    metaNotes,
    evaluations: { baselineVal, bestVal: best.val, baselineTest, bestTest },
  };

  async function runStep(input: {
    epoch: number;
    step: number;
    batch: Task[];
    current: string;
    currentVal: Evaluation;
    buffer: RejectedStep[];
    metaNotes: string;
  }): Promise<{ step: StepRecord; accepted?: { skill: string; val: Evaluation } }> {
    // Planned decisions this step will not take hand their alpha to later ones.
    const skip = <T,>(result: T): T => {
      spender.forgo();
      return result;
    };
    // A rollout that kept failing (rate limit, outage) is missing: the step learns from the rest. When all of them
    // did, the step has nothing to reflect on and is skipped; rate limits slow a night down, they never fail it.
    const { attempts, missing } = await settleAttempts(
      input.batch.map((t) => ({ taskId: t.id, sampleIndex: 1000 + input.step, run: attemptTask(t, input.current, 1000 + input.step, evalDeps) })),
      { allMissingIsEmpty: true },
    );
    // What a step that proposes nothing records; the steps below fill in what they did.
    const blank = emptyStep({ epoch: input.epoch, step: input.step, kind: 'step', valAfter: input.currentVal.mean, skill: input.current });
    if (attempts.length === 0 && missing.length > 0) {
      const codes = [...new Set(missing.map((m) => m.code))].join(', ');
      return skip({ step: { ...blank, note: `every rollout of the batch failed (${missing.length} missing: ${codes}); nothing to reflect on this step` } });
    }
    const failed = attempts.filter((a) => a.verdict.hard === 0 && !a.brokenJudge);
    const succeeded = config.failureOnly ? [] : attempts.filter((a) => a.verdict.hard === 1);
    const reflection = await reflectOnBatch({
      failures: failed,
      successes: succeeded,
      skill: input.current,
      minibatchSize: config.minibatchSize,
      maxEdits: config.maxEditsPerReflection,
      rejected: input.buffer,
      remembered,
      metaNotes: input.metaNotes,
      seed: seedFrom(config.seed, input.epoch, input.step),
      optimizer: deps.optimizer,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    const base: StepRecord = {
      ...blank,
      rollout: { n: attempts.length, failed: failed.length, score: mean(attempts.map((a) => a.score)) },
      reflections: {
        calls: reflection.calls,
        unusable: reflection.unusable,
        proposed: reflection.proposals.length,
        problems: reflection.problems,
        ...(reflection.firstUnusable !== undefined ? { firstUnusable: reflection.firstUnusable } : {}),
      },
    };
    if (reflection.proposals.length === 0) return skip({ step: base });

    // Only steps that reach selection advance the schedule (as in the paper).
    scheduleCalls++;
    const budget = editBudgetAt(config.schedule, scheduleCalls, totalSteps);
    const merged = mergeEdits(reflection.proposals);
    const { selected, clipped } = rankAndClip(merged.merged, budget);
    const applied = applyEdits(input.current, selected);
    const records: EditRecord[] = [
      ...selected.map((e, i): EditRecord => {
        const outcome = applied.report[i]?.outcome;
        return { edit: e, sourceType: e.sourceType, support: e.support, status: outcome?.status === 'applied' ? 'rejected' : 'unmatched', ...(outcome ? { outcome } : {}) };
      }),
      ...clipped.map((e): EditRecord => ({ edit: e, sourceType: e.sourceType, support: e.support, status: 'clipped' })),
    ];
    const step: StepRecord = { ...base, budget, merged: merged.merged.length, edits: records };
    const appliedEdits = selected.filter((_, i) => applied.report[i]?.outcome.status === 'applied');
    if (appliedEdits.length === 0 || applied.text === input.current) {
      return skip({ step: { ...step, action: 'skipped_no_change', note: 'no edit could be applied' } });
    }

    const candidateVal = await evalCandidate(applied.text);
    const undecided = undecidedReason(input.currentVal, candidateVal, expectedValPairs, maxMissingShare);
    if (undecided) {
      // No decision was made: this step's share of alpha goes to later decisions.
      spender.forgo();
      for (const r of records) if (r.status === 'rejected') r.status = 'undecided';
      return { step: { ...step, action: 'undecided', note: undecided } };
    }
    const level = spender.spend();
    const gate = decideGate(pairObservations(input.currentVal, candidateVal), gateAt(level));
    step.gate = gate;
    if (!gate.accepted) {
      input.buffer.push({ step: input.step, scoreBefore: input.currentVal.mean, scoreAfter: candidateVal.mean, edits: appliedEdits, reason: gate.reason });
      remember(appliedEdits.map((edit) => ({ edit: plainEdit(edit), reason: 'gate', scoreDrop: input.currentVal.mean - candidateVal.mean })));
      return { step: { ...step, action: 'rejected', valAfter: input.currentVal.mean } };
    }

    let finalSkill = applied.text;
    let finalVal = candidateVal;
    let kept: MergedEdit[] = appliedEdits;
    if (config.attribution && appliedEdits.length > 1) {
      // A leave-one-out whose samples all went missing shows no contribution: the edit is dropped, never kept on no evidence.
      const attribution = await attributeEdits({ base: input.current, edits: appliedEdits, fullVal: candidateVal, incumbentVal: input.currentVal, gate: config.gate, alpha: level, unit, evalVal: evalCandidate });
      for (const r of records) {
        const c = attribution.contributions.get(r.edit as MergedEdit);
        if (c !== undefined) {
          r.contribution = c.mean;
          r.contributionTest = { low: c.low, high: c.high, pValue: c.pValue, level: c.level, n: c.n };
        }
      }
      step.gateAfterAttribution = attribution.gate;
      step.note = `attribution: ${attribution.note}`;
      kept = attribution.kept;
      finalSkill = attribution.skill;
      finalVal = attribution.val;
      const dropped = appliedEdits.filter((e) => !kept.includes(e));
      if (dropped.length > 0) {
        input.buffer.push({ step: input.step, scoreBefore: candidateVal.mean, scoreAfter: candidateVal.mean, edits: dropped, reason: 'attribution: removing it cost no significant drop' });
        remember(dropped.map((edit) => ({ edit: plainEdit(edit), reason: 'no_contribution', scoreDrop: -(attribution.contributions.get(edit)?.mean ?? 0) })));
      }
    }
    for (const r of records) {
      if (r.status !== 'rejected') continue;
      r.status = kept.includes(r.edit as MergedEdit) ? 'accepted' : 'dropped_by_attribution';
    }
    if (kept.length === 0) return { step: { ...step, action: 'rejected', valAfter: input.currentVal.mean } };
    return { step: { ...step, action: 'accepted', valAfter: finalVal.mean }, accepted: { skill: finalSkill, val: finalVal } };
  }

}

/** Turn what stopped a run into its status, reason and error (budget and cancellation are not failures). */
function describeFailure(caught: unknown, signal: AbortSignal | undefined): Pick<TrainResult, 'status' | 'stopReason' | 'error'> {
  if (isSkillOptError(caught, 'BUDGET_EXHAUSTED')) return { status: 'budget_exhausted', stopReason: caught.message, error: null };
  if (isSkillOptError(caught, 'CANCELLED') || signal?.aborted) return { status: 'cancelled', stopReason: 'cancelled', error: null };
  const e = caught as { code?: string; message?: string; hint?: string };
  const error = { code: e.code ?? 'INTERNAL', message: e.message ?? String(caught), ...(e.hint ? { hint: e.hint } : {}) };
  return { status: 'failed', stopReason: error.message, error };
}

/** Cut the train split into batches for one epoch (a seeded shuffle per epoch). */
export function planBatches(train: readonly Task[], batchSize: number, seed: number, epoch: number): Task[][] {
  if (train.length === 0) return [];
  const order = shuffled(train, createRng(seedFrom(seed, 1000 * epoch)));
  const out: Task[][] = [];
  for (let i = 0; i < order.length; i += batchSize) out.push(order.slice(i, i + batchSize));
  return out;
}

/** The edit as proposed (no merge bookkeeping), for the memory. */
function plainEdit(edit: MergedEdit): import('../skills/types.js').Edit {
  return { op: edit.op, ...(edit.anchor !== undefined ? { anchor: edit.anchor } : {}), ...(edit.content !== undefined ? { content: edit.content } : {}), ...(edit.rationale !== undefined ? { rationale: edit.rationale } : {}) };
}

/** Val points a rejected gated record cost (positive: it lowered the score). */
function dropOf(record: StepRecord): number | null {
  return record.gate ? record.gate.incumbentMean - record.gate.candidateMean : null;
}

function range(n: number): number[] {
  return Array.from({ length: Math.max(1, n) }, (_, i) => i);
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}
