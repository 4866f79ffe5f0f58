/** Decorators that wrap any ModelBackend with the same shape: retry, limiter, timeout, budget, replay cache, ledger. */
export { withRetry, isRetryable, backoffDelay, retryAfterOf, sleepWithSignal } from './retry.js';
export type { RetryOptions, RetryDeps, RetryEvent } from './retry.js';
export { createLimiter, withLimiter } from './limiter.js';
export type { Limiter } from './limiter.js';
export { withTimeout } from './timeout.js';
export { createNightBudget, withBudget } from './budget.js';
export type { BudgetLimits, BudgetSnapshot, BudgetState, NightBudget } from './budget.js';
export { withReplayCache, replayKey, replayKeyParts } from './replay-cache.js';
export type { CachedBackend, ReplayCacheOptions, ReplayCacheStats, ReplayKeyParts } from './replay-cache.js';
export { createCallLedger, withLedger, callRecordOf } from './accounting.js';
export type { CallLedger, CallRecord, CallTotals, LedgerSummary } from './accounting.js';
export { decorateBackend } from './compose.js';
export type { DecorateOptions, DecorateDeps } from './compose.js';
