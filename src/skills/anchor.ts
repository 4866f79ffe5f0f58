// Anchor matching for step edits: exact first, then whitespace-normalised, mapped back to the
// original span; a unique match outside the protected region and code fences is the only one used.
import type { UnmatchedReason } from './types.js';
import type { TextRange } from './protected-region.js';
import { abbreviate, convertEol, isBlankLine, normalizeWhitespace, splitLines } from './text.js';
import type { Eol } from './text.js';

/** Where an anchor was found, or why it cannot be used. */
export type AnchorMatch =
  | { ok: true; start: number; end: number; match: 'exact' | 'normalized' }
  | { ok: false; reason: UnmatchedReason; detail: string };

/** What the matcher needs to know about the document besides its body. */
export interface AnchorContext {
  body: string;
  /** Frontmatter text (BOM and delimiters included); searched only to explain a miss. */
  prefix: string;
  eol: Eol;
  protectedRanges: readonly TextRange[];
  fenceRanges: readonly TextRange[];
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/**
 * Fenced code blocks of a body (``` or ~~~), fence lines included; an unclosed fence runs to the end,
 * as in CommonMark. Lines inside protected ranges are skipped so the region never opens or closes a fence.
 */
export function locateCodeFences(body: string, skip: readonly TextRange[] = []): TextRange[] {
  const fences: TextRange[] = [];
  let open: { start: number; char: string; length: number } | null = null;
  for (const line of splitLines(body)) {
    if (skip.some((r) => line.start >= r.start && line.start < r.end)) continue;
    const text = body.slice(line.start, line.end);
    const m = FENCE_OPEN.exec(text);
    if (open === null) {
      const marker = m?.[1];
      const info = m?.[2] ?? '';
      if (marker !== undefined && !(marker.startsWith('`') && info.includes('`'))) {
        open = { start: line.start, char: marker.charAt(0), length: marker.length };
      }
    } else if (m?.[1] !== undefined && m[1].charAt(0) === open.char && m[1].length >= open.length && (m[2] ?? '').trim() === '') {
      fences.push({ start: open.start, end: line.next });
      open = null;
    }
  }
  if (open !== null) fences.push({ start: open.start, end: body.length });
  return fences;
}

function allIndexes(haystack: string, needle: string): number[] {
  const found: number[] = [];
  if (needle.length === 0) return found;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) found.push(i);
  return found;
}

/** Whitespace-collapsed text with, for each of its characters, the offset it came from. */
function normalizeWithMap(text: string): { norm: string; map: number[] } {
  let norm = '';
  const map: number[] = [];
  let inSpace = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (/\s/.test(ch)) {
      if (!inSpace) {
        norm += ' ';
        map.push(i);
      }
      inSpace = true;
    } else {
      norm += ch;
      map.push(i);
      inSpace = false;
    }
  }
  return { norm, map };
}

/** Spans of every whitespace-normalised occurrence of the anchor, in original offsets. */
function normalizedSpans(text: string, anchor: string): TextRange[] {
  const needle = normalizeWhitespace(anchor);
  if (needle.length === 0) return [];
  const { norm, map } = normalizeWithMap(text);
  // The needle starts and ends with a non-space, so both ends map to real characters.
  return allIndexes(norm, needle).map((i) => ({
    start: map[i] ?? 0,
    end: (map[i + needle.length - 1] ?? 0) + 1,
  }));
}

const overlaps = (a: TextRange, b: TextRange): boolean => a.start < b.end && a.end > b.start;

function describeLocation(body: string, span: TextRange): string {
  const line = body.slice(0, span.start).split('\n').length;
  return `line ${line} of the body`;
}

/** Find the single usable span of an anchor in the body (never throws). */
export function matchAnchor(ctx: AnchorContext, rawAnchor: string): AnchorMatch {
  const anchor = convertEol(rawAnchor, ctx.eol);
  const shown = `"${abbreviate(rawAnchor)}"`;
  let match: 'exact' | 'normalized' = 'exact';
  let spans = allIndexes(ctx.body, anchor).map((start) => ({ start, end: start + anchor.length }));
  if (spans.length === 0) {
    match = 'normalized';
    spans = normalizedSpans(ctx.body, rawAnchor);
  }
  if (spans.length === 0) {
    // Search the whole text so an anchor that starts in the frontmatter and runs into the body counts too.
    const whole = ctx.prefix + ctx.body;
    const inPrefix =
      allIndexes(whole, anchor).some((i) => i < ctx.prefix.length) ||
      normalizedSpans(whole, rawAnchor).some((span) => span.start < ctx.prefix.length);
    if (inPrefix) {
      return { ok: false, reason: 'anchor_in_frontmatter', detail: `anchor ${shown} occurs only in the frontmatter, which edits never change` };
    }
    return { ok: false, reason: 'anchor_not_found', detail: `anchor ${shown} was not found in the skill body, even with whitespace normalised` };
  }
  if (spans.length > 1) {
    const where = spans.slice(0, 3).map((s) => describeLocation(ctx.body, s)).join(', ');
    return {
      ok: false,
      reason: 'anchor_ambiguous',
      detail: `anchor ${shown} matches ${spans.length} places (${where}${spans.length > 3 ? ', …' : ''}); quote more text to pick one`,
    };
  }
  const span = spans[0] as TextRange;
  if (ctx.protectedRanges.some((r) => overlaps(span, r))) {
    return {
      ok: false,
      reason: 'anchor_in_protected_region',
      detail: `anchor ${shown} at ${describeLocation(ctx.body, span)} overlaps the protected slow-update region, which only the slow update writes`,
    };
  }
  if (ctx.fenceRanges.some((r) => overlaps(span, r))) {
    return {
      ok: false,
      reason: 'anchor_in_code_fence',
      detail: `anchor ${shown} at ${describeLocation(ctx.body, span)} is inside a fenced code block, which edits do not change`,
    };
  }
  return { ok: true, start: span.start, end: span.end, match };
}

/** Paragraphs of a text (blank-line separated, whitespace-normalised), for "already present" checks. */
export function paragraphsOf(text: string, separators: readonly TextRange[] = []): string[] {
  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length > 0) paragraphs.push(normalizeWhitespace(current.join(' ')));
    current = [];
  };
  for (const line of splitLines(text)) {
    // Lines inside separator ranges (marker lines) end a paragraph like a blank line does.
    if (isBlankLine(text, line) || separators.some((r) => line.start >= r.start && line.start < r.end)) flush();
    else current.push(text.slice(line.start, line.end));
  }
  flush();
  return paragraphs;
}

/** True when every paragraph of `content` already appears, in order and contiguously, among the body's. */
export function containsParagraphs(bodyParagraphs: readonly string[], content: string): boolean {
  const wanted = paragraphsOf(content);
  if (wanted.length === 0) return false;
  for (let i = 0; i + wanted.length <= bodyParagraphs.length; i++) {
    if (wanted.every((p, k) => bodyParagraphs[i + k] === p)) return true;
  }
  return false;
}
