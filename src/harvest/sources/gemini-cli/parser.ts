import type { ParseOutcome, SessionDigest, SkipReason, TranscriptParser } from '../../types.js';
import { asRecord, asString, toUtcIso } from '../../digest.js';
import { feedJsonLine } from '../../json-line.js';
import { digestGeminiSession, normaliseMessage, type GeminiMessage, type GeminiSessionMeta } from './messages.js';

/** Where the file sits says what its content cannot: the project folder, and an id if the header is lost. */
export interface GeminiFileContext {
  fallbackId: string;
  cwd?: string;
}

/** What a `.jsonl` parser keeps with its checkpoint. */
export interface GeminiLogState {
  version: 1;
  meta: GeminiSessionMeta;
  messages: GeminiMessage[];
  /** Records applied so far; names messages that lack an id, stable across resumes. */
  records: number;
}

function readMeta(record: Record<string, unknown>, meta: GeminiSessionMeta): void {
  const id = asString(record.sessionId)?.trim();
  if (id) meta.sessionId = id;
  const started = toUtcIso(record.startTime);
  if (started) meta.startedAt = started;
  const updated = toUtcIso(record.lastUpdated);
  if (updated) meta.lastUpdated = updated;
  const kind = asString(record.kind);
  if (kind) meta.kind = kind;
  const dirs = Array.isArray(record.directories) ? record.directories : [];
  if (!meta.cwd && typeof dirs[0] === 'string') meta.cwd = dirs[0];
}

function upsertMessage(messages: GeminiMessage[], message: GeminiMessage): void {
  // A message id written again replaces the earlier copy (the CLI rewrites a message as it streams).
  const at = messages.findIndex((m) => m.id === message.id);
  if (at >= 0) messages[at] = message;
  else messages.push(message);
}

function normaliseAll(raw: unknown[]): GeminiMessage[] {
  const out: GeminiMessage[] = [];
  raw.forEach((item, index) => {
    const record = asRecord(item);
    const message = record && normaliseMessage(record, `#record${index + 1}`);
    if (message) upsertMessage(out, message);
  });
  return out;
}

/** Apply one record of the `.jsonl` log. Never throws. */
export function applyGeminiRecord(state: GeminiLogState, record: Record<string, unknown>): ParseOutcome {
  state.records++;
  if ('$rewindTo' in record) {
    const id = asString(record.$rewindTo);
    if (!id) return { ok: false, reason: 'missing_field', detail: '$rewindTo' };
    const at = state.messages.findIndex((m) => m.id === id);
    if (at >= 0) state.messages.length = at;
    return { ok: true };
  }
  if ('$set' in record) {
    const patch = asRecord(record.$set);
    if (!patch) return { ok: false, reason: 'missing_field', detail: '$set' };
    readMeta(patch, state.meta);
    // Some builds put the whole message list in `$set`: a snapshot that replaces, never adds to, what we have.
    if (Array.isArray(patch.messages)) state.messages = normaliseAll(patch.messages);
    return { ok: true };
  }
  if (typeof record.type === 'string') {
    const message = normaliseMessage(record, `#record${state.records}`);
    if (message) upsertMessage(state.messages, message);
    return { ok: true };
  }
  if ('sessionId' in record || 'projectHash' in record) {
    readMeta(record, state.meta);
    return { ok: true };
  }
  return { ok: false, reason: 'unknown_record', detail: Object.keys(record).slice(0, 3).join(',') };
}

function isState(value: unknown): value is GeminiLogState {
  const state = asRecord(value);
  return state?.version === 1 && typeof state.records === 'number' && typeof asRecord(state.meta)?.sessionId === 'string' && Array.isArray(state.messages);
}

/** A resumable parser for one `session-*.jsonl` chat file. */
export function openGeminiLogParser(context: GeminiFileContext, saved?: unknown): TranscriptParser {
  const state: GeminiLogState = isState(saved)
    ? structuredClone(saved)
    : { version: 1, meta: { sessionId: context.fallbackId, ...(context.cwd ? { cwd: context.cwd } : {}) }, messages: [], records: 0 };
  return {
    feedLine: (line: string): ParseOutcome => feedJsonLine(line, (record) => applyGeminiRecord(state, record)),
    saveState: (): GeminiLogState => structuredClone(state),
    digests(): SessionDigest[] {
      const digest = digestGeminiSession(state.meta, state.messages);
      return digest ? [digest] : [];
    },
  };
}

/** Digest an old whole-session `.json` document (`{sessionId, startTime, lastUpdated, messages[]}`). Never throws. */
export function digestGeminiDocument(doc: Record<string, unknown>, context: GeminiFileContext): { digest?: SessionDigest; skips: Array<{ reason: SkipReason; detail?: string }> } {
  if (!Array.isArray(doc.messages)) return { skips: [{ reason: 'not_a_session', detail: 'no messages array' }] };
  const meta: GeminiSessionMeta = { sessionId: context.fallbackId, ...(context.cwd ? { cwd: context.cwd } : {}) };
  readMeta(doc, meta);
  const skips: Array<{ reason: SkipReason; detail?: string }> = [];
  for (const item of doc.messages) if (!asString(asRecord(item)?.type)) skips.push({ reason: 'missing_field', detail: 'messages[].type' });
  const digest = digestGeminiSession(meta, normaliseAll(doc.messages));
  if (!digest) skips.push({ reason: 'not_a_session', detail: meta.kind === 'subagent' ? 'sub-agent chat' : 'no user messages' });
  return digest ? { digest, skips } : { skips };
}
