// Structural text helpers shared by the skill document, the protected region and the patcher.
// Everything here is byte-exact: nothing normalises line endings or whitespace unless asked.

/** A line ending used when new text is written into a skill. */
export type Eol = '\n' | '\r\n';

/** One line of a text: [start, end) is the line without its ending, next is where the following line starts. */
export interface LineSpan {
  start: number;
  end: number;
  next: number;
}

/** The structural parts of a skill file; prefix + body is the whole text, byte for byte. */
export interface SkillTextParts {
  /** '\uFEFF' when the text starts with a byte-order mark, else ''. */
  bom: string;
  /** Frontmatter delimiter lines (with their endings) and the YAML between them, or null when absent. */
  frontmatter: { open: string; raw: string; close: string } | null;
  /** BOM plus the whole frontmatter block: everything before the body. */
  prefix: string;
  body: string;
}

const OPEN_FENCE = /^---[ \t]*(\r?\n)/;
const CLOSE_FENCE = /^---[ \t]*$/;

/** Split a skill text into BOM, frontmatter block and body without parsing YAML (never throws). */
export function splitSkillText(text: string): SkillTextParts {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const rest = text.slice(bom.length);
  const open = OPEN_FENCE.exec(rest);
  if (open) {
    const afterOpen = open[0].length;
    // An opening fence with no closing fence is a thematic break, not frontmatter: keep it in the body.
    for (const line of splitLines(rest.slice(afterOpen))) {
      const lineText = rest.slice(afterOpen + line.start, afterOpen + line.end);
      if (CLOSE_FENCE.test(lineText)) {
        const raw = rest.slice(afterOpen, afterOpen + line.start);
        const close = rest.slice(afterOpen + line.start, afterOpen + line.next);
        const prefix = bom + open[0] + raw + close;
        return { bom, frontmatter: { open: open[0], raw, close }, prefix, body: text.slice(prefix.length) };
      }
    }
  }
  return { bom, frontmatter: null, prefix: bom, body: rest };
}

/**
 * prefix + body, with a line ending between them when a frontmatter closing fence ended the file
 * without one and the body is no longer empty (else the fence would run into the body's first line).
 */
export function joinSkillText(prefix: string, body: string, eol: Eol): string {
  const needsEol = body.length > 0 && prefix.endsWith('---') && !prefix.endsWith('\n');
  return prefix + (needsEol ? eol : '') + body;
}

/** The lines of a text; a final line ending does not start an extra empty line. */
export function splitLines(text: string): LineSpan[] {
  const lines: LineSpan[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      lines.push({ start, end: text.length, next: text.length });
      break;
    }
    const end = nl > start && text[nl - 1] === '\r' ? nl - 1 : nl;
    lines.push({ start, end, next: nl + 1 });
    start = nl + 1;
  }
  return lines;
}

/** The dominant line ending of a text (LF when there is none). */
export function detectEol(text: string): Eol {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text[i - 1] === '\r') crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** Rewrite every line ending (CRLF, CR, LF) of a text to one style. */
export function convertEol(text: string, eol: Eol): string {
  return text.replace(/\r\n|\r|\n/g, eol);
}

/** True when a line holds only spaces and tabs. */
export function isBlankLine(text: string, line: LineSpan): boolean {
  return /^[ \t]*$/.test(text.slice(line.start, line.end));
}

/** True when the text ends with a line ending (or is empty). */
export function endsWithEol(text: string): boolean {
  return text.length === 0 || text.endsWith('\n');
}

/** Offset where the line holding `offset` starts. */
export function lineStartAt(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * Remove [start, next) — whole lines — and, if that leaves two blank lines touching (or a blank line
 * at the very start or end), one blank line too, so a removal never leaves a visible gap behind.
 */
export function removeLines(text: string, start: number, next: number): string {
  let out = text.slice(0, start) + text.slice(next);
  const lines = splitLines(out);
  const after = lines.findIndex((l) => l.start >= start);
  const afterLine = after === -1 ? undefined : lines[after];
  const beforeLine = after === -1 ? lines[lines.length - 1] : after > 0 ? lines[after - 1] : undefined;
  const beforeBlank = beforeLine !== undefined && isBlankLine(out, beforeLine);
  const afterBlank = afterLine !== undefined && isBlankLine(out, afterLine);
  if (beforeBlank && (afterBlank || afterLine === undefined)) {
    out = out.slice(0, beforeLine.start) + out.slice(beforeLine.next);
  } else if (beforeLine === undefined && afterBlank) {
    out = out.slice(0, afterLine.start) + out.slice(afterLine.next);
  }
  return out;
}

/** Drop trailing whitespace-only lines; the last kept line keeps its own ending. */
export function trimTrailingBlankLines(text: string): string {
  const lines = splitLines(text);
  let keep = lines.length;
  while (keep > 0) {
    const line = lines[keep - 1];
    if (line === undefined || !isBlankLine(text, line)) break;
    keep--;
  }
  const last = keep > 0 ? lines[keep - 1] : undefined;
  return last === undefined ? '' : text.slice(0, last.next);
}

/** Collapse every run of whitespace to one space and trim: the form anchors and paragraphs are compared in. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Shorten a text for a one-line message. */
export function abbreviate(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
