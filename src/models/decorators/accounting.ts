import type { Clock } from '../../core/clock.js';
import { SkillOptError } from '../../core/errors.js';
import type { ChatRequest, ChatResponse, ModelBackend } from '../types.js';

/** One call as the ledger records it. */
export interface CallRecord {
  backend: string;
  model: string;
  purpose: string | undefined;
  inputTokens: number;
  outputTokens: number;
  estimated: boolean;
  cached: boolean;
  costUsd: number | undefined;
  durationMs: number | undefined;
  errorCode: string | undefined;
}

/** Totals for one group of calls. */
export interface CallTotals {
  calls: number;
  cachedCalls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  /** Sum over calls with a known price. */
  costUsd: number;
  unpricedCalls: number;
  estimatedCalls: number;
}

/** Totals overall, per purpose and per backend. */
export interface LedgerSummary {
  total: CallTotals;
  byPurpose: Record<string, CallTotals>;
  byBackend: Record<string, CallTotals>;
}

/** The call ledger: in-memory totals, optionally mirrored to the `model_calls` table. */
export interface CallLedger {
  record(call: CallRecord): void;
  summary(): LedgerSummary;
}

function emptyTotals(): CallTotals {
  return { calls: 0, cachedCalls: 0, errors: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpricedCalls: 0, estimatedCalls: 0 };
}

function add(totals: CallTotals, call: CallRecord): void {
  totals.calls += 1;
  if (call.errorCode) {
    totals.errors += 1;
    return;
  }
  if (call.cached) {
    // A cache hit spent nothing; its tokens were paid for on the night it was stored.
    totals.cachedCalls += 1;
    return;
  }
  totals.inputTokens += call.inputTokens;
  totals.outputTokens += call.outputTokens;
  if (call.estimated) totals.estimatedCalls += 1;
  if (call.costUsd === undefined) totals.unpricedCalls += 1;
  else totals.costUsd += call.costUsd;
}

/** One row of the call log (src/store/calls-repo.ts writes it to model_calls). */
export interface CallRow {
  nightId: number | null;
  backend: string;
  model: string;
  purpose: string | null;
  inputTokens: number;
  outputTokens: number;
  estimated: 0 | 1;
  cached: 0 | 1;
  costUsd: number | null;
  durationMs: number | null;
  errorCode: string | null;
  createdAt: string;
}

/** Where the ledger keeps every call. */
export interface CallSink {
  insert(row: CallRow): void;
}

/** Create a ledger; with a sink, every call is also stored (nightId links them to a night). */
export function createCallLedger(options: { sink?: CallSink; nightId?: number; clock: Clock }): CallLedger {
  const total = emptyTotals();
  const byPurpose = new Map<string, CallTotals>();
  const byBackend = new Map<string, CallTotals>();
  const insert = options.sink;
  const group = (map: Map<string, CallTotals>, key: string): CallTotals => {
    let totals = map.get(key);
    if (!totals) {
      totals = emptyTotals();
      map.set(key, totals);
    }
    return totals;
  };
  return {
    record(call: CallRecord): void {
      add(total, call);
      add(group(byPurpose, call.purpose ?? 'unspecified'), call);
      add(group(byBackend, call.backend), call);
      insert?.insert({
        nightId: options.nightId ?? null,
        backend: call.backend,
        model: call.model,
        purpose: call.purpose ?? null,
        inputTokens: call.cached ? 0 : call.inputTokens,
        outputTokens: call.cached ? 0 : call.outputTokens,
        estimated: call.estimated ? 1 : 0,
        cached: call.cached ? 1 : 0,
        costUsd: call.cached ? 0 : (call.costUsd ?? null),
        durationMs: call.durationMs ?? null,
        errorCode: call.errorCode ?? null,
        createdAt: options.clock.now().toISOString(),
      });
    },
    summary: () => ({
      total: { ...total },
      byPurpose: Object.fromEntries([...byPurpose].map(([k, v]) => [k, { ...v }])),
      byBackend: Object.fromEntries([...byBackend].map(([k, v]) => [k, { ...v }])),
    }),
  };
}

/** The ledger entry for a finished reply. */
export function callRecordOf(request: ChatRequest, response: ChatResponse, durationMs?: number): CallRecord {
  return {
    backend: response.backend,
    model: response.model,
    purpose: request.purpose,
    inputTokens: response.usage.input,
    outputTokens: response.usage.output,
    estimated: response.usage.estimated === true,
    cached: response.cached === true,
    costUsd: response.costUsd,
    durationMs,
    errorCode: undefined,
  };
}

/** Record every call (reply or failure) in the ledger; duration comes from the injected clock. */
export function withLedger(inner: ModelBackend, ledger: CallLedger, clock: Clock): ModelBackend {
  return {
    backend: inner.backend,
    model: inner.model,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const started = clock.now().getTime();
      try {
        const response = await inner.complete(request);
        ledger.record(callRecordOf(request, response, clock.now().getTime() - started));
        return response;
      } catch (error) {
        ledger.record({
          backend: inner.backend,
          model: request.model ?? inner.model,
          purpose: request.purpose,
          inputTokens: 0,
          outputTokens: 0,
          estimated: false,
          cached: false,
          costUsd: undefined,
          durationMs: clock.now().getTime() - started,
          errorCode: error instanceof SkillOptError ? error.code : 'INTERNAL',
        });
        throw error;
      }
    },
  };
}
