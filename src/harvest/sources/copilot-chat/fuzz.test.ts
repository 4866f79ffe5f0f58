// Fuzz for the Copilot Chat, Copilot CLI and Gemini CLI sources (they share the helpers, so they share the file).
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRng, seedFrom, type Rng } from '../../../core/rng.js';
import type { SessionDigest, SourceAdapter } from '../../types.js';
import { copilotChatSource } from './index.js';
import { copilotCliSource } from '../copilot-cli/index.js';
import { geminiCliSource } from '../gemini-cli/index.js';
import { INTERNAL_DETAIL_PREFIX } from '../../json-line.js';

/** Field names the Copilot formats use, so random documents hit real code paths. */
const KEYS = [
  'type', 'data', 'kind', 'k', 'v', 'i', 'requests', 'message', 'text', 'parts', 'response', 'value', 'agent', 'extensionId',
  '_lower', 'timestamp', 'modelId', 'modelState', 'completedAt', 'toolId', 'toolName', 'toolSpecificData', 'rawInput',
  'filePath', 'uri', 'scheme', 'path', 'content', 'context', 'cwd', 'sessionId', 'agentId', 'parentToolCallId',
  'toolRequests', 'arguments', 'name', 'modelMetrics', 'usage', 'inputTokens', 'chatMessages', 'role', 'tool_calls',
  'function', 'creationDate', 'editedFileEvents', 'isCanceled', 'result', 'metadata', '__proto__', 'constructor',
];
const STRINGS = ['', ' ', 'user.message', 'assistant.message', 'session.start', 'session.shutdown', 'tool.execution_start', 'abort',
  'toolInvocationSerialized', 'prepareToolInvocation', 'markdownContent', 'textEditGroup', 'file:///a/b', 'vscode-remote://x%2By/p',
  '/skills/x/SKILL.md', '@agent Try Again', 'no, wrong', '\u0000', '\uFFFD', '😀', 'github.copilot-chat', 'requests', 'response'];

/** A random JSON value biased toward the formats' own keys and values. */
function randomJson(rng: Rng, depth = 0): unknown {
  const roll = rng.int(depth > 3 ? 6 : 9);
  switch (roll) {
    case 0: return null;
    case 1: return rng.next() < 0.5;
    case 2: return [0, 1, 2, 3, -1, 1e308, Number.MAX_SAFE_INTEGER, 1767261600000, 0.5][rng.int(9)];
    case 3:
    case 4: return STRINGS[rng.int(STRINGS.length)];
    case 5: return 'x'.repeat(rng.int(40));
    case 6:
    case 7: {
      const out: Record<string, unknown> = {};
      for (let n = rng.int(5); n > 0; n--) out[KEYS[rng.int(KEYS.length)] as string] = randomJson(rng, depth + 1);
      return out;
    }
    default: return Array.from({ length: rng.int(4) }, () => randomJson(rng, depth + 1));
  }
}

/** Replace one random node inside a parsed JSON value (type confusion, missing fields, odd values). */
function mutateStructure(value: unknown, rng: Rng): unknown {
  if (value === null || typeof value !== 'object' || rng.next() < 0.15) return randomJson(rng);
  const copy = structuredClone(value) as Record<string, unknown> | unknown[];
  const keys = Object.keys(copy);
  if (keys.length === 0) return randomJson(rng);
  const key = keys[rng.int(keys.length)] as string;
  const target = copy as Record<string, unknown>;
  const action = rng.int(4);
  if (action === 0) delete target[key];
  else if (action === 1) target[key] = randomJson(rng);
  else target[key] = mutateStructure(target[key], rng);
  return copy;
}

/** Text-level damage: truncation, flipped characters, deleted or duplicated slices, binary bytes. */
function mutateText(text: string, rng: Rng): string {
  if (text.length === 0) return String.fromCharCode(rng.int(256));
  const at = rng.int(text.length);
  switch (rng.int(6)) {
    case 0: return text.slice(0, at);
    case 1: return text.slice(0, at) + ['"', '{', '}', ']', ',', '\u0000', '\\', '\uD800', 'ÿ'][rng.int(9)] + text.slice(at + 1);
    case 2: return text.slice(0, at) + text.slice(at + rng.int(50));
    case 3: return text.slice(0, at) + text.slice(at, at + rng.int(80)) + text.slice(at);
    case 4: return Array.from({ length: rng.int(200) }, () => String.fromCharCode(rng.int(256))).join('');
    default: return `${text}${text.slice(0, at)}`;
  }
}

/** What every digest must satisfy, however bad the input was. */
function expectWellFormed(digest: SessionDigest): void {
  expect(typeof digest.sessionId).toBe('string');
  expect(digest.prompts.length).toBeGreaterThan(0);
  expect(digest.finalAnswers.length).toBe(digest.prompts.length);
  for (const p of digest.prompts) expect(typeof p.text).toBe('string');
  for (const a of digest.finalAnswers) expect(typeof a).toBe('string');
  for (const list of [digest.tools, digest.skills, digest.filesTouched, digest.models]) for (const item of list) expect(typeof item).toBe('string');
  for (const f of digest.feedback) {
    expect(f.promptIndex).toBeGreaterThanOrEqual(0);
    expect(f.promptIndex).toBeLessThan(digest.prompts.length);
  }
  for (const n of [digest.tokens.input, digest.tokens.output, digest.tokens.cachedInput]) expect(Number.isFinite(n)).toBe(true);
  for (const t of [digest.startedAt, digest.endedAt]) if (t !== undefined) expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
}

const INTERNAL = new RegExp(`^${INTERNAL_DETAIL_PREFIX}`);

/** No skip may come from a last-resort guard: that would be an exception our code threw. */
function expectNoInternal(skips: Array<{ detail?: string }>): void {
  for (const skip of skips) expect(skip.detail ?? '').not.toMatch(INTERNAL);
}

function linesOf(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
}

/** Feed lines to a fresh parser, checking every call returns and every digest is well formed. */
function feedAll(source: SourceAdapter, path: string, lines: string[]): void {
  const parser = source.openParser(path);
  for (const line of lines) {
    const outcome = parser.feedLine(line);
    if (!outcome.ok) expect(outcome.detail ?? '').not.toMatch(INTERNAL);
  }
  const saved: unknown = JSON.parse(JSON.stringify(parser.saveState()));
  for (const digest of source.openParser(path, saved).digests()) expectWellFormed(digest);
  for (const digest of parser.digests()) expectWellFormed(digest);
}

/** Mutate one line of a real file: structurally (parsed) or textually (raw). */
/** Damage a whole JSON document (its structure, or its text) and check the source parses it without a slip. */
function fuzzDocument(source: SourceAdapter, path: string, original: string, rng: Rng): void {
  let text: string;
  if (rng.next() < 0.6) {
    let value: unknown = JSON.parse(original);
    for (let n = 1 + rng.int(4); n > 0; n--) value = mutateStructure(value, rng);
    text = JSON.stringify(value);
  } else {
    text = mutateText(original, rng);
  }
  const result = source.parseDocument(path, text);
  expectNoInternal(result.skips);
  for (const digest of result.digests) expectWellFormed(digest);
}

function mutateLine(line: string, rng: Rng): string {
  if (rng.next() < 0.5) {
    try {
      return JSON.stringify(mutateStructure(JSON.parse(line), rng));
    } catch {
      return mutateText(line, rng);
    }
  }
  return mutateText(line, rng);
}

const SYNTH_CHAT = resolve('fixtures/transcripts/synthetic/copilot-chat/User');
const CHAT_LOG = join(SYNTH_CHAT, 'workspaceStorage/3f9a1c0d5e/chatSessions/5b8f2e1a-0c3d-4e5f-8a9b-1c2d3e4f5a6b.jsonl');
const CHAT_DOCS = [
  ...readdirSync(resolve('fixtures/transcripts/copilot-chat')).map((f) => resolve('fixtures/transcripts/copilot-chat', f)),
  join(SYNTH_CHAT, 'workspaceStorage/a7d41b9e22/chatSessions/9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f.json'),
];
const CLI_LOGS = [
  resolve('fixtures/transcripts/copilot-cli/events.jsonl'),
  resolve('fixtures/transcripts/synthetic/copilot-cli/session-state/6d1e0f3a-2b4c-4d5e-9f60-718293a4b5c6/events.jsonl'),
  resolve('fixtures/transcripts/synthetic/copilot-cli/session-state/3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f.jsonl'),
];
const CLI_LEGACY = resolve('fixtures/transcripts/synthetic/copilot-cli/history-session-state/8e9f0a1b-2c3d-4e5f-a6b7-c8d9e0f1a2b3.json');

const GEMINI_HOME = resolve('fixtures/transcripts/synthetic/gemini-cli/.gemini/tmp');
const GEMINI_LOG = join(GEMINI_HOME, 'shop/chats/session-2026-06-02T10-00-a1b2c3d4.jsonl');
const GEMINI_DOC = join(GEMINI_HOME, 'notes/chats/session-2025-10-01T08-00-e5f6a7b8.json');

describe('fuzz: no Copilot or Gemini parser throws, whatever the input', () => {
  it('chat mutation log: 2,000 damaged logs (each line mutated with some probability, plus random records)', () => {
    const rng = createRng(seedFrom('copilot-chat-log'));
    const lines = linesOf(CHAT_LOG);
    for (let round = 0; round < 2000; round++) {
      const damaged = lines.map((line) => (rng.next() < 0.3 ? mutateLine(line, rng) : line));
      if (rng.next() < 0.3) damaged.splice(rng.int(damaged.length), 0, JSON.stringify(randomJson(rng)));
      if (rng.next() < 0.2) damaged.push(JSON.stringify({ kind: rng.int(5), k: randomJson(rng), v: randomJson(rng), i: randomJson(rng) }));
      feedAll(copilotChatSource, CHAT_LOG, damaged);
    }
  });

  it('chat documents: 3,000 damaged .json documents', () => {
    const rng = createRng(seedFrom('copilot-chat-doc'));
    const docs = CHAT_DOCS.map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    for (let round = 0; round < 3000; round++) {
      const doc = docs[rng.int(docs.length)] as { path: string; text: string };
      fuzzDocument(copilotChatSource, doc.path, doc.text, rng);
    }
  });

  it('CLI event logs: 2,000 damaged logs from the real and synthetic files', () => {
    const rng = createRng(seedFrom('copilot-cli-events'));
    const files = CLI_LOGS.map((path) => ({ path, lines: linesOf(path) }));
    for (let round = 0; round < 2000; round++) {
      const file = files[rng.int(files.length)] as { path: string; lines: string[] };
      const damaged = file.lines.map((line) => (rng.next() < 0.3 ? mutateLine(line, rng) : line));
      if (rng.next() < 0.3) damaged.splice(rng.int(damaged.length), 0, JSON.stringify(randomJson(rng)));
      feedAll(copilotCliSource, file.path, damaged);
    }
  });

  it('CLI early-layout documents: 2,000 damaged documents', () => {
    const rng = createRng(seedFrom('copilot-cli-legacy'));
    const original = readFileSync(CLI_LEGACY, 'utf8');
    for (let round = 0; round < 2000; round++) {
      fuzzDocument(copilotCliSource, CLI_LEGACY, original, rng);
    }
  });

  it('random records fed straight to both line parsers', () => {
    const rng = createRng(seedFrom('copilot-random-records'));
    const chat = copilotChatSource.openParser('/x/chatSessions/s.jsonl');
    const cli = copilotCliSource.openParser('/x/session-state/s/events.jsonl');
    chat.feedLine('{"kind":0,"v":{"requests":[]}}');
    for (let n = 0; n < 5000; n++) {
      const line = rng.next() < 0.8 ? JSON.stringify(randomJson(rng)) : mutateText(JSON.stringify(randomJson(rng)) ?? '', rng);
      for (const outcome of [chat.feedLine(line), cli.feedLine(line)]) if (!outcome.ok) expectNoInternal([outcome]);
    }
    for (const digest of [...chat.digests(), ...cli.digests()]) expectWellFormed(digest);
    expect(() => JSON.stringify([chat.saveState(), cli.saveState()])).not.toThrow();
  });

  it('Gemini CLI: 2,000 damaged logs and 2,000 damaged documents', () => {
    const rng = createRng(seedFrom('gemini-cli'));
    const lines = linesOf(GEMINI_LOG);
    const original = readFileSync(GEMINI_DOC, 'utf8');
    for (let round = 0; round < 2000; round++) {
      const damaged = lines.map((line) => (rng.next() < 0.3 ? mutateLine(line, rng) : line));
      if (rng.next() < 0.3) damaged.splice(rng.int(damaged.length), 0, JSON.stringify({ $rewindTo: randomJson(rng), $set: randomJson(rng) }));
      feedAll(geminiCliSource, GEMINI_LOG, damaged);
      fuzzDocument(geminiCliSource, GEMINI_DOC, original, rng);
    }
  });
});
