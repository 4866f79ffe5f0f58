import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, type Rng } from '../core/rng.js';
import { filesBelow, mutateText } from './fidelity-corpus.js';
import { lineScanEnabled, lineScanStats, parseSkeleton, setLineScan, SCAN_MIN_STRING_CHARS, type DroppedPath } from './skeleton.js';
import { claudeCodeSource } from './sources/claude-code/index.js';
import { codexSource } from './sources/codex/index.js';
import type { SourceAdapter } from './types.js';

/**
 * The skeleton scan (long strings left out of tool outputs and the like) against the full JSON.parse, over every line
 * of the real fixtures (the repository's and, where present, the shared real transcripts), the same lines with their
 * strings grown past the scan's thresholds, and a fuzz corpus of damaged copies aimed at the scan's edges (escapes,
 * control characters, escaped keys, duplicate keys, error flags, white space). Two parsers per source read every
 * line, one with the scan and one without: every line outcome and the saved state must be the same.
 */
const ROOTS = [join(import.meta.dirname, '../../fixtures'), '/work/shared/fixtures-real'].filter((dir) => existsSync(dir));
const REAL = ROOTS.flatMap((dir) => filesBelow(dir).filter((f) => f.endsWith('.jsonl'))).flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean));

/** The same record with every string of 40+ characters grown past the scan's thresholds (other strings kept). */
function grown(value: unknown): unknown {
  if (typeof value === 'string') return value.length >= 40 ? `${value} `.repeat(Math.ceil((SCAN_MIN_STRING_CHARS * 1.5) / value.length)) : value;
  if (Array.isArray(value)) return value.map(grown);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, grown(v)]));
  return value;
}

function parsesAsObject(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const GROWN = REAL.flatMap((line) => {
  const record = parsesAsObject(line);
  if (!record) return [];
  const out = [JSON.stringify(grown(record))];
  // A tool result that failed, and one with a long structured output, as Claude Code writes them.
  const message = record.message as { content?: unknown } | undefined;
  if (record.type === 'user' && Array.isArray(message?.content)) {
    out.push(JSON.stringify(grown({ ...record, toolUseResult: { stdout: line, stderr: '', interrupted: false } })));
    out.push(JSON.stringify(grown({ ...record, message: { ...message, content: message.content.map((b: unknown) => ({ ...(b as object), is_error: true })) } })));
  }
  // A Codex tool output, a command's end and a finished command item, each with a long output, succeeded or failed.
  const payload = record.payload as Record<string, unknown> | undefined;
  if (payload && (payload.type === 'function_call_output' || payload.type === 'custom_tool_call_output' || payload.type === 'reasoning')) {
    out.push(JSON.stringify({ ...record, payload: { ...payload, output: line.repeat(8), encrypted_content: line.repeat(8) } }));
  }
  if (payload && payload.type === 'function_call') {
    for (const exit_code of [0, 1]) {
      out.push(JSON.stringify({ ...record, type: 'event_msg', payload: { type: 'exec_command_end', call_id: payload.call_id, exit_code, stdout: line.repeat(8), aggregated_output: line.repeat(8), formatted_output: line, stderr: exit_code ? line : '' } }));
      out.push(JSON.stringify({ ...record, type: 'event_msg', payload: { type: 'item_completed', item: { type: 'CommandExecution', id: payload.call_id, exit_code, status: exit_code ? 'failed' : 'completed', aggregated_output: line.repeat(8) } } }));
    }
  }
  return out;
});

/** Damage aimed at what the scan reads: each yields a line the full parse and the scan must agree on. */
function targeted(line: string, rng: Rng): string {
  const at = (pattern: RegExp) => {
    const hits = [...line.matchAll(pattern)];
    return hits.length ? hits[rng.int(hits.length)] : undefined;
  };
  switch (rng.int(11)) {
    case 0: {
      // a raw control character inside a long string
      const hit = at(/"[^"\\]{300}/g);
      if (!hit) return line;
      const i = (hit.index ?? 0) + 1 + rng.int(300);
      return `${line.slice(0, i)}${String.fromCharCode(rng.int(32))}${line.slice(i)}`;
    }
    case 1:
      return line.replace(/\\n/, ['\\x', '\\u00g1', '\\', '\\u12'][rng.int(4)] ?? '\\x'); // an invalid escape
    case 2:
      return line.replace(/"is_error":false/, '"is_error":true').replace(/"type":"tool_result"/, rng.int(2) ? '"type":"tool_result","is_error":true' : '"type":"text"');
    case 3:
      return line.replace(/"(toolUseResult|content|payload|output|input|message|type)"/, (_m, key: string) => `"${key.slice(0, 1)}\\u00${key.charCodeAt(1).toString(16)}${key.slice(2)}"`); // an escaped key
    case 4:
      return line.replace(/([{:,])/g, (c) => (rng.int(4) === 0 ? `${c} \n\t` : c)); // white space
    case 5:
      return line.replace(/^\{"(\w+)":/, (_m, key: string) => `{"${key}":"${'d'.repeat(400)}","${key}":`); // a duplicate key
    case 6:
      return line.replace(/"type":"(user|assistant|response_item|event_msg)"/, '"type":"$1","type":"summary"');
    case 7:
      return ` ${line}`;
    case 8:
      return line.replace(/\\"/, '"'); // an escaped quote unescaped
    case 9:
      return line.replace(/"[^"\\]{300}/, (s) => `${s.slice(0, 150)}\\\\"${s.slice(150)}`); // a string closed early by an escaped backslash
    default:
      return mutateText(line, rng);
  }
}

const rng = createRng(20261202);
const SEEDS = [...REAL, ...GROWN];
const FUZZ = Array.from({ length: 6000 }, () => targeted(SEEDS[rng.int(SEEDS.length)] ?? '{}', rng));
const CORPUS = [...SEEDS, ...FUZZ];

interface Mismatch {
  line: number;
  scanned: unknown;
  full: unknown;
}

/** Feed the corpus in files of 40 lines to two parsers of `adapter`, one scanning, one not; the differences. */
function compare(adapter: SourceAdapter): Mismatch[] {
  const mismatches: Mismatch[] = [];
  for (let start = 0; start < CORPUS.length; start += 40) {
    const path = adapter.name === 'codex' ? `/p/rollout-2026-01-01T00-00-00-019c0000-0000-7000-8000-${String(start).padStart(12, '0')}.jsonl` : `/p/${start}.jsonl`;
    const withScan = adapter.openParser(path);
    const without = adapter.openParser(path);
    for (let i = start; i < Math.min(CORPUS.length, start + 40); i++) {
      const line = CORPUS[i] ?? '';
      setLineScan(true);
      const a = withScan.feedLine(line);
      setLineScan(false);
      const b = without.feedLine(line);
      if (JSON.stringify(a) !== JSON.stringify(b)) mismatches.push({ line: i, scanned: a, full: b });
    }
    const a = JSON.stringify([withScan.saveState(), withScan.digests()]);
    const b = JSON.stringify([without.saveState(), without.digests()]);
    if (a !== b) mismatches.push({ line: start, scanned: 'state', full: 'state differs' });
  }
  return mismatches;
}

function nullAt(value: unknown, path: DroppedPath): void {
  let node = value as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = null;
}

const DEFAULT_SCAN = lineScanEnabled();
afterEach(() => setLineScan(DEFAULT_SCAN));

describe('skeleton scan against the full parse', () => {
  it('has real lines, grown lines and a fuzz corpus to check', () => {
    expect(REAL.length).toBeGreaterThan(300);
    expect(GROWN.length).toBeGreaterThan(300);
  });

  for (const adapter of [claudeCodeSource, codexSource]) {
    it(`${adapter.name}: the same outcome for every line and the same saved state and digests`, () => {
      const before = lineScanStats();
      expect(compare(adapter).slice(0, 5)).toEqual([]);
      const after = lineScanStats();
      // Not vacuous: the scan served many lines and declined many more (each decline then parsed in full).
      expect(after.served - before.served).toBeGreaterThan(300);
      expect(after.scanned - after.served - (before.scanned - before.served)).toBeGreaterThan(500);
    });
  }

  it('a skeleton is the full record with exactly its dropped strings set to null', () => {
    let checked = 0;
    for (const line of SEEDS) {
      const skeleton = parseSkeleton(line, SCAN_MIN_STRING_CHARS);
      const full = parsesAsObject(line);
      if (!skeleton) continue;
      expect(full).toBeDefined();
      for (const path of skeleton.dropped) nullAt(full, path);
      expect(skeleton.record).toEqual(full);
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });
});

describe('parseSkeleton', () => {
  const long = 'x'.repeat(300);
  it('drops long string values with their paths, keeps keys, short strings and escapes', () => {
    const line = JSON.stringify({ a: long, b: [1, { c: `q"\\\n${long}` }], k: 'short', [long]: 1 });
    const skeleton = parseSkeleton(line, 256);
    expect(skeleton?.dropped).toEqual([['a'], ['b', 1, 'c']]);
    expect(skeleton?.record).toEqual({ a: null, b: [1, { c: null }], k: 'short', [long]: 1 });
  });
  it('declines what it cannot be sure of: the full parse decides', () => {
    expect(parseSkeleton(`{"a":"${long}\\x"}`, 256)).toBeUndefined(); // invalid escape
    expect(parseSkeleton(`{"a":"${long}\u0001"}`, 256)).toBeUndefined(); // raw control character
    expect(parseSkeleton(`{"a":"${long}\\u12"}`, 256)).toBeUndefined(); // short \u escape
    expect(parseSkeleton(`{"\\u0061":"${long}"}`, 256)).toBeUndefined(); // escaped key on the path
    expect(parseSkeleton(`{"a":"${long}"`, 256)).toBeUndefined(); // unclosed object
    expect(parseSkeleton(`{"a":"${long}`, 256)).toBeUndefined(); // unterminated string
    expect(parseSkeleton(` {"a":"${long}"}`, 256)).toBeUndefined(); // not at the first character
    expect(parseSkeleton(`["${long}"]`, 256)).toBeUndefined(); // not an object
    expect(parseSkeleton('{"a":"short"}', 256)).toBeUndefined(); // nothing to drop
    expect(parseSkeleton(`{"a":"${long}",}`, 256)).toBeUndefined(); // bad JSON elsewhere
  });
  it('ends a string at the first unescaped quote, after any run of backslashes', () => {
    const line = `{"a":"${long}\\\\","b":"${long}\\\\\\"x","c":1}`;
    expect(parseSkeleton(line, 256)).toEqual({ record: { a: null, b: null, c: 1 }, dropped: [['a'], ['b']] });
  });
});
