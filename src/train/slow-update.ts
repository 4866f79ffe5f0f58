import type { Task } from '../tasks/types.js';
import type { ModelBackend } from '../models/types.js';
import { createRng, seedFrom, shuffled } from '../core/rng.js';
import { extractLastJsonObject } from '../judges/json-extract.js';
import { REPLY_SCHEMAS } from '../judges/reply-schemas.js';
import { readProtectedContent, writeProtectedContent } from '../skills/protected-region.js';
import { decideGate } from './gate.js';
import { attemptTask, isRateLimit, settleAttempts, type EvaluateDeps, type Evaluation } from './evaluate.js';
import { DEFAULT_MAX_MISSING_SHARE, undecidedReason } from './missing.js';
import { replyHead } from './reply-head.js';
import { META_SYSTEM, SLOW_UPDATE_SYSTEM, renderRejected, renderSlowUpdateUser, type ComparisonPair, type RejectedStep } from './render.js';
import type { TrainerConfig } from './config.js';
import type { StepRecord } from './types.js';
import { emptyStep } from './step-record.js';
import { pairObservations } from './pairing.js';

/** What the slow update is given. */
interface SlowUpdateInput {
  epoch: number;
  step: number;
  previousSkill: string;
  currentSkill: string;
  currentVal: Evaluation;
  train: readonly Task[];
  config: TrainerConfig;
  evalDeps: EvaluateDeps;
  optimizer: ModelBackend;
  evalVal: (skill: string) => Promise<Evaluation>;
  /** Spend this decision's share of the night's alpha (when it reaches the gate) or hand it on (when it does not). */
  spendAlpha?: () => number;
  forgoAlpha?: () => void;
  /** Val tasks x samples: what a gate decision should rest on. */
  expectedValPairs: number;
}

type SlowUpdateOutcome = { record: StepRecord; accepted?: { skill: string; val: Evaluation } };

/**
 * Epoch-end slow update: compare the epoch's starting and current skill on a sample of train tasks,
 * ask for strategic guidance, write it inside the protected region, and gate it like any edit. A rate limit (on its
 * rollouts or its call) costs the epoch its slow update, before its gate spent anything, not the night.
 */
export async function runSlowUpdate(input: SlowUpdateInput): Promise<SlowUpdateOutcome> {
  try {
    return await slowUpdate(input);
  } catch (caught) {
    if (!isRateLimit(caught)) throw caught;
    input.forgoAlpha?.();
    const message = (caught as Error).message;
    const record = emptyStep({ epoch: input.epoch, step: input.step, kind: 'slow_update', valAfter: input.currentVal.mean, skill: input.currentSkill });
    return { record: { ...record, reflections: { calls: 1, unusable: 1, proposed: 0, problems: [`slow update: call failed: ${message}`] }, note: `slow update skipped: ${message}` } };
  }
}

async function slowUpdate(input: SlowUpdateInput): Promise<SlowUpdateOutcome> {
  const sample = shuffled(input.train, createRng(seedFrom(input.config.seed, 2000 * input.epoch))).slice(0, input.config.slowUpdateSamples);
  const sampleIndex = 2000 + input.epoch;
  const settle = (skill: string) => settleAttempts(sample.map((t) => ({ taskId: t.id, sampleIndex, run: attemptTask(t, skill, sampleIndex, input.evalDeps) })));
  const [before, after] = await Promise.all([settle(input.previousSkill), settle(input.currentSkill)]);
  // A task whose call went missing on either side is left out of the comparison.
  const afterById = new Map(after.attempts.map((a) => [a.taskId, a]));
  const compared = before.attempts.flatMap((b) => {
    const a = afterById.get(b.taskId);
    return a ? [{ b, a }] : [];
  });
  const pairs: ComparisonPair[] = compared.map(({ b, a }) => {
    const pb = b.verdict.hard === 1;
    const pa = a.verdict.hard === 1;
    const category = pb && pa ? 'stable_success' : !pb && pa ? 'improved' : pb && !pa ? 'regressed' : 'persistent_fail';
    return { category, before: b, after: a };
  });
  const guidanceNow = readProtectedContent(input.currentSkill) ?? '';
  const reply = await input.optimizer.complete({
    system: SLOW_UPDATE_SYSTEM,
    user: renderSlowUpdateUser({ previousSkill: input.previousSkill, currentSkill: input.currentSkill, guidance: guidanceNow, pairs }),
    purpose: 'slow_update',
    jsonSchema: REPLY_SCHEMAS.slowUpdate,
    ...(input.evalDeps.signal ? { signal: input.evalDeps.signal } : {}),
  });
  const record: StepRecord = {
    ...emptyStep({ epoch: input.epoch, step: input.step, kind: 'slow_update', valAfter: input.currentVal.mean, skill: input.currentSkill }),
    rollout: { n: pairs.length, failed: pairs.filter((p) => p.after.verdict.hard === 0).length, score: 0 },
    reflections: { calls: 1, unusable: 0, proposed: 0, problems: [] },
  };
  // The last object with a guidance string, after any reasoning block (a draft there is not the answer).
  const parsed = extractLastJsonObject(reply.text, (v) => typeof v['guidance'] === 'string');
  const guidance = parsed.ok ? String(parsed.value['guidance']).trim() : null;
  if (guidance === null) {
    record.reflections.unusable = 1;
    record.reflections.firstUnusable = replyHead(reply.text);
    record.reflections.problems.push(`slow update: unusable reply: ${parsed.ok ? 'no "guidance" string' : parsed.reason.replace('no suitable JSON object', 'no JSON object with a "guidance" string')}`);
    input.forgoAlpha?.();
    return { record };
  }
  if (guidance === '' || guidance === guidanceNow.trim()) {
    input.forgoAlpha?.();
    return { record: { ...record, note: 'no new guidance' } };
  }
  const candidate = writeProtectedContent(input.currentSkill, guidance);
  const edit = { op: 'replace' as const, anchor: guidanceNow || 'slow-update guidance block (empty)', content: guidance, rationale: 'epoch-end slow update: guidance inside the protected region' };
  const candidateVal = await input.evalVal(candidate);
  const undecided = undecidedReason(input.currentVal, candidateVal, input.expectedValPairs, input.config.maxMissingShare ?? DEFAULT_MAX_MISSING_SHARE);
  if (undecided) {
    // No decision was made, so this decision's share of alpha is handed on.
    input.forgoAlpha?.();
    return { record: { ...record, action: 'undecided', reflections: { ...record.reflections, proposed: 1 }, note: undecided } };
  }
  const level = input.spendAlpha ? input.spendAlpha() : input.config.gate.alpha;
  const gate = decideGate(pairObservations(input.currentVal, candidateVal), { ...input.config.gate, alpha: level });
  const status = gate.accepted ? ('accepted' as const) : ('rejected' as const);
  const next: StepRecord = {
    ...record,
    action: status,
    reflections: { ...record.reflections, proposed: 1 },
    edits: [{ edit, sourceType: 'failure', support: pairs.length, status, outcome: { status: 'applied', match: 'exact' } }],
    gate,
    valAfter: gate.accepted ? candidateVal.mean : input.currentVal.mean,
  };
  return gate.accepted ? { record: next, accepted: { skill: candidate, val: candidateVal } } : { record: next };
}

/** Optimizer-side notes on which edits helped or hurt; shown to later reflections, never to the target. */
export async function writeMetaNotes(optimizer: ModelBackend, rejected: readonly RejectedStep[], steps: readonly StepRecord[], previous: string): Promise<string> {
  const accepted = steps.flatMap((s) => s.edits.filter((e) => e.status === 'accepted').map((e) => `- [${e.edit.op}] ${JSON.stringify(e.edit.content ?? '')}${e.contribution !== undefined ? ` (contribution ${e.contribution.toFixed(3)})` : ''}`));
  const user = [
    `## Previous notes\n${previous || '(none)'}`,
    `## Accepted edits\n${accepted.join('\n') || '(none)'}`,
    `## Rejected edits earlier in this run\n${renderRejected(rejected) || '(none)'}`,
  ].join('\n\n');
  try {
    const reply = await optimizer.complete({ system: META_SYSTEM, user, purpose: 'meta', jsonSchema: REPLY_SCHEMAS.metaNotes });
    const parsed = extractLastJsonObject(reply.text, (v) => typeof v['notes'] === 'string');
    const notes = parsed.ok ? parsed.value['notes'] : undefined;
    return typeof notes === 'string' && notes.trim() ? notes.trim() : previous;
  } catch {
    // Meta notes are an optimisation; losing them must not fail the night.
    return previous;
  }
}
