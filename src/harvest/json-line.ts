import type { ParseOutcome, SkipReason } from './types.js';

/** Longest line we parse; VS Code's `kind:0` snapshot can be several MB, anything this big is not a session. */
export const MAX_LINE_CHARS = 64 * 1024 * 1024;

/** Prefix of a skip detail written by a last-resort guard (a bug in our code, not bad input); tests assert none. */
export const INTERNAL_DETAIL_PREFIX = 'internal: ';

/** The skip detail for an exception a guard caught. */
export function internalDetail(error: unknown): string {
  return `${INTERNAL_DETAIL_PREFIX}${error instanceof Error ? error.message.slice(0, 120) : String(error).slice(0, 120)}`;
}

/** A parsed JSON object line, or why it was skipped. */
export type JsonLineResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; reason: SkipReason; detail?: string };

/** True when text looks like binary data rather than JSON text (NUL bytes or mostly undecodable bytes). */
export function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  let bad = 0;
  const sample = text.length > 4096 ? text.slice(0, 4096) : text;
  for (const ch of sample) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\uFFFD' || (code < 0x20 && ch !== '\t' && ch !== '\n' && ch !== '\r')) bad++;
  }
  return sample.length > 0 && bad / sample.length > 0.1;
}

/**
 * A torn write: an object whose text simply runs out (the parser hit the end of the line, or a string that
 * never closes), as opposed to text that is wrong somewhere in the middle.
 */
function isTornJson(line: string, message: string): boolean {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || trimmed.endsWith('}')) return false;
  if (/end of JSON input|Unterminated string/i.test(message)) return true;
  const position = /position (\d+)/.exec(message);
  return position !== null && Number(position[1]) >= trimmed.length - 1;
}

/**
 * Parse one JSONL line into an object, classifying failures the way the harvester counts them.
 * Never throws. A line that opens an object but runs out is reported as a truncated (torn) write.
 */
export function parseJsonObjectLine(line: string): JsonLineResult {
  if (line.length > MAX_LINE_CHARS) return { ok: false, reason: 'oversized_line', detail: `${line.length} chars` };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    // Sampled only now: JSON text never holds a raw NUL or control character, so a line that parses is not binary
    // unless it is mostly U+FFFD (undecodable bytes), which the cheap native search below rules out first.
    if (looksBinary(line)) return { ok: false, reason: 'binary' };
    const message = error instanceof Error ? error.message : '';
    // One meaning per reason in the report: `partial_line` is the harvester's unfinished last line, left for
    // next time; a complete line whose JSON was cut short is bad JSON, with the detail saying so.
    return { ok: false, reason: 'invalid_json', detail: isTornJson(line, message) ? 'truncated (a torn write)' : message.slice(0, 120) || 'not JSON' };
  }
  if (line.includes('\uFFFD') && looksBinary(line)) return { ok: false, reason: 'binary' };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'unknown_record', detail: 'not a JSON object' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** Parse a whole JSON document (never throws); same classification as a line. */
export function parseJsonDocument(text: string): JsonLineResult {
  // A UTF-8 BOM is legal at the start of a file written on Windows.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    if (looksBinary(body)) return { ok: false, reason: 'binary' };
    return { ok: false, reason: 'invalid_json', detail: error instanceof Error ? error.message.slice(0, 120) : undefined };
  }
  if (body.includes('\uFFFD') && looksBinary(body)) return { ok: false, reason: 'binary' };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'not_a_session', detail: 'not a JSON object' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/**
 * Feed one line to a record handler the way a source parser must: blank lines ignored, bad JSON returned as a
 * skip, and a throw from the handler (a bug in our code, not bad input) turned into an `internal:` skip, so a
 * parser never throws.
 */
export function feedJsonLine(line: string, apply: (record: Record<string, unknown>) => ParseOutcome): ParseOutcome {
  if (!line.trim()) return { ok: true };
  const parsed = parseJsonObjectLine(line);
  if (!parsed.ok) return parsed;
  try {
    return apply(parsed.value);
  } catch (error) {
    return { ok: false, reason: 'unknown_record', detail: internalDetail(error) };
  }
}
