import { CONTEXT_RULES, TOKEN_RULES, isInertValue, looksLikeSecretName } from './redact-rules.js';
import type { SecretRule } from './redact-rules.js';

export { looksLikeSecretName } from './redact-rules.js';

/** What redaction found and replaced. */
export interface RedactionResult {
  text: string;
  /** Number of secrets replaced. */
  count: number;
  /** Kinds of secret replaced, e.g. `openai_key`, `jwt` (for counts, never the values). */
  kinds: string[];
}

/** The text every redacted secret becomes: `[REDACTED:<kind>]`. */
export function formatRedaction(kind: string): string {
  return `[REDACTED:${kind}]`;
}

type Tally = (kind: string) => void;

/**
 * Every token rule's hints in one regex: most text holds none of them, and one scan for all of them costs less than
 * one `includes` per hint per rule (measured on harvested digests: the token rules went from 0.5 s to 0.1 s per 15 MB).
 * Only a necessary condition: a text that passes still runs each rule with its own hints.
 */
function hintGate(rules: readonly SecretRule[]): RegExp | undefined {
  if (rules.some((rule) => !rule.hints || rule.hints.length === 0)) return undefined; // a rule without hints can match anything
  const hints = [...new Set(rules.flatMap((rule) => rule.hints ?? []))];
  return new RegExp(hints.map((hint) => hint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
}

const TOKEN_GATE = hintGate(TOKEN_RULES);

/**
 * Every context rule's lower-case hints in one case-insensitive regex: each of those rules' patterns is
 * case-insensitive and contains its hint literally, so where this finds nothing none of them can match. One scan
 * instead of lower-casing the text and searching it once per hint.
 */
export const LOWER_HINT_GATE = new RegExp(
  [...new Set(CONTEXT_RULES.flatMap((rule) => rule.lowerHints ?? []))].map((hint) => hint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
  'i',
);

/**
 * Token formats first, so `API_KEY=sk-...` reads as an OpenAI key, not a generic env secret; context rules then skip
 * any value that already holds a placeholder, which also keeps redaction idempotent.
 */
function applyTokenRules(text: string, tally: Tally): string {
  if (TOKEN_GATE && !TOKEN_GATE.test(text)) return text;
  let out = text;
  for (const rule of TOKEN_RULES) out = applyRule(out, rule, tally);
  return out;
}

/**
 * Replace secrets (API keys, tokens, private keys, passwords in URLs, .env values) with
 * `[REDACTED:<kind>]`. The one redactor used before storing transcript text and before every model call.
 * Text around each secret is kept byte-identical; redacting twice gives the same text as once.
 */
export function redactSecrets(text: string): RedactionResult {
  const kinds: string[] = [];
  const tally: Tally = (kind) => kinds.push(kind);
  let out = applyTokenRules(redactPrivateKeys(text, tally), tally);
  let lower: string | undefined;
  let gated: boolean | undefined;
  for (const rule of CONTEXT_RULES) {
    if (rule.lowerHints) {
      // Both as the text is now: an earlier rule's placeholder may add a hint (`[REDACTED:aws_secret_access_key]`).
      gated ??= LOWER_HINT_GATE.test(out);
      if (!gated) continue;
      lower ??= out.toLowerCase();
      if (!rule.lowerHints.some((hint) => (lower as string).includes(hint))) continue;
    }
    const next = applyRule(out, rule, tally);
    if (next !== out) {
      lower = undefined;
      gated = undefined;
    }
    out = next;
  }
  return { text: out, count: kinds.length, kinds };
}

/**
 * Redact every string inside a JSON-like value (arrays, plain objects), also replacing the whole value of
 * any field whose key names a secret (`{ password: "hunter2" }`). Returns a copy; the input is not changed.
 */
export function redactDeep<T>(value: T): { value: T; count: number } {
  let count = 0;
  // Copies by original, so a shared or cyclic reference points at the redacted copy, never the original.
  const copies = new WeakMap<object, unknown>();
  const visit = (v: unknown, key: string | undefined): unknown => {
    if (typeof v === 'string') {
      const r = redactSecrets(v);
      count += r.count;
      if (r.count === 0 && key !== undefined && looksLikeSecretName(key) && !isInertValue(v)) {
        count++;
        // Keep an auth scheme so a header stays readable: "Bearer [REDACTED:secret_field]".
        const scheme = /^(?:bearer|basic|token)[ \t]+/i.exec(v)?.[0] ?? '';
        return scheme + formatRedaction('secret_field');
      }
      return r.text;
    }
    if (v === null || typeof v !== 'object') return v;
    if (copies.has(v)) return copies.get(v);
    if (Array.isArray(v)) {
      const list: unknown[] = [];
      copies.set(v, list);
      for (const item of v) list.push(visit(item, key));
      return list;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return v; // Dates, Buffers, class instances: not JSON-like
    const copy: Record<string, unknown> = {};
    copies.set(v, copy);
    for (const [k, item] of Object.entries(v)) copy[k] = visit(item, k);
    return copy;
  };
  const redacted = visit(value, undefined) as T;
  return { value: redacted, count };
}

/** Apply one regex rule, replacing only the span of its secret group. */
function applyRule(text: string, rule: SecretRule, tally: Tally): string {
  if (rule.hints && !rule.hints.some((hint) => text.includes(hint))) return text;
  if (rule.precheck && !rule.precheck.test(text)) return text;
  const re = rule.pattern;
  const groupNames = rule.secretGroups ?? ['secret'];
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const groups = m.groups ?? {};
    const name = groupNames.find((g) => groups[g] !== undefined);
    const span = name === undefined ? undefined : m.indices?.groups?.[name];
    const secret = name === undefined ? undefined : groups[name];
    if (span === undefined || secret === undefined || secret.includes('[REDACTED:') || (rule.accept && !rule.accept(secret, groups))) {
      // Look again from where the value began: `A=B_TOKEN=x` rejected as A's value still holds B_TOKEN=x.
      re.lastIndex = Math.max(m.index + 1, span?.[0] ?? 0);
      continue;
    }
    out += text.slice(last, span[0]) + formatRedaction(rule.kind);
    last = span[1];
    tally(rule.kind);
  }
  return last === 0 ? text : out + text.slice(last);
}

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;

/**
 * Replace PEM private key blocks (RSA, EC, OPENSSH, PKCS#8, PGP) from BEGIN through END. A block cut off
 * before its END line (a truncated transcript) is redacted through its last base64 line. Done with a scan
 * rather than one lazy regex so many BEGIN lines without an END stay linear.
 */
function redactPrivateKeys(text: string, tally: Tally): string {
  if (!text.includes('PRIVATE KEY')) return text;
  let out = '';
  let last = 0;
  let endSearchFailedAt = -1; // once no END exists after some point, none exists after any later point
  PEM_BEGIN.lastIndex = 0;
  for (let m = PEM_BEGIN.exec(text); m !== null; m = PEM_BEGIN.exec(text)) {
    const start = m.index;
    const bodyStart = start + m[0].length;
    let stop: number;
    PEM_END.lastIndex = bodyStart;
    const end = endSearchFailedAt >= 0 && bodyStart >= endSearchFailedAt ? null : PEM_END.exec(text);
    if (end !== null) {
      stop = end.index + end[0].length;
    } else {
      endSearchFailedAt = bodyStart;
      stop = scanBase64Lines(text, bodyStart);
    }
    out += text.slice(last, start) + formatRedaction('private_key');
    last = stop;
    tally('private_key');
    PEM_BEGIN.lastIndex = Math.max(stop, bodyStart);
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * End of the run of base64-looking lines (and `Key: value` PEM headers) after a truncated BEGIN line. A line
 * that turns into something else after at least 16 base64 characters is redacted up to there, and ends the run.
 */
function scanBase64Lines(text: string, from: number): number {
  // Lines may be real newlines or the literal `\n` of JSON-escaped text.
  const line = /(?:\r?\n|\\r?\\n)(?:[A-Za-z-]{1,40}: [^\r\n\\]{1,200}(?=\r?\n|\\r?\\n|$)|[A-Za-z0-9+/=]{16,200}|[A-Za-z0-9+/=]{1,15}(?=\r?\n|\\r?\\n|$))/y;
  const lineEnd = /\r?\n|\\r?\\n|$/y;
  let stop = from;
  line.lastIndex = from;
  for (let m = line.exec(text); m !== null; m = line.exec(text)) {
    stop = line.lastIndex;
    lineEnd.lastIndex = stop;
    if (!lineEnd.test(text)) break;
  }
  return stop;
}

/** Only the distinctive formats (provider tokens, PEM private keys): safe on any text, structured or not. */
export function redactTokenFormats(text: string): string {
  const tally: Tally = () => undefined;
  return applyTokenRules(redactPrivateKeys(text, tally), tally);
}

/** Redacts text on its way out of the process (errors, logs, reports, CLI output). */
export type Scrubber = (text: string) => string;

/** Shorter values are not matched literally: they would hit ordinary words. */
const MIN_LITERAL_SECRET = 8;

/**
 * The values of environment variables whose names say they hold a secret (OPENAI_API_KEY, ANTHROPIC_API_KEY,
 * GITHUB_TOKEN, ...) plus the variables named in `names` (a role's apiKeyEnv), when long enough to match literally.
 */
export function secretValuesOf(env: Readonly<Record<string, string | undefined>>, names: readonly string[] = []): string[] {
  const wanted = new Set(names);
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const v = value.trim();
    if (v.length < MIN_LITERAL_SECRET || isInertValue(v)) continue;
    // A variable only named like a secret must also look like one, or a word such as "production" would vanish.
    if (wanted.has(name) || (looksLikeSecretName(name) && v.length >= 12 && /\d/.test(v) && /[A-Za-z]/.test(v))) values.add(v);
  }
  return [...values];
}

/**
 * The redactor for everything that leaves the process: the literal values of the keys in use (a provider's 401 may
 * echo a key in a format no rule knows), then the provider token formats and private keys of the request redactor.
 * Not its context rules (`NAME=value`, `"secret": ...`): our own output is structured data whose field names
 * (`secretsRedacted`, `maxTokens`) they would mangle. Longest values first, so a key containing another goes whole.
 */
export function createScrubber(literals: readonly string[]): Scrubber {
  const values = [...new Set(literals.filter((v) => v.length >= MIN_LITERAL_SECRET))].sort((a, b) => b.length - a.length);
  return (text: string): string => {
    let out = text;
    // Literals first: a rule might match only part of a key and leave the rest readable.
    for (const value of values) if (out.includes(value)) out = out.split(value).join(formatRedaction('api_key'));
    return redactTokenFormats(out);
  };
}
