// Applies the optimizer's bounded edits to a skill body, one after another. Pure and total: any
// input yields a text and a report row per edit; an edit that cannot be placed safely is reported
// as unmatched and not applied. The frontmatter and the protected region are never changed.
import { containsParagraphs, locateCodeFences, matchAnchor, paragraphsOf } from './anchor.js';
import type { AnchorContext } from './anchor.js';
import { hasProtectedMarker, locateProtected, protectedRanges } from './protected-region.js';
import type { TextRange } from './protected-region.js';
import {
  abbreviate,
  convertEol,
  detectEol,
  endsWithEol,
  isBlankLine,
  joinSkillText,
  lineStartAt,
  removeLines,
  splitLines,
  splitSkillText,
  trimTrailingBlankLines,
} from './text.js';
import type { Eol } from './text.js';
import type { Edit, EditOutcome, UnmatchedReason } from './types.js';

/** One edit's fate: its position in the input (0-based), the edit, and what happened. */
export interface ApplyReportRow {
  index: number;
  edit: Edit;
  outcome: EditOutcome;
}

/** The patched text and one report row per edit, in input order. */
export interface ApplyResult {
  text: string;
  report: ApplyReportRow[];
}

type StepResult = { ok: true; body: string; match: 'exact' | 'normalized' | 'none' } | Unmatched;
type Unmatched = { ok: false; reason: UnmatchedReason; detail: string };

const unmatched = (reason: UnmatchedReason, detail: string): Unmatched => ({ ok: false, reason, detail });

interface BodyView extends AnchorContext {
  ranges: TextRange[];
  /** Paragraphs of the body, marker lines counted as separators. */
  paragraphs: string[];
}

function viewBody(prefix: string, body: string, eol: Eol): BodyView {
  const layout = locateProtected(body);
  const ranges = protectedRanges(layout);
  const markerLines: TextRange[] = [
    ...layout.blocks.flatMap((b) => [
      { start: b.start, end: b.contentStart },
      { start: b.contentEnd, end: b.end },
    ]),
    ...layout.orphans.map((o) => ({ start: o.start, end: o.next })),
  ];
  return {
    body,
    prefix,
    eol,
    protectedRanges: ranges,
    fenceRanges: locateCodeFences(body, ranges),
    ranges,
    paragraphs: paragraphsOf(body, markerLines),
  };
}

const nonBlank = (value: unknown): string | null => (typeof value === 'string' && value.trim().length > 0 ? value : null);

/** Where appended text goes: the end of the body, but before a protected region that ends it. */
function appendPosition(view: BodyView): number {
  let pos = view.body.length;
  for (;;) {
    const lastSolid = view.body.slice(0, pos).trimEnd().length;
    const covering = view.ranges.find((r) => r.start < lastSolid && r.end >= lastSolid);
    if (covering === undefined || covering.start >= pos) return pos;
    pos = covering.start;
  }
}

function applyAppend(view: BodyView, content: string): StepResult {
  const { body, eol } = view;
  const pos = appendPosition(view);
  const head = trimTrailingBlankLines(body.slice(0, pos));
  const tail = body.slice(pos);
  const lead = head.length === 0 ? '' : endsWithEol(head) ? eol : eol + eol;
  let out = head + lead + content + eol;
  if (tail.length > 0) out += eol + tail;
  else if (!endsWithEol(body)) out = out.slice(0, out.length - eol.length);
  return { ok: true, body: out, match: 'none' };
}

function applyInsertAfter(view: BodyView, end: number, content: string): StepResult {
  const { body, eol } = view;
  // Insert after the line on which the match ends; a match ending in a line ending ends that line.
  const line = splitLines(body).find((l) => end - 1 >= l.start && end - 1 < l.next);
  const at = line === undefined ? body.length : line.next;
  const before = body.slice(0, at);
  const after = body.slice(at);
  if (!endsWithEol(before)) return { ok: true, body: before + eol + eol + content + after, match: 'exact' };
  const prevLine = splitLines(before).at(-1);
  const gapBefore = prevLine !== undefined && isBlankLine(before, prevLine) ? '' : eol;
  const nextLine = splitLines(after)[0];
  const gapAfter = nextLine === undefined || isBlankLine(after, nextLine) ? '' : eol;
  return { ok: true, body: before + gapBefore + content + eol + gapAfter + after, match: 'exact' };
}

function applyReplace(view: BodyView, start: number, end: number, content: string): StepResult {
  const span = view.body.slice(start, end);
  // Keep the span's own surrounding whitespace (a trailing line ending, an indent) around the new text.
  const lead = /^\s*/.exec(span)?.[0] ?? '';
  const trail = span.length > lead.length ? (/\s*$/.exec(span)?.[0] ?? '') : '';
  const replacement = lead + content + trail;
  if (replacement === span) return unmatched('no_change', 'the replacement text is identical to the anchor');
  return { ok: true, body: view.body.slice(0, start) + replacement + view.body.slice(end), match: 'exact' };
}

function applyDelete(view: BodyView, start: number, end: number): StepResult {
  const { body } = view;
  const lineStart = lineStartAt(body, start);
  let lineNext: number | null = end;
  if (end === 0 || body[end - 1] !== '\n') {
    const nl = body.indexOf('\n', end);
    const rest = body.slice(end, nl === -1 ? body.length : nl);
    lineNext = /^[ \t]*\r?$/.test(rest) ? (nl === -1 ? body.length : nl + 1) : null;
  }
  if (lineNext !== null && /^[ \t]*$/.test(body.slice(lineStart, start))) {
    return { ok: true, body: removeLines(body, lineStart, lineNext), match: 'exact' };
  }
  // Part of a line: drop the text, and one of two spaces it leaves touching.
  const joinSpace = body[start - 1] === ' ' && body[end] === ' ' ? 1 : 0;
  return { ok: true, body: body.slice(0, start) + body.slice(end + joinSpace), match: 'exact' };
}

function applyOne(view: BodyView, edit: Edit): StepResult {
  const op: unknown = (edit as Partial<Edit> | null)?.op;
  if (op !== 'append' && op !== 'insert_after' && op !== 'replace' && op !== 'delete') {
    return unmatched('no_change', `unknown op "${abbreviate(String(op), 30)}"; expected append, insert_after, replace or delete`);
  }
  const anchor = nonBlank(edit.anchor);
  if (op !== 'append' && anchor === null) return unmatched('anchor_missing', `${op} needs a non-empty anchor quoting text of the skill`);
  const rawContent = nonBlank(edit.content);
  if (op !== 'delete') {
    if (rawContent === null) return unmatched('content_missing', `${op} needs non-empty content`);
    if (hasProtectedMarker(rawContent)) {
      return unmatched('content_has_protected_marker', 'content contains a slow-update marker; only the slow update writes that region');
    }
  }
  const content = rawContent === null ? '' : convertEol(rawContent.trim(), view.eol);
  if ((op === 'append' || op === 'insert_after') && containsParagraphs(view.paragraphs, content)) {
    return unmatched('no_change', `content "${abbreviate(content)}" is already in the skill`);
  }
  if (op === 'append') return applyAppend(view, content);
  const found = matchAnchor(view, anchor ?? '');
  if (!found.ok) return found;
  const result =
    op === 'insert_after'
      ? applyInsertAfter(view, found.end, content)
      : op === 'replace'
        ? applyReplace(view, found.start, found.end, content)
        : applyDelete(view, found.start, found.end);
  return result.ok ? { ...result, match: found.match } : result;
}

/** The protected text in order: what must be byte-identical after every edit. */
function protectedTexts(view: BodyView): string[] {
  return view.ranges.map((r) => view.body.slice(r.start, r.end));
}

/**
 * Apply edits in order to the body of a skill text (frontmatter untouched). Never throws; each edit
 * gets a report row saying it applied (and how its anchor matched) or why it did not.
 */
export function applyEdits(text: string, edits: readonly Edit[]): ApplyResult {
  const parts = splitSkillText(typeof text === 'string' ? text : '');
  let body = parts.body;
  // Detected before each edit, so applying edits one call at a time gives the same text as one batch.
  let eol = detectEol(parts.prefix + body);
  const report: ApplyReportRow[] = [];
  const list: readonly Edit[] = Array.isArray(edits) ? edits : [];
  list.forEach((edit, index) => {
    const view = viewBody(parts.prefix, body, eol);
    const result = applyOne(view, edit);
    let outcome: EditOutcome;
    if (!result.ok) {
      outcome = { status: 'unmatched', reason: result.reason, detail: result.detail };
    } else if (result.body === body) {
      outcome = { status: 'unmatched', reason: 'no_change', detail: 'the edit would not change the skill' };
    } else if (splitSkillText(joinSkillText(parts.prefix, result.body, eol)).body !== result.body) {
      // E.g. new text at the top of a body with no frontmatter that itself looks like frontmatter.
      outcome = { status: 'unmatched', reason: 'anchor_in_frontmatter', detail: 'the edit would change where the frontmatter ends' };
    } else if (protectedTexts(viewBody(parts.prefix, result.body, eol)).join('\u0000') !== protectedTexts(view).join('\u0000')) {
      // A partial-line edit next to a marker line could merge into it and dissolve the region.
      outcome = {
        status: 'unmatched',
        reason: 'anchor_in_protected_region',
        detail: 'the edit would alter a slow-update marker line or the region between the markers',
      };
    } else {
      body = result.body;
      eol = detectEol(parts.prefix + body);
      outcome = { status: 'applied', match: result.match };
    }
    report.push({ index, edit, outcome });
  });
  return { text: joinSkillText(parts.prefix, body, eol), report };
}

/** Counts of applied and unmatched edits by reason, for logs and reports. */
export function summarizeReport(report: readonly ApplyReportRow[]): { applied: number; unmatched: Partial<Record<UnmatchedReason, number>> } {
  let applied = 0;
  const byReason: Partial<Record<UnmatchedReason, number>> = {};
  for (const row of report) {
    if (row.outcome.status === 'applied') applied++;
    else byReason[row.outcome.reason] = (byReason[row.outcome.reason] ?? 0) + 1;
  }
  return { applied, unmatched: byReason };
}
