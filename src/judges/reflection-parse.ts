import type { Edit, EditOp } from '../skills/types.js';
import { extractAllJson, quoteStart, stripReasoning } from './json-extract.js';

/** An edit item that was read but not kept, with its position in the reply's list. */
export interface DroppedEdit {
  index: number;
  reason: string;
}

/** The optimizer's reply, read: usable edits in order, what was dropped and why, an optional summary. */
export type ReflectionReply =
  | { ok: true; edits: Edit[]; dropped: DroppedEdit[]; summary?: string }
  | { ok: false; reason: string };

// Spellings real models use for our ops; anything else is an unknown op and is dropped.
const OP_ALIASES: Readonly<Record<string, EditOp>> = {
  append: 'append',
  add: 'append',
  add_rule: 'append',
  add_line: 'append',
  append_line: 'append',
  insert_after: 'insert_after',
  insertafter: 'insert_after',
  insert: 'insert_after',
  add_after: 'insert_after',
  replace: 'replace',
  modify: 'replace',
  update: 'replace',
  rewrite: 'replace',
  edit: 'replace',
  change: 'replace',
  delete: 'delete',
  remove: 'delete',
  drop: 'delete',
};

// Key spellings real models use; the first present wins, ours first.
const OP_KEYS = ['op', 'operation', 'action', 'type'];
const ANCHOR_KEYS = ['anchor', 'target', 'find', 'after', 'old', 'old_text', 'search', 'location'];
const CONTENT_KEYS = ['content', 'text', 'new_text', 'new', 'replacement', 'value', 'instruction'];
const RATIONALE_KEYS = ['rationale', 'reason', 'why', 'explanation'];
const EVIDENCE_KEYS = ['evidence', 'task_ids', 'tasks', 'evidence_ids'];
const LIST_KEYS = ['edits', 'changes', 'patches', 'operations', 'proposed_edits', 'edit'];

function firstKey(record: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) {
    const value = record[key];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

const NEEDS_CONTENT: ReadonlySet<EditOp> = new Set<EditOp>(['append', 'insert_after', 'replace']);

/**
 * Read the optimizer's reply as a real model writes it: `{"edits":[...]}`, `{"patch":{"edits":[...]}}`, a bare
 * list, a single edit object (bare or under "edits"), fenced or wrapped in prose, with `//` comments and
 * trailing commas, after a reasoning block. Reasoning blocks (`<think>`) are dropped first, since a draft
 * inside one is not the answer; of what is left, the last edits-shaped JSON wins (models show an example,
 * then answer). Common key and op synonyms are read. Bad items are dropped with a reason (never fatal); items
 * past `maxEdits` are dropped as "over budget". Only a reply with no JSON edit list is `ok: false`.
 */
export function parseReflectionReply(text: string, opts: { maxEdits: number }): ReflectionReply {
  const maxEdits = Number.isFinite(opts.maxEdits) ? Math.max(0, Math.floor(opts.maxEdits)) : 0;
  const source = typeof text === 'string' ? text : '';
  const answer = stripReasoning(source);
  let found = extractAllJson(answer, 'any');
  // The whole reply was reasoning: read what it holds rather than nothing.
  if (found.length === 0 && answer !== source) found = extractAllJson(source, 'any');
  if (found.length === 0) return { ok: false, reason: `the reply is not JSON: ${quoteStart(source, 80)}` };
  const shaped = found.filter(looksLikeEdits);
  const located = locateEdits(shaped[shaped.length - 1] ?? found[found.length - 1]);
  if (!located.ok) return located;

  const edits: Edit[] = [];
  const dropped: DroppedEdit[] = [];
  located.items.forEach((item, index) => {
    const read = readEdit(item);
    if (!read.ok) dropped.push({ index, reason: read.reason });
    else if (edits.length >= maxEdits) dropped.push({ index, reason: 'over budget' });
    else edits.push(read.edit);
  });
  return { ok: true, edits, dropped, ...(located.summary === undefined ? {} : { summary: located.summary }) };
}

function looksLikeEdits(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0 || value.some(isEditObject);
  return isRecord(value) && (LIST_KEYS.some((k) => k in value) || isRecord(value['patch']) || isEditObject(value));
}

/** An object with an op under one of its spellings. */
function isEditObject(value: unknown): boolean {
  return isRecord(value) && typeof firstKey(value, OP_KEYS) === 'string';
}

type Located = { ok: true; items: unknown[]; summary?: string } | { ok: false; reason: string };

/** Find the edit list and summary in the accepted envelopes. */
function locateEdits(value: unknown): Located {
  if (Array.isArray(value)) return { ok: true, items: value };
  if (!isRecord(value)) return { ok: false, reason: `the reply JSON is ${typeName(value)}, not an edit list` };
  const top = value;
  const patch = isRecord(top['patch']) ? top['patch'] : undefined;
  let list = firstKey(top, LIST_KEYS) ?? (patch === undefined ? undefined : firstKey(patch, LIST_KEYS));
  const summary = readSummary(top) ?? (patch === undefined ? undefined : readSummary(patch));
  // One edit, bare or under "edits", is a list of one.
  if (list === undefined && isEditObject(top)) list = [top];
  if (isRecord(list)) list = [list];
  if (list === undefined) {
    const keys = Object.keys(top).slice(0, 8).join(', ');
    return { ok: false, reason: `the reply JSON has no "edits" list (keys: ${keys === '' ? 'none' : keys})` };
  }
  if (!Array.isArray(list)) return { ok: false, reason: `"edits" must be a list, got ${typeName(list)}` };
  return { ok: true, items: list, ...(summary === undefined ? {} : { summary }) };
}

function readSummary(record: Record<string, unknown>): string | undefined {
  for (const key of ['summary', 'failure_summary']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** Read one item of the edit list; a bad item comes back with the reason it is dropped. */
function readEdit(item: unknown): { ok: true; edit: Edit } | { ok: false; reason: string } {
  if (!isRecord(item)) return { ok: false, reason: `an edit must be an object, got ${typeName(item)}` };
  const rawOp = firstKey(item, OP_KEYS);
  if (typeof rawOp !== 'string') return { ok: false, reason: 'the edit has no "op"' };
  const op = OP_ALIASES[rawOp.trim().toLowerCase().replace(/[-\s]/g, '_')];
  if (op === undefined) {
    return { ok: false, reason: `unknown op ${JSON.stringify(rawOp.slice(0, 40))} (use append, insert_after, replace or delete)` };
  }

  // Synonyms of `anchor` (target, find, after, ...); `anchor` wins when several are present.
  const rawAnchor = firstKey(item, ANCHOR_KEYS);
  if (rawAnchor !== undefined && rawAnchor !== null && typeof rawAnchor !== 'string') {
    return { ok: false, reason: `the anchor of ${withArticle(op)} edit must be text, got ${typeName(rawAnchor)}` };
  }
  const rawContent = firstKey(item, CONTENT_KEYS);
  if (rawContent !== undefined && rawContent !== null && typeof rawContent !== 'string') {
    return { ok: false, reason: `the content of ${withArticle(op)} edit must be text, got ${typeName(rawContent)}` };
  }
  const content = typeof rawContent === 'string' && rawContent.trim() !== '' ? rawContent : undefined;
  if (NEEDS_CONTENT.has(op) && content === undefined) return { ok: false, reason: `${withArticle(op)} edit needs non-empty "content"` };

  const edit: Edit = { op };
  // An anchor is kept even when empty: the patcher reports a missing anchor as unmatched, with context.
  if (op !== 'append' && typeof rawAnchor === 'string') edit.anchor = rawAnchor;
  if (op !== 'delete' && content !== undefined) edit.content = content;
  const rationale = firstKey(item, RATIONALE_KEYS);
  if (typeof rationale === 'string' && rationale.trim() !== '') edit.rationale = rationale.trim();
  const evidence = readEvidence(firstKey(item, EVIDENCE_KEYS));
  if (evidence.length > 0) edit.evidence = evidence;
  return { ok: true, edit };
}

/** Task ids: a list of strings or numbers, or one string; anything else is ignored. */
function readEvidence(value: unknown): string[] {
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  const ids = raw
    .filter((id): id is string | number => typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)))
    .map((id) => String(id).trim())
    .filter((id) => id !== '');
  return [...new Set(ids)];
}

function withArticle(op: EditOp): string {
  return `${/^[aeiou]/.test(op) ? 'an' : 'a'} ${op}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
