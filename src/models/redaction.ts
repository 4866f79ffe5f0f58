import { redactSecrets } from '../core/redact.js';
import type { ChatRequest, ModelBackend } from './types.js';

/** Counts of what redaction removed before calls left the machine. */
export interface RedactionStats {
  calls: number;
  secrets: number;
}

/**
 * Redact secrets from every text of a request before any backend (or the replay cache key) sees it:
 * transcript text is untrusted and may hold keys the user pasted. The skill text is redacted too.
 */
export function withRedaction(inner: ModelBackend, stats: RedactionStats = { calls: 0, secrets: 0 }): ModelBackend & { redactionStats(): RedactionStats } {
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
      return inner.complete({ ...request, system: system.text, user: user.text, ...(request.skill && skill ? { skill: { ...request.skill, text: skill.text } } : {}) });
    },
  };
}
