/** What the extractor looks for: a JSON object, an array, or either. */
export type JsonShape = 'object' | 'array' | 'any';

/** The outcome of pulling JSON out of a model reply. */
export type JsonExtraction<T> = { ok: true; value: T } | { ok: false; reason: string };

// A reply can hold many stray braces in prose; past this many failed starts we stop scanning.
const MAX_SPAN_ATTEMPTS = 64;

/**
 * Pull the first JSON object out of a model reply: the whole reply, else a fenced block, else the
 * first balanced {...} span (string-aware) that parses. Never throws.
 */
export function extractJsonObject(text: string): JsonExtraction<Record<string, unknown>> {
  const found = extractJson(text, 'object');
  return found.ok ? { ok: true, value: found.value as Record<string, unknown> } : found;
}

/** Like extractJsonObject, but for a given shape (an array, or either). Never throws. */
export function extractJson(text: string, shape: JsonShape = 'any'): JsonExtraction<unknown> {
  if (typeof text !== 'string') return { ok: false, reason: 'the reply is not text' };
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return { ok: false, reason: 'the reply is empty' };

  const whole = parseLenient(trimmed);
  if (whole.ok && fitsShape(whole.value, shape)) return whole;
  // Some models double-encode: the whole reply is a JSON string holding the JSON.
  if (whole.ok && typeof whole.value === 'string') {
    const inner = parseLenient(whole.value.trim());
    if (inner.ok && fitsShape(inner.value, shape)) return inner;
  }

  for (const block of findFencedBlocks(trimmed)) {
    const parsed = parseLenient(block.trim());
    if (parsed.ok && fitsShape(parsed.value, shape)) return parsed;
  }

  const openers = shape === 'object' ? ['{'] : shape === 'array' ? ['['] : ['{', '['];
  const span = findFirstParsableSpan(trimmed, openers, shape);
  if (span.ok) return span;

  const what = shape === 'object' ? 'JSON object' : shape === 'array' ? 'JSON array' : 'JSON';
  return { ok: false, reason: `no ${what} found in the reply starting ${quoteStart(trimmed, 80)}` };
}

/** The first `n` characters of a text as a quoted one-liner, for error messages. */
export function quoteStart(text: string, n: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = [...flat];
  return JSON.stringify(cut.length > n ? `${cut.slice(0, n).join('')}…` : flat);
}

function fitsShape(value: unknown, shape: JsonShape): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (shape === 'object') return !Array.isArray(value);
  if (shape === 'array') return Array.isArray(value);
  return true;
}

/** JSON.parse, then once more with comments and trailing commas removed (common model slips). */
function parseLenient(text: string): JsonExtraction<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const repaired = removeTrailingCommas(removeComments(text));
    if (repaired !== text) {
      try {
        return { ok: true, value: JSON.parse(repaired) as unknown };
      } catch {
        // fall through to the original error, which points at the real problem
      }
    }
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Copy `text`, letting `step` rewrite what lies outside JSON strings: at each position outside a string it
 * returns what to emit instead and where to go on, or undefined to keep the character. Strings (escapes
 * included) are copied untouched, so a `//` or a `,}` inside a string value is never mistaken for syntax.
 */
function rewriteOutsideStrings(text: string, step: (i: number) => { emit: string; next: number } | undefined): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inString) {
      out += ch;
      if (ch === '\\') {
        out += text[i + 1] ?? '';
        i++;
      } else if (ch === '"') inString = false;
      continue;
    }
    const rewrite = ch === '"' ? undefined : step(i);
    if (rewrite === undefined) {
      if (ch === '"') inString = true;
      out += ch;
      continue;
    }
    out += rewrite.emit;
    i = rewrite.next - 1;
  }
  return out;
}

/** Drop line (//) and block comments outside strings (a URL inside a string stays whole). */
function removeComments(text: string): string {
  return rewriteOutsideStrings(text, (i) => {
    if (text[i] !== '/') return undefined;
    if (text[i + 1] === '/') {
      const newline = text.indexOf('\n', i);
      return { emit: '\n', next: newline < 0 ? text.length : newline + 1 };
    }
    if (text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      return { emit: '', next: end < 0 ? text.length : end + 2 };
    }
    return undefined;
  });
}

/**
 * Remove reasoning blocks (`<think>`, `<thinking>`, `<reasoning>`, `<analysis>`) that reasoning models put
 * before their answer: a draft inside them is not the answer. An unclosed block runs to the end of the text.
 */
export function stripReasoning(text: string): string {
  return text.replace(/<(think|thinking|reasoning|analysis)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi, '').trim();
}

/**
 * Every JSON object or array in a reply, in order of where it starts: the whole reply when it parses,
 * else each balanced top-level span (string-aware, comments and trailing commas forgiven). Never throws.
 */
export function extractAllJson(text: string, shape: JsonShape = 'any'): unknown[] {
  if (typeof text !== 'string') return [];
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return [];
  const whole = parseLenient(trimmed);
  if (whole.ok && fitsShape(whole.value, shape)) return [whole.value];
  const openers = shape === 'object' ? ['{'] : shape === 'array' ? ['['] : ['{', '['];
  const out: unknown[] = [];
  let attempts = 0;
  for (let start = 0; start < trimmed.length && attempts < MAX_SPAN_ATTEMPTS * 4; start++) {
    if (!openers.includes(trimmed[start] as string)) continue;
    attempts++;
    const end = findBalancedEnd(trimmed, start);
    if (end === -1) continue;
    const parsed = parseLenient(trimmed.slice(start, end + 1));
    if (parsed.ok && fitsShape(parsed.value, shape)) {
      out.push(parsed.value);
      start = end;
    }
  }
  return out;
}

/**
 * The last JSON object in a reply that `accept` likes, reasoning blocks ignored first (a draft inside
 * `<think>` is not the answer); falls back to the reasoning text when the answer holds none. Never throws.
 */
export function extractLastJsonObject(text: string, accept: (value: Record<string, unknown>) => boolean): JsonExtraction<Record<string, unknown>> {
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, reason: 'the reply is empty' };
  for (const source of [stripReasoning(text), text]) {
    const found = extractAllJson(source, 'object').filter((v): v is Record<string, unknown> => accept(v as Record<string, unknown>));
    const last = found[found.length - 1];
    if (last !== undefined) return { ok: true, value: last };
  }
  return { ok: false, reason: `no suitable JSON object found in the reply starting ${quoteStart(text, 80)}` };
}

/** Drop commas that directly precede a closing bracket, outside strings. */
function removeTrailingCommas(text: string): string {
  return rewriteOutsideStrings(text, (i) => {
    if (text[i] !== ',') return undefined;
    let j = i + 1;
    while (j < text.length && /\s/.test(text[j] as string)) j++;
    return text[j] === '}' || text[j] === ']' ? { emit: '', next: i + 1 } : undefined;
  });
}

/** Contents of ``` or ~~~ fenced blocks, in order (an unclosed last fence runs to the end). */
function findFencedBlocks(text: string): string[] {
  const blocks: string[] = [];
  const lines = text.split(/\r?\n/);
  let fence: string | undefined;
  let current: string[] = [];
  for (const line of lines) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined) {
      if (marker !== undefined) {
        fence = marker;
        // Content on the opening line after the info string is rare, but `{...}` there is kept.
        const rest = line.slice(line.indexOf(marker) + marker.length).replace(/^[\w-]*/, '');
        current = rest.trim().startsWith('{') || rest.trim().startsWith('[') ? [rest] : [];
      }
    } else if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) {
      blocks.push(current.join('\n'));
      fence = undefined;
    } else {
      current.push(line);
    }
  }
  if (fence !== undefined) blocks.push(current.join('\n'));
  return blocks;
}

/** Scan for balanced spans starting at each opener; return the first one that parses to the shape. */
function findFirstParsableSpan(text: string, openers: string[], shape: JsonShape): JsonExtraction<unknown> {
  let attempts = 0;
  for (let start = 0; start < text.length && attempts < MAX_SPAN_ATTEMPTS; start++) {
    if (!openers.includes(text[start] as string)) continue;
    attempts++;
    const end = findBalancedEnd(text, start);
    if (end === -1) continue;
    const parsed = parseLenient(text.slice(start, end + 1));
    if (parsed.ok && fitsShape(parsed.value, shape)) return parsed;
  }
  return { ok: false, reason: 'no balanced span parsed' };
}

/** Index of the bracket closing the one at `start`, ignoring brackets inside strings; -1 if none. */
function findBalancedEnd(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i] as string;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') stack.push(ch === '{' ? '}' : ']');
    else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}
