import type { Edit, EditOp } from '../skills/types.js';
import { extractJson, quoteStart } from './json-extract.js';

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
  insert_after: 'insert_after',
  insertafter: 'insert_after',
  replace: 'replace',
  delete: 'delete',
  remove: 'delete',
};

const NEEDS_CONTENT: ReadonlySet<EditOp> = new Set<EditOp>(['append', 'insert_after', 'replace']);

/**
 * Read the optimizer's reply: `{"edits":[...]}`, `{"patch":{"edits":[...]}}` or a bare list,
 * fenced or wrapped in prose. Bad items are dropped with a reason (never fatal); items past
 * `maxEdits` are dropped as "over budget". Only a reply with no JSON edit list is `ok: false`.
 */
export function parseReflectionReply(text: string, opts: { maxEdits: number }): ReflectionReply {
  const maxEdits = Number.isFinite(opts.maxEdits) ? Math.max(0, Math.floor(opts.maxEdits)) : 0;
  const source = typeof text === 'string' ? text : '';
  const found = extractJson(source, 'any');
  if (!found.ok) return { ok: false, reason: `the reply is not JSON: ${quoteStart(source, 80)}` };
  // The first JSON in the text may be a stray "[1]" or an example object; prefer one shaped like edits.
  const shaped = [found, extractJson(source, 'object'), extractJson(source, 'array')].find(
    (candidate) => candidate.ok && looksLikeEdits(candidate.value),
  );
  const located = locateEdits(shaped?.ok ? shaped.value : found.value);
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
  if (Array.isArray(value)) return value.length === 0 || value.some((item) => isRecord(item) && 'op' in item);
  return isRecord(value) && ('edits' in value || isRecord(value['patch']));
}

type Located = { ok: true; items: unknown[]; summary?: string } | { ok: false; reason: string };

/** Find the edit list and summary in the accepted envelopes. */
function locateEdits(value: unknown): Located {
  if (Array.isArray(value)) return { ok: true, items: value };
  const top = value as Record<string, unknown>;
  const patch = isRecord(top['patch']) ? top['patch'] : undefined;
  const list = top['edits'] ?? patch?.['edits'];
  const summary = readSummary(top) ?? (patch === undefined ? undefined : readSummary(patch));
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
  const rawOp = item['op'];
  if (typeof rawOp !== 'string') return { ok: false, reason: 'the edit has no "op"' };
  const op = OP_ALIASES[rawOp.trim().toLowerCase().replace(/[-\s]/g, '_')];
  if (op === undefined) {
    return { ok: false, reason: `unknown op ${JSON.stringify(rawOp.slice(0, 40))} (use append, insert_after, replace or delete)` };
  }

  // `target` is an alias of `anchor`; `anchor` wins when both are present.
  const rawAnchor = item['anchor'] !== undefined && item['anchor'] !== null ? item['anchor'] : item['target'];
  if (rawAnchor !== undefined && rawAnchor !== null && typeof rawAnchor !== 'string') {
    return { ok: false, reason: `the anchor of ${withArticle(op)} edit must be text, got ${typeName(rawAnchor)}` };
  }
  const rawContent = item['content'];
  if (rawContent !== undefined && rawContent !== null && typeof rawContent !== 'string') {
    return { ok: false, reason: `the content of ${withArticle(op)} edit must be text, got ${typeName(rawContent)}` };
  }
  const content = typeof rawContent === 'string' && rawContent.trim() !== '' ? rawContent : undefined;
  if (NEEDS_CONTENT.has(op) && content === undefined) return { ok: false, reason: `${withArticle(op)} edit needs non-empty "content"` };

  const edit: Edit = { op };
  // An anchor is kept even when empty: the patcher reports a missing anchor as unmatched, with context.
  if (op !== 'append' && typeof rawAnchor === 'string') edit.anchor = rawAnchor;
  if (op !== 'delete' && content !== undefined) edit.content = content;
  const rationale = item['rationale'] ?? item['reason'];
  if (typeof rationale === 'string' && rationale.trim() !== '') edit.rationale = rationale.trim();
  const evidence = readEvidence(item['evidence'] ?? item['task_ids']);
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
