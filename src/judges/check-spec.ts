import { CHECK_OPS } from './types.js';
import type { CheckOp } from './types.js';

/** A check whose argument has been read and validated, ready to run. */
export type CheckSpec =
  | { op: 'contains' | 'not_contains'; text: string }
  | { op: 'regex' | 'not_regex'; regex: RegExp; source: string }
  | { op: 'starts_with' | 'ends_with'; text: string }
  | { op: 'max_chars' | 'min_chars' | 'max_lines'; bound: number }
  | { op: 'heading'; text: string | undefined }
  | { op: 'json_valid' }
  | { op: 'json_has_keys'; keys: string[] }
  | { op: 'exact'; text: string }
  | { op: 'tool_called'; tool: string }
  | { op: 'no_refusal' };

/** Reading a check: its spec, or why it is broken (not the answer's fault). */
export type CheckReading = { ok: true; spec: CheckSpec; warnings: string[] } | { ok: false; reason: string };

/** Ops that only look at the form of a reply: a judge made only of these is won by formatting. */
export const SHAPE_OPS: ReadonlySet<CheckOp> = new Set<CheckOp>(['heading', 'max_chars', 'min_chars', 'max_lines', 'starts_with']);

/** True when the value is one of the known check operators. */
export function isCheckOp(value: unknown): value is CheckOp {
  return typeof value === 'string' && (CHECK_OPS as readonly string[]).includes(value);
}

/**
 * Read one check from untrusted data (task files, mined judges): validate the op and its
 * argument. Never throws; a malformed check comes back with the reason it is broken.
 */
export function readCheck(check: { op?: unknown; arg?: unknown }): CheckReading {
  const op = check.op;
  if (!isCheckOp(op)) {
    return {
      ok: false,
      reason: typeof op === 'string' ? `unknown op "${op}" (known: ${CHECK_OPS.join(', ')})` : 'the check has no "op" string',
    };
  }
  const arg = check.arg;
  const warnings: string[] = [];
  const ok = (spec: CheckSpec): CheckReading => ({ ok: true, spec, warnings });
  switch (op) {
    case 'contains':
    case 'not_contains':
    case 'exact': {
      const text = readText(arg);
      return text === undefined ? { ok: false, reason: `${op} needs a non-empty text "arg"` } : ok({ op, text });
    }
    case 'starts_with': {
      const text = readText(arg)?.trimStart();
      return text ? ok({ op, text }) : { ok: false, reason: 'starts_with needs a non-empty text "arg"' };
    }
    case 'ends_with': {
      const text = readText(arg)?.trimEnd();
      return text ? ok({ op, text }) : { ok: false, reason: 'ends_with needs a non-empty text "arg"' };
    }
    case 'regex':
    case 'not_regex': {
      if (typeof arg !== 'string' || arg === '') return { ok: false, reason: `${op} needs a pattern "arg" ("/pattern/flags" or a bare pattern)` };
      const compiled = compileRegex(arg);
      return compiled.ok ? ok({ op, regex: compiled.regex, source: arg }) : { ok: false, reason: compiled.reason };
    }
    case 'max_chars':
    case 'min_chars':
    case 'max_lines': {
      const bound = readBound(arg);
      if (bound === undefined) {
        return { ok: false, reason: `${op} needs a whole number >= 0 as "arg", got ${describeArg(arg)}` };
      }
      if (op === 'min_chars' && bound === 0) warnings.push('min_chars 0 always passes');
      return ok({ op, bound });
    }
    case 'heading': {
      if (arg === undefined || arg === null || arg === '') return ok({ op, text: undefined });
      const text = readText(arg);
      return text === undefined ? { ok: false, reason: `heading "arg" must be heading text, got ${describeArg(arg)}` } : ok({ op, text });
    }
    case 'json_valid':
    case 'no_refusal':
      if (arg !== undefined && arg !== null && arg !== '') warnings.push(`${op} takes no "arg"; ${describeArg(arg)} is ignored`);
      return ok({ op });
    case 'json_has_keys': {
      const keys = readKeys(arg);
      return keys === undefined
        ? { ok: false, reason: 'json_has_keys needs "arg" as a list of keys (["a","b"] or "a,b")' }
        : ok({ op, keys });
    }
    case 'tool_called': {
      const tool = readText(arg)?.trim();
      return tool ? ok({ op, tool }) : { ok: false, reason: 'tool_called needs the tool name as "arg"' };
    }
    default:
      op satisfies never;
      return { ok: false, reason: `unknown op "${String(op)}"` };
  }
}

/**
 * Compile "/pattern/flags" or a bare pattern. The g flag is dropped: it makes test() stateful
 * and changes nothing for a yes/no search.
 */
export function compileRegex(arg: string): { ok: true; regex: RegExp } | { ok: false; reason: string } {
  const slashed = /^\/([\s\S]+)\/([dgimsuvy]*)$/.exec(arg);
  const pattern = slashed ? (slashed[1] as string) : arg;
  const flags = slashed ? (slashed[2] as string).replace(/g/g, '') : '';
  try {
    return { ok: true, regex: new RegExp(pattern, flags) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `invalid regular expression ${JSON.stringify(arg)}: ${detail}` };
  }
}

function readText(arg: unknown): string | undefined {
  if (typeof arg === 'number' && Number.isFinite(arg)) return String(arg);
  if (typeof arg !== 'string' || arg.trim() === '') return undefined;
  return arg;
}

/** A bound is a whole number >= 0; "400" (a string of digits) is accepted, 4.5, -1, true are not. */
function readBound(arg: unknown): number | undefined {
  const value = typeof arg === 'string' && /^\s*\d+\s*$/.test(arg) ? Number(arg) : arg;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function readKeys(arg: unknown): string[] | undefined {
  const raw = typeof arg === 'string' ? arg.split(',') : Array.isArray(arg) ? arg : undefined;
  if (raw === undefined || !raw.every((key) => typeof key === 'string')) return undefined;
  const keys = (raw as string[]).map((key) => key.trim()).filter((key) => key !== '');
  return keys.length > 0 ? [...new Set(keys)] : undefined;
}

/** A short description of an argument for messages. */
export function describeArg(arg: unknown): string {
  if (arg === undefined) return 'nothing';
  const text = JSON.stringify(arg) ?? String(arg);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
