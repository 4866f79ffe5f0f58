import { MAX_LINE_CHARS, parseJsonObjectLine, type JsonLineResult } from './json-line.js';

/** Where a left-out string sat: the keys and array indices from the record's root down to it. */
export type DroppedPath = ReadonlyArray<string | number>;

/** A record parsed with its long string values left out (each replaced by `null`), and where they were. */
export interface Skeleton {
  record: Record<string, unknown>;
  dropped: DroppedPath[];
}

/**
 * Says whether a parser reading `record` (a skeleton) does exactly what it would with the full record: true only
 * when no left-out string sits where that parser reads. An allow-list: a path it does not recognise is unsafe.
 */
export type SkeletonCheck = (record: Record<string, unknown>, dropped: readonly DroppedPath[]) => boolean;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** A JSON string never holds a raw control character (U+0000..U+001F). */
const CONTROL = /[\u0000-\u001f]/; // eslint-disable-line no-control-regex

interface Frame {
  array: boolean;
  /** Object: where the current key's text starts and ends (raw, between its quotes). */
  keyStart: number;
  keyEnd: number;
  /** Array: index of the current element. */
  index: number;
}

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/**
 * Parse a JSON object line with every string value of at least `minChars` (raw characters between its quotes) left
 * out: the line is walked string by string (`indexOf` finds each quote and backslash, so the cost follows the number
 * of strings and escapes, not the bytes), the long values are cut, and `JSON.parse` reads what is left. Never
 * guesses: undefined whenever it cannot be sure (not an object line, an unterminated string, an invalid escape or
 * a raw control character inside a value it would drop, an escaped key on the way to a dropped value, nothing to
 * drop, or a skeleton JSON.parse rejects), and the caller parses the whole line instead, which decides every error.
 *
 * A value it drops is valid JSON string text (checked here); everything it keeps is checked by JSON.parse. A `"`
 * inside a JSON string is always escaped, so each unescaped quote opens or closes a string, and the structure
 * between strings gives the exact path of each one.
 */
export function parseSkeleton(line: string, minChars: number): Skeleton | undefined {
  if (line.charCodeAt(0) !== 0x7b) return undefined; // `{`: an object line with no leading space
  const stack: Frame[] = [];
  const parts: string[] = [];
  const dropped: DroppedPath[] = [];
  let copied = 0;
  let expectKey = false;
  let pos = 0;
  let nextBackslash = -2; // not searched yet
  const length = line.length;
  while (pos < length) {
    const quote = line.indexOf('"', pos);
    const gapEnd = quote === -1 ? length : quote;
    for (let i = pos; i < gapEnd; i++) {
      switch (line.charCodeAt(i)) {
        case 0x7b: // {
          stack.push({ array: false, keyStart: 0, keyEnd: 0, index: 0 });
          expectKey = true;
          break;
        case 0x5b: // [
          stack.push({ array: true, keyStart: 0, keyEnd: 0, index: 0 });
          expectKey = false;
          break;
        case 0x7d: // }
        case 0x5d: // ]
          stack.pop();
          expectKey = false;
          break;
        case 0x2c: {
          // ,
          const top = stack[stack.length - 1];
          if (top?.array) top.index++;
          else expectKey = true;
          break;
        }
        case 0x3a: // :
          expectKey = false;
          break;
        default:
          break; // white space, numbers, true/false/null: JSON.parse checks them in the skeleton
      }
    }
    if (quote === -1) break;
    // Find the closing quote, checking each escape on the way.
    let end = line.indexOf('"', quote + 1);
    let i = quote + 1;
    for (;;) {
      if (end === -1) return undefined;
      if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = line.indexOf('\\', i);
      if (nextBackslash === -1 || nextBackslash > end) break;
      const escaped = line.charCodeAt(nextBackslash + 1);
      if (escaped === 0x75) {
        // \uXXXX
        for (let k = 2; k < 6; k++) if (!isHex(line.charCodeAt(nextBackslash + k))) return undefined;
        i = nextBackslash + 6;
      } else if (escaped === QUOTE || escaped === BACKSLASH || escaped === 0x2f || escaped === 0x62 || escaped === 0x66 || escaped === 0x6e || escaped === 0x72 || escaped === 0x74) {
        i = nextBackslash + 2;
      } else {
        return undefined;
      }
      if (i > end) end = line.indexOf('"', i);
    }
    const top = stack[stack.length - 1];
    if (!top) return undefined; // a string outside the root object
    if (expectKey && !top.array) {
      top.keyStart = quote + 1;
      top.keyEnd = end;
    } else if (end - quote - 1 >= minChars) {
      if (CONTROL.test(line.slice(quote + 1, end))) return undefined;
      const path: Array<string | number> = [];
      for (const frame of stack) {
        if (frame.array) path.push(frame.index);
        else {
          const key = line.slice(frame.keyStart, frame.keyEnd);
          if (key.includes('\\')) return undefined; // an escaped key: its parsed name is not its text
          path.push(key);
        }
      }
      dropped.push(path);
      parts.push(line.slice(copied, quote), 'null');
      copied = end + 1;
    }
    pos = end + 1;
  }
  if (dropped.length === 0 || stack.length !== 0) return undefined;
  parts.push(line.slice(copied));
  let value: unknown;
  try {
    value = JSON.parse(parts.join(''));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return { record: value as Record<string, unknown>, dropped };
}

/** Lines shorter than this are parsed whole even with the scan on (a short line has little to leave out). */
export const SCAN_MIN_LINE_CHARS = 1024;
/** String values at least this long are left out of a skeleton. */
export const SCAN_MIN_STRING_CHARS = 256;

/**
 * Off: measured, the scan costs more than it saves, so every line is parsed whole. A scan that is certain must still
 * look at every character of what it leaves out (a raw control character or a bad escape makes JSON.parse reject the
 * line, and the scan must reject it too), and V8's JSON.parse reads a long string at about 0.6 ns a character, faster
 * than any check written in JavaScript (a control-character regex: 1.2 ns; a charCodeAt loop: 3 ns). What is left to
 * save is the objects JSON.parse builds, and the skeleton is parsed by JSON.parse again. Per line on this machine:
 * a bench-corpus Claude Code tool result (1.8 KB) 3.97 us parsed whole against 6.12 us scanned, a Codex tool output
 * (1.9 KB) 1.66 against 3.62 us, a 64 KB attachment 149 against 165 us, a 43 KB api-request-shape 91 against 125 us;
 * only real Claude Code results with a structured `toolUseResult` won (1.3 KB: 5.56 against 3.31 us). On the bench
 * corpus: 1.04x the wall time and 1.05x the CPU of parsing every line whole, the same peak RSS. `npm run bench --
 * harvest` measures it again on every run (its `skeleton scan` line); turn it on only when that line says it helps.
 */
let scanEnabled = false;
const stats = { scanned: 0, served: 0 };

/** Lines walked for a skeleton since the process started, and how many of them the skeleton served. */
export function lineScanStats(): { scanned: number; served: number } {
  return { ...stats };
}

/** Turn the skeleton scan on or off for this process (off by default, see scanEnabled; the bench and tests use both). */
export function setLineScan(enabled: boolean): void {
  scanEnabled = enabled;
}

/** Whether the skeleton scan is on. */
export function lineScanEnabled(): boolean {
  return scanEnabled;
}

/**
 * One JSONL record the way `parseJsonObjectLine` reads it, but for a long line that `worthScanning` picks, its
 * skeleton when `check` says the parser reads nothing that was left out. Same result as `parseJsonObjectLine` for
 * every line the parser can tell apart (a property test over the real fixtures and a fuzz corpus holds it to that).
 */
export function parseRecordLine(line: string, worthScanning: (line: string) => boolean, check: SkeletonCheck): JsonLineResult {
  // U+FFFD may mean undecodable bytes: the full parse decides between binary and text.
  if (scanEnabled && line.length >= SCAN_MIN_LINE_CHARS && line.length <= MAX_LINE_CHARS && worthScanning(line) && !line.includes('\uFFFD')) {
    stats.scanned++;
    const skeleton = parseSkeleton(line, SCAN_MIN_STRING_CHARS);
    if (skeleton && check(skeleton.record, skeleton.dropped)) {
      stats.served++;
      return { ok: true, value: skeleton.record };
    }
  }
  return parseJsonObjectLine(line);
}

/** A plain object, or undefined. */
export function recordAt(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
