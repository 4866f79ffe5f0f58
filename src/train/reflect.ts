import type { ModelBackend } from '../models/types.js';
import { createRng, shuffled } from '../core/rng.js';
import { parseReflectionReply } from '../judges/reflection-parse.js';
import { REPLY_SCHEMAS } from '../judges/reply-schemas.js';
import { reflectionSystem, renderReflectionUser, type RejectedStep, type Trajectory } from './render.js';
import type { ProposedEdit } from './merge.js';
import type { RememberedRejection } from './memory.js';
import { replyHead } from './reply-head.js';
import { isRateLimit } from './evaluate.js';

/** What one step's reflections produced. */
export interface ReflectionOutcome {
  calls: number;
  /** Replies that could not be used (not JSON, or a call that failed after retries). */
  unusable: number;
  proposals: ProposedEdit[];
  /** One line per unusable reply or dropped edit, for the report. */
  problems: string[];
  /** The head of the first reply that came back but could not be used (what the optimizer said instead). */
  firstUnusable?: string;
}

/** Reflect on a rolled-out batch: failure minibatches first, then successes, all calls in parallel. */
export async function reflectOnBatch(input: {
  failures: readonly Trajectory[];
  successes: readonly Trajectory[];
  skill: string;
  minibatchSize: number;
  maxEdits: number;
  rejected: readonly RejectedStep[];
  /** The rejected-edit memory from earlier nights. */
  remembered?: readonly RememberedRejection[];
  metaNotes: string;
  seed: number;
  optimizer: ModelBackend;
  signal?: AbortSignal;
}): Promise<ReflectionOutcome> {
  const rng = createRng(input.seed);
  const chunk = (items: readonly Trajectory[]) => {
    const order = shuffled(items, rng);
    const out: Trajectory[][] = [];
    for (let i = 0; i < order.length; i += Math.max(1, input.minibatchSize)) out.push(order.slice(i, i + input.minibatchSize));
    return out;
  };
  const jobs = [
    ...chunk(input.failures).map((mb) => ({ kind: 'failure' as const, mb })),
    ...chunk(input.successes).map((mb) => ({ kind: 'success' as const, mb })),
  ];
  const settled = await Promise.allSettled(
    jobs.map((job) =>
      input.optimizer.complete({
        system: reflectionSystem(job.kind),
        user: renderReflectionUser({
          skill: input.skill,
          budget: input.maxEdits,
          kind: job.kind,
          trajectories: job.mb,
          rejected: input.rejected,
          ...(input.remembered && input.remembered.length > 0 ? { remembered: input.remembered } : {}),
          ...(input.metaNotes ? { metaNotes: input.metaNotes } : {}),
        }),
        purpose: 'reflect',
        jsonSchema: REPLY_SCHEMAS.edits,
        ...(input.signal ? { signal: input.signal } : {}),
      }),
    ),
  );
  const outcome: ReflectionOutcome = { calls: jobs.length, unusable: 0, proposals: [], problems: [] };
  const errors: unknown[] = [];
  settled.forEach((result, minibatch) => {
    const job = jobs[minibatch];
    if (!job) return;
    if (result.status === 'rejected') {
      outcome.unusable++;
      errors.push(result.reason);
      outcome.problems.push(`${job.kind} minibatch ${minibatch}: call failed: ${(result.reason as Error)?.message ?? String(result.reason)}`);
      return;
    }
    const parsed = parseReflectionReply(result.value.text, { maxEdits: input.maxEdits });
    if (!parsed.ok) {
      outcome.unusable++;
      outcome.firstUnusable ??= replyHead(result.value.text);
      outcome.problems.push(`${job.kind} minibatch ${minibatch}: unusable reply: ${parsed.reason}`);
      return;
    }
    for (const d of parsed.dropped) outcome.problems.push(`${job.kind} minibatch ${minibatch}: edit ${d.index} dropped: ${d.reason}`);
    for (const edit of parsed.edits) outcome.proposals.push({ ...edit, sourceType: job.kind, minibatch });
  });
  // A backend that fails every call stops the night; it must never look like "no edits proposed". Rate limits
  // only cost this step its proposals (each is listed as a failed call): they slow a night down, never end it.
  if (jobs.length > 0 && errors.length === jobs.length && !errors.every(isRateLimit)) throw errors.find((e) => !isRateLimit(e));
  return outcome;
}
