import { createScrubber, redactSecrets, type Scrubber } from '../core/redact.js';
import type { ChatRequest, ModelBackend } from './types.js';

/** Counts of what redaction removed before calls left the machine. */
export interface RedactionStats {
  calls: number;
  secrets: number;
}

/**
 * Redact secrets from every text of a request before any backend (or the replay cache key) sees it:
 * transcript text is untrusted and may hold keys the user pasted. The skill text is redacted too. Errors coming back
 * are scrubbed (message, hint, stack) and lose their raw cause, so no provider text reaches a log or a report unredacted.
 */
export function withRedaction(
  inner: ModelBackend,
  stats: RedactionStats = { calls: 0, secrets: 0 },
  scrub: Scrubber = createScrubber([]),
): ModelBackend & { redactionStats(): RedactionStats } {
  return {
    backend: inner.backend,
    model: inner.model,
    redactionStats: () => ({ ...stats }),
    async complete(request: ChatRequest) {
      const system = redactSecrets(request.system);
      const user = redactSecrets(request.user);
      const skill = request.skill ? redactSecrets(request.skill.text) : null;
      const found = system.count + user.count + (skill?.count ?? 0);
      if (found > 0) {
        stats.calls++;
        stats.secrets += found;
      }
      try {
        return await inner.complete({ ...request, system: system.text, user: user.text, ...(request.skill && skill ? { skill: { ...request.skill, text: skill.text } } : {}) });
      } catch (error) {
        // A provider's error text may echo the key (a 401 "Incorrect API key provided: sk-..."): it leaves redacted.
        throw scrubError(error, scrub);
      }
    },
  };
}

/**
 * Scrub an error in place and return it: message, hint and stack redacted; the cause (an SDK error holding the raw
 * body and headers) replaced by its redacted message. Class and fields (code, status, retryAfterMs) are kept.
 */
export function scrubError<T>(error: T, scrub: Scrubber): T {
  if (!(error instanceof Error)) return (typeof error === 'string' ? scrub(error) : error) as T;
  error.message = scrub(error.message);
  if (error.stack) error.stack = scrub(error.stack);
  const hint = (error as { hint?: unknown }).hint;
  if (typeof hint === 'string') Object.defineProperty(error, 'hint', { value: scrub(hint), enumerable: true, configurable: true, writable: false });
  if (error.cause !== undefined) {
    const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
    Object.defineProperty(error, 'cause', { value: scrub(cause), enumerable: false, configurable: true, writable: true });
  }
  return error;
}
