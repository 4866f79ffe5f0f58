import { readCheck, SHAPE_OPS, describeArg } from './check-spec.js';
import type { CheckSpec } from './check-spec.js';
import { findRefusalOpener } from './refusal.js';
import { closingWords, countChars, normalizeExact, openingWords, snippet, splitLines } from './text.js';
import type { Check, CheckResult, Judge, JudgeInput, Verdict } from './types.js';

/** Errors make a check unusable; warnings flag checks that run but measure little. */
export interface CheckValidation {
  errors: string[];
  warnings: string[];
}

/**
 * Run rule checks against one response. Pure. hard = 1 iff every non-broken check passes and at
 * least one check is usable; soft = passed / usable. Malformed checks are reported in
 * `broken`, never counted as a failure of the answer (and an unknown op never silently passes).
 */
export function runChecks(checks: readonly Check[], input: JudgeInput): Verdict {
  const response = typeof input.response === 'string' ? input.response : '';
  const toolCalls = Array.isArray(input.toolCalls) ? input.toolCalls.filter((t) => typeof t === 'string') : [];
  const results: CheckResult[] = [];
  const feedback: string[] = [];
  const broken: string[] = [];
  let passed = 0;
  let usable = 0;
  (Array.isArray(checks) ? checks : []).forEach((check, index) => {
    const base: CheckResult = { op: String(check?.op), passed: false };
    if (check?.arg !== undefined) base.arg = check.arg;
    const reading = readCheck(check ?? {});
    if (!reading.ok) {
      const reason = `check ${index + 1}: ${reading.reason}`;
      results.push({ ...base, broken: reading.reason, feedback: `check skipped: ${reading.reason}` });
      broken.push(reason);
      return;
    }
    usable++;
    const failure = evaluate(reading.spec, response, toolCalls);
    if (failure === undefined) {
      passed++;
      results.push({ ...base, passed: true });
    } else {
      results.push({ ...base, feedback: failure });
      feedback.push(failure);
    }
  });
  return {
    hard: usable > 0 && passed === usable ? 1 : 0,
    soft: usable > 0 ? passed / usable : 0,
    checks: results,
    feedback,
    broken,
  };
}

/**
 * Validate checks before they are stored or run (task files, mined judges). Errors: unknown op,
 * missing or bad argument, bad regex, bad bound. Warnings: a shape-only list (gameable by
 * formatting), no-op bounds, ignored arguments.
 */
export function validateChecks(checks: readonly Check[], opts: { shapeWarning?: boolean } = {}): CheckValidation {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (!Array.isArray(checks)) return { errors: ['checks must be a list of {"op","arg"} objects'], warnings };
  checks.forEach((check, index) => {
    const reading = readCheck(check ?? {});
    if (reading.ok) warnings.push(...reading.warnings.map((w) => `check ${index + 1}: ${w}`));
    else errors.push(`check ${index + 1}: ${reading.reason}`);
  });
  if ((opts.shapeWarning ?? true) && errors.length === 0 && isShapeOnlyChecks(checks)) {
    warnings.push(
      `only shape checks (${checks.map((c) => c.op).join(', ')}): a skill can pass them by formatting alone; add a content check (contains, regex, exact, json_has_keys, tool_called)`,
    );
  }
  return { errors, warnings };
}

/** True when a rule judge only checks form (headings, lengths, a prefix): gameable by formatting alone. */
export function isShapeOnly(judge: Judge): boolean {
  return judge.kind === 'rule' && isShapeOnlyChecks(judge.checks);
}

function isShapeOnlyChecks(checks: readonly Check[]): boolean {
  return checks.length > 0 && checks.every((check) => SHAPE_OPS.has(check.op));
}

/** Undefined when the check passes; otherwise one actionable feedback line naming expected and seen. */
function evaluate(spec: CheckSpec, response: string, toolCalls: readonly string[]): string | undefined {
  switch (spec.op) {
    case 'contains': {
      if (response.toLowerCase().includes(spec.text.toLowerCase())) return undefined;
      return `the reply must contain ${JSON.stringify(spec.text)} but it was not found`;
    }
    case 'not_contains': {
      const at = response.toLowerCase().indexOf(spec.text.toLowerCase());
      if (at === -1) return undefined;
      return `the reply must not contain ${JSON.stringify(spec.text)} but it does, at ${snippet(excerptAround(response, at, spec.text.length))}`;
    }
    case 'regex': {
      if (spec.regex.test(response)) return undefined;
      return `the reply must match the pattern ${spec.source} but it does not; it starts with ${openingWords(response, 20)}`;
    }
    case 'not_regex': {
      const match = spec.regex.exec(response);
      if (match === null) return undefined;
      return `the reply must not match the pattern ${spec.source} but it does, at ${snippet(match[0], 40)}`;
    }
    case 'starts_with': {
      const trimmed = response.trim();
      if (trimmed.startsWith(spec.text)) return undefined;
      if (trimmed === '') return `the reply must start with ${JSON.stringify(spec.text)}; it is empty`;
      return `the reply must start with ${JSON.stringify(spec.text)}; it starts with ${openingWords(trimmed, [...spec.text].length)}`;
    }
    case 'ends_with': {
      const trimmed = response.trim();
      if (trimmed.endsWith(spec.text)) return undefined;
      if (trimmed === '') return `the reply must end with ${JSON.stringify(spec.text)}; it is empty`;
      return `the reply must end with ${JSON.stringify(spec.text)}; it ends with ${closingWords(trimmed, [...spec.text].length)}`;
    }
    case 'max_chars': {
      // Trimmed: a trailing newline from a CLI must not flip a length bound.
      const n = countChars(response.trim());
      return n <= spec.bound ? undefined : `the reply is ${n} characters; the limit is ${spec.bound}`;
    }
    case 'min_chars': {
      const n = countChars(response.trim());
      return n >= spec.bound ? undefined : `the reply is ${n} characters; it must be at least ${spec.bound}`;
    }
    case 'max_lines': {
      const trimmed = response.trim();
      const n = trimmed === '' ? 0 : splitLines(trimmed).length;
      return n <= spec.bound ? undefined : `the reply is ${n} lines; the limit is ${spec.bound}`;
    }
    case 'heading':
      return checkHeading(response, spec.text);
    case 'json_valid': {
      const parsed = parseJsonOnly(response);
      return parsed.ok ? undefined : `the reply must be valid JSON only; ${parsed.why}`;
    }
    case 'json_has_keys':
      return checkJsonKeys(response, spec.keys);
    case 'exact': {
      if (normalizeExact(response) === normalizeExact(spec.text)) return undefined;
      return response.trim() === ''
        ? `the reply must be exactly ${JSON.stringify(spec.text)}; it is empty`
        : `the reply must be exactly ${JSON.stringify(spec.text)}; it is ${snippet(response, 80)}`;
    }
    case 'tool_called': {
      const wanted = spec.tool.toLowerCase();
      if (toolCalls.some((tool) => tool.toLowerCase() === wanted)) return undefined;
      const seen = [...new Set(toolCalls)];
      const tail = seen.length === 0 ? 'no tool was called' : `tools called: ${seen.slice(0, 6).map((t) => JSON.stringify(t)).join(', ')}`;
      return `the tool ${JSON.stringify(spec.tool)} was not called (${tail})`;
    }
    case 'no_refusal': {
      if (response.trim() === '') return 'the reply must do the task, not refuse; it is empty';
      const opener = findRefusalOpener(response);
      return opener === undefined ? undefined : `the reply must do the task, not refuse; it opens with ${openingWords(response.trim().replace(/^[\s#>*_\-`]+/u, ''), 24)}`;
    }
    default:
      spec satisfies never;
      return `unknown check ${describeArg(spec)}`;
  }
}

/** The found text with some words either side, cut at word boundaries. */
function excerptAround(text: string, at: number, length: number): string {
  let start = Math.max(0, at - 20);
  while (start > 0 && start < at && !/\s/.test(text[start - 1] as string)) start++;
  let end = Math.min(text.length, at + length + 20);
  while (end < text.length && end > at + length && !/\s/.test(text[end] as string)) end--;
  return text.slice(start, end);
}

/** ATX headings (`#` .. `######`, up to 3 leading spaces), skipping fenced code blocks. */
export function findHeadings(markdown: string): string[] {
  const headings: string[] = [];
  let fence: string | undefined;
  for (const line of splitLines(markdown)) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker !== undefined) {
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const heading = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (heading) headings.push((heading[1] ?? '').trim());
  }
  return headings;
}

function checkHeading(response: string, text: string | undefined): string | undefined {
  const headings = findHeadings(response);
  if (text === undefined) {
    return headings.length > 0 ? undefined : 'the reply must have a Markdown heading (a line starting with "# "); it has none';
  }
  const wanted = text.toLowerCase();
  if (headings.some((heading) => heading.toLowerCase().includes(wanted))) return undefined;
  const seen =
    headings.length === 0
      ? 'it has no Markdown heading'
      : `its headings are ${headings.slice(0, 5).map((h) => JSON.stringify(h)).join(', ')}`;
  return `the reply must have a Markdown heading containing ${JSON.stringify(text)}; ${seen}`;
}

/** Strict: the whole reply (trimmed) must be JSON; a fence or prose around it fails, with why. */
function parseJsonOnly(response: string): { ok: true; value: unknown } | { ok: false; why: string } {
  const trimmed = response.trim();
  if (trimmed === '') return { ok: false, why: 'it is empty' };
  try {
    return { ok: true, value: JSON.parse(trimmed) as unknown };
  } catch (error) {
    if (/^(```|~~~)/.test(trimmed)) return { ok: false, why: 'it is wrapped in a code fence; print the JSON alone' };
    if (!/^[[{"\d-]/.test(trimmed) && !/^(true|false|null)\b/.test(trimmed)) {
      return { ok: false, why: `it starts with ${openingWords(trimmed, 6)}` };
    }
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, why: `it does not parse (${detail})` };
  }
}

function checkJsonKeys(response: string, keys: readonly string[]): string | undefined {
  const expected = `the reply must be a JSON object with the keys ${keys.map((k) => JSON.stringify(k)).join(', ')}`;
  const parsed = parseJsonOnly(response);
  if (!parsed.ok) return `${expected}; it is not valid JSON only: ${parsed.why}`;
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `${expected}; it is ${Array.isArray(value) ? 'a JSON array' : `the JSON value ${snippet(JSON.stringify(value), 30)}`}`;
  }
  const missing = keys.filter((key) => !Object.prototype.hasOwnProperty.call(value, key));
  if (missing.length === 0) return undefined;
  return `${expected}; missing ${missing.map((k) => JSON.stringify(k)).join(', ')}`;
}
