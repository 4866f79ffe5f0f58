// The protected slow-update region: a block between two literal marker lines that only the
// epoch-end slow update writes. Step edits never touch it (see patch.ts).
import { convertEol, detectEol, endsWithEol, joinSkillText, removeLines, splitLines, splitSkillText } from './text.js';
import type { LineSpan } from './text.js';

/** The line that opens the protected slow-update region. */
export const PROTECTED_START = '<!-- skillopt:slow-update:start -->';
/** The line that closes the protected slow-update region. */
export const PROTECTED_END = '<!-- skillopt:slow-update:end -->';

/** One start..end pair, as offsets into the body. */
export interface ProtectedBlock {
  /** Start of the start-marker line. */
  start: number;
  /** First offset after the start-marker line. */
  contentStart: number;
  /** Start of the end-marker line. */
  contentEnd: number;
  /** First offset after the end-marker line (its ending included). */
  end: number;
}

/** Where the markers sit in a body: well-formed blocks in order, and marker lines that pair with nothing. */
export interface ProtectedLayout {
  /** blocks[0] is the region; any later block is a duplicate. */
  blocks: ProtectedBlock[];
  orphans: LineSpan[];
}

/** A [start, end) range of a body that no step edit may overlap. */
export interface TextRange {
  start: number;
  end: number;
}

type MarkerKind = 'start' | 'end';

function markerKind(text: string, line: LineSpan): MarkerKind | null {
  const trimmed = text.slice(line.start, line.end).trim();
  if (trimmed === PROTECTED_START) return 'start';
  if (trimmed === PROTECTED_END) return 'end';
  return null;
}

/** Find the marker blocks and orphan marker lines of a body (never throws). */
export function locateProtected(body: string): ProtectedLayout {
  const blocks: ProtectedBlock[] = [];
  const orphans: LineSpan[] = [];
  // Starts seen since the last end: the first opens a block, later ones are part of its content.
  let starts: LineSpan[] = [];
  for (const line of splitLines(body)) {
    const kind = markerKind(body, line);
    if (kind === 'start') starts.push(line);
    else if (kind === 'end') {
      const open = starts[0];
      if (open === undefined) orphans.push(line);
      else blocks.push({ start: open.start, contentStart: open.next, contentEnd: line.start, end: line.next });
      starts = [];
    }
  }
  // With no end after them, every pending start pairs with nothing.
  orphans.push(...starts);
  orphans.sort((a, b) => a.start - b.start);
  return { blocks, orphans };
}

/** Every range of a body that step edits must leave alone: all blocks and all orphan marker lines, in order. */
export function protectedRanges(layout: ProtectedLayout): TextRange[] {
  const ranges: TextRange[] = [
    ...layout.blocks.map((b) => ({ start: b.start, end: b.end })),
    ...layout.orphans.map((o) => ({ start: o.start, end: o.next })),
  ];
  return ranges.sort((a, b) => a.start - b.start);
}

/** True when a text contains anything that looks like a protected marker. */
export function hasProtectedMarker(text: string): boolean {
  return /skillopt:slow-update/i.test(text);
}

/** The raw text between the markers of the region (line endings kept), or null when there is no region. */
export function readProtectedContent(text: string): string | null {
  const { body } = splitSkillText(text);
  const block = locateProtected(body).blocks[0];
  return block === undefined ? null : body.slice(block.contentStart, block.contentEnd);
}

/** Replace content with the markers' own lines removed, in the document's line ending, ending in one. */
function normalizeContent(content: string, eol: '\n' | '\r\n'): string {
  const kept = splitLines(content)
    .filter((line) => markerKind(content, line) === null)
    .map((line) => content.slice(line.start, line.end));
  if (kept.length === 0) return '';
  return convertEol(kept.join('\n'), eol) + eol;
}

/**
 * Write the region's content: replace it inside the first block, or add a block at the end of the body.
 * Duplicate blocks are removed whole (they are stale machine-written copies); orphan marker lines are
 * removed alone (the text around them may be the user's). Nothing else in the document changes.
 */
export function writeProtectedContent(text: string, content: string): string {
  const { prefix, body, frontmatter } = splitSkillText(text);
  const eol = detectEol(text);
  const inner = normalizeContent(content, eol);
  const layout = locateProtected(body);
  const [first, ...duplicates] = layout.blocks;
  // Edit from the end so earlier offsets stay valid.
  const cuts: Array<{ start: number; end: number; insert: string }> = [
    ...duplicates.map((b) => ({ start: b.start, end: b.end, insert: '' })),
    ...layout.orphans.map((o) => ({ start: o.start, end: o.next, insert: '' })),
  ];
  if (first !== undefined) cuts.push({ start: first.contentStart, end: first.contentEnd, insert: inner });
  cuts.sort((a, b) => b.start - a.start);
  let out = body;
  for (const cut of cuts) out = out.slice(0, cut.start) + cut.insert + out.slice(cut.end);
  if (first === undefined) {
    const block = `${PROTECTED_START}${eol}${inner}${PROTECTED_END}${eol}`;
    if (out.length === 0) out = block;
    else out = out + (endsWithEol(out) ? eol : eol + eol) + block;
  }
  // Removing leading orphans can bring a "---" line to the top of a body without frontmatter; a
  // blank line keeps it from becoming an opening frontmatter fence.
  if (frontmatter === null && splitSkillText(prefix + out).frontmatter !== null) out = eol + out;
  return joinSkillText(prefix, out, eol);
}

/**
 * Remove every block and orphan marker line (for diffing what the step edits changed). A blank line
 * left doubled by the removal goes too, so stripping undoes the separation writeProtectedContent adds.
 */
export function stripProtectedRegion(text: string): string {
  const { prefix, body } = splitSkillText(text);
  const ranges = protectedRanges(locateProtected(body)).reverse();
  let out = body;
  for (const range of ranges) out = removeLines(out, range.start, range.end);
  return prefix + out;
}
