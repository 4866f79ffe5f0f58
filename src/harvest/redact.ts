/** What redaction found and replaced. */
export interface RedactionResult {
  text: string;
  /** Number of secrets replaced. */
  count: number;
  /** Kinds of secret replaced, e.g. `openai_key`, `jwt` (for counts, never the values). */
  kinds: string[];
}

/**
 * Replace secrets (API keys, tokens, private keys, passwords in URLs, .env values) with
 * `[REDACTED:<kind>]`. The one redactor used before storing transcript text and before every model call.
 * (Placeholder; the full pattern set and its corpus tests replace this.)
 */
export function redactSecrets(text: string): RedactionResult {
  let count = 0;
  const kinds: string[] = [];
  const out = text.replace(/\bsk-[A-Za-z0-9_-]{20,}\b/g, () => {
    count++;
    kinds.push('openai_key');
    return '[REDACTED:openai_key]';
  });
  return { text: out, count, kinds };
}
