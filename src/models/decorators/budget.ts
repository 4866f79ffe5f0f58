import { SkillOptError } from '../../core/errors.js';
import type { Clock } from '../../core/clock.js';
import { estimateTokens, type ChatRequest, type ChatResponse, type ModelBackend } from '../types.js';

/** A night's limits; any may be left out. */
export interface BudgetLimits {
  maxTokens?: number;
  maxMinutes?: number;
  maxCostUsd?: number;
  /** With a cost limit set, calls without a known price fail closed unless this is true. */
  allowUnpricedCalls?: boolean;
}

/** What has been spent so far, and against which limits. */
export interface BudgetSnapshot {
  used: {
    calls: number;
    inputTokens: number;
    outputTokens: number;
    tokens: number;
    costUsd: number;
    /** Calls whose cost is unknown (no price for the model); their cost is not in costUsd. */
    unpricedCalls: number;
    minutes: number;
  };
  limits: Omit<BudgetLimits, 'allowUnpricedCalls'>;
  exhausted: boolean;
  reason?: string;
  /** Present when a cost limit is set and some calls had no price. */
  note?: string;
}

/** The state the trainer checks between steps. */
export interface BudgetState {
  exhausted: boolean;
  reason?: string;
}

/** The night's budget: charge every provider reply, ask whether it is spent. */
export interface NightBudget {
  charge(response: ChatResponse): void;
  /** Spent at 1x the limits: finish the step in flight, gate it, stop. */
  exhausted(): BudgetState;
  /** Spent at `factor` x the limits, counting calls in flight and `pendingTokens` for the call about to start: refuse it. */
  overCeiling(factor: number, pendingTokens?: number): BudgetState;
  /** Hold an estimate for a call in flight until its reply is charged (release it then, or on failure). */
  reserve(tokens: number): () => void;
  snapshot(): BudgetSnapshot;
}

/** Start a night budget now (the clock marks the start for maxMinutes). */
export function createNightBudget(limits: BudgetLimits, clock: Clock): NightBudget {
  const startedAt = clock.now().getTime();
  const used = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpricedCalls: 0 };
  const minutes = (): number => (clock.now().getTime() - startedAt) / 60_000;
  const unpricedFailsClosed = (): boolean =>
    limits.maxCostUsd !== undefined && !limits.allowUnpricedCalls && used.unpricedCalls > 0;

  // Estimates of calls in flight: concurrent calls all pass a check before any of them is charged,
  // so the ceiling would not be hard without them.
  let reserved = 0;
  const check = (factor: number, pending = 0): BudgetState => {
    const spent = used.inputTokens + used.outputTokens;
    if (limits.maxTokens !== undefined && spent + pending >= limits.maxTokens * factor) {
      const inFlight = pending > 0 ? ` (+${pending} reserved for calls in flight or starting)` : '';
      return { exhausted: true, reason: `token budget spent: ${spent}${inFlight} of ${limits.maxTokens} tokens` };
    }
    if (limits.maxCostUsd !== undefined && used.costUsd >= limits.maxCostUsd * factor) {
      return { exhausted: true, reason: `cost budget spent: $${used.costUsd.toFixed(4)} of $${limits.maxCostUsd}` };
    }
    if (unpricedFailsClosed()) {
      return {
        exhausted: true,
        reason: `${used.unpricedCalls} call(s) had no known price, so the $${limits.maxCostUsd} cost budget cannot be kept (fail closed)`,
      };
    }
    const elapsed = minutes();
    if (limits.maxMinutes !== undefined && elapsed >= limits.maxMinutes * factor) {
      return { exhausted: true, reason: `time budget spent: ${elapsed.toFixed(1)} of ${limits.maxMinutes} minutes` };
    }
    return { exhausted: false };
  };

  return {
    charge(response: ChatResponse): void {
      // A replay-cache hit made no provider call and costs nothing.
      if (response.cached) return;
      used.calls += 1;
      used.inputTokens += response.usage.input;
      used.outputTokens += response.usage.output;
      if (response.costUsd === undefined) used.unpricedCalls += 1;
      else used.costUsd += response.costUsd;
    },
    exhausted: () => check(1),
    overCeiling: (factor: number, pendingTokens = 0) => check(factor, reserved + pendingTokens),
    reserve(tokens: number) {
      reserved += tokens;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        reserved -= tokens;
      };
    },
    snapshot(): BudgetSnapshot {
      const state = check(1);
      const snapshot: BudgetSnapshot = {
        used: { ...used, tokens: used.inputTokens + used.outputTokens, minutes: minutes() },
        limits: {
          ...(limits.maxTokens !== undefined ? { maxTokens: limits.maxTokens } : {}),
          ...(limits.maxMinutes !== undefined ? { maxMinutes: limits.maxMinutes } : {}),
          ...(limits.maxCostUsd !== undefined ? { maxCostUsd: limits.maxCostUsd } : {}),
        },
        exhausted: state.exhausted,
      };
      if (state.reason) snapshot.reason = state.reason;
      if (limits.maxCostUsd !== undefined && used.unpricedCalls > 0) {
        snapshot.note = `${used.unpricedCalls} call(s) had no known price; costUsd counts only priced calls`;
      }
      return snapshot;
    },
  };
}

/**
 * Charge every reply to the budget and refuse NEW calls with BUDGET_EXHAUSTED once usage passes
 * hardCeiling x the limits (default 1.25). Between 1x and the ceiling calls still run, so the step in flight
 * can finish and be gated; the trainer stops on budget.exhausted() between steps. With `admitOnly` it only refuses
 * (no reservation, no charge): the composition puts that gate outside the limiter and the full one inside it.
 */
export function withBudget(inner: ModelBackend, budget: NightBudget, options: { hardCeiling?: number; admitOnly?: boolean } = {}): ModelBackend {
  const hardCeiling = options.hardCeiling ?? 1.25;
  return {
    backend: inner.backend,
    model: inner.model,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      // What this call will likely cost: its prompt, and a reply of up to maxTokens (512 when unbounded).
      const estimate = estimateTokens(request.system) + estimateTokens(request.user) + Math.min(request.maxTokens ?? 512, 512);
      // The admission gate (outside the limiter) refuses only on what is spent or held by calls running now:
      // calls waiting for a slot reserve nothing, so a queue never looks like spending.
      const state = budget.overCeiling(hardCeiling, options.admitOnly ? 0 : estimate);
      if (state.exhausted) {
        throw new SkillOptError('BUDGET_EXHAUSTED', `${inner.backend} (${request.model ?? inner.model}): refused, ${state.reason ?? 'the night budget is spent'} (hard ceiling ${hardCeiling}x)`, {
          hint: 'raise the night budget in config (budget.maxTokens / maxMinutes / maxCostUsd), or let the next night continue',
        });
      }
      if (options.admitOnly) return inner.complete(request);
      const release = budget.reserve(estimate);
      try {
        const response = await inner.complete(request);
        budget.charge(response);
        return response;
      } finally {
        release();
      }
    },
  };
}
