// The skill document model: Markdown with optional YAML frontmatter, kept byte-exact so an
// unchanged document serialises to the very bytes it was read from.
import { Document, parseDocument } from 'yaml';
import { SkillOptError } from '../core/errors.js';
import { convertEol, detectEol, splitSkillText } from './text.js';
import type { Eol } from './text.js';

export {
  PROTECTED_END,
  PROTECTED_START,
  readProtectedContent,
  stripProtectedRegion,
  writeProtectedContent,
} from './protected-region.js';

/** A parsed skill file. serializeSkill(parseSkill(t)) === t for every t that parses. */
export interface SkillDocument {
  /** '\uFEFF' when the file starts with a byte-order mark, else ''. */
  bom: string;
  /** The YAML text between the delimiter lines, exactly as written; null when there is no frontmatter. */
  frontmatterRaw: string | null;
  /** The parsed frontmatter mapping ({} for an empty block); null when there is no frontmatter. */
  frontmatter: Record<string, unknown> | null;
  /** The delimiter lines exactly as written (trailing spaces and line endings kept). */
  fences: { open: string; close: string } | null;
  /** Everything after the frontmatter. */
  body: string;
  /** The dominant line ending, used for any text written into the document. */
  eol: Eol;
}

/** Parsing either yields a document or the INPUT error that parseSkill would throw. */
export type ParseSkillResult = { ok: true; doc: SkillDocument } | { ok: false; error: SkillOptError };

const FRONTMATTER_HINT =
  'Fix the YAML between the two --- lines (quote values that contain ": " or start with a special character), or remove the frontmatter.';

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function parseFrontmatter(raw: string, path: string, firstLine: number): Record<string, unknown> {
  const yamlDoc = parseDocument(raw, { prettyErrors: false, uniqueKeys: true });
  const error = yamlDoc.errors[0];
  if (error !== undefined) {
    // An error found at the end of the text (an unclosed quote) belongs to the last line, not the one after it.
    const offset = Math.max(0, Math.min(error.pos[0], raw.trimEnd().length - 1));
    const line = firstLine + lineOfOffset(raw, offset) - 1;
    const reason = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
    throw new SkillOptError('INPUT', `${path}:${line}: frontmatter YAML is malformed: ${reason}`, {
      hint: FRONTMATTER_HINT,
    });
  }
  let value: unknown;
  try {
    value = yamlDoc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new SkillOptError('INPUT', `${path}:${firstLine}: frontmatter YAML cannot be read: ${reason}`, {
      hint: FRONTMATTER_HINT,
      cause,
    });
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    const found = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    throw new SkillOptError('INPUT', `${path}:${firstLine}: frontmatter must be a YAML mapping, found ${found}`, {
      hint: 'Write the frontmatter as key: value lines, for example "name: my-skill".',
    });
  }
  return value as Record<string, unknown>;
}

/** Parse a skill text. Throws SkillOptError('INPUT') naming the file and line when the frontmatter is malformed. */
export function parseSkill(text: string, path = 'skill'): SkillDocument {
  const parts = splitSkillText(text);
  const eol = detectEol(text);
  if (parts.frontmatter === null) {
    return { bom: parts.bom, frontmatterRaw: null, frontmatter: null, fences: null, body: parts.body, eol };
  }
  const { open, raw, close } = parts.frontmatter;
  return {
    bom: parts.bom,
    frontmatterRaw: raw,
    frontmatter: parseFrontmatter(raw, path, 2),
    fences: { open, close },
    body: parts.body,
    eol,
  };
}

/** Parse a skill text, returning the INPUT error as a value instead of throwing. */
export function tryParseSkill(text: string, path = 'skill'): ParseSkillResult {
  try {
    return { ok: true, doc: parseSkill(text, path) };
  } catch (error) {
    if (error instanceof SkillOptError) return { ok: false, error };
    throw error;
  }
}

/** Serialise a skill document: BOM, frontmatter block exactly as stored, then the body. */
export function serializeSkill(doc: SkillDocument): string {
  if (doc.frontmatterRaw === null) return doc.bom + doc.body;
  const open = doc.fences?.open ?? `---${doc.eol}`;
  const close = doc.fences?.close ?? `---${doc.eol}`;
  // A raw block that lost its final line ending would glue the YAML to the closing fence.
  const raw = doc.frontmatterRaw.length > 0 && !doc.frontmatterRaw.endsWith('\n') ? doc.frontmatterRaw + doc.eol : doc.frontmatterRaw;
  return doc.bom + open + raw + close + doc.body;
}

/** The same document with another body. */
export function withBody(doc: SkillDocument, body: string): SkillDocument {
  return { ...doc, body };
}

/**
 * Set frontmatter fields (undefined deletes one), keeping the other fields, their order and comments.
 * Adds a frontmatter block when the document has none.
 */
export function withFrontmatterFields(doc: SkillDocument, fields: Record<string, unknown>): SkillDocument {
  const yamlDoc = doc.frontmatterRaw === null ? new Document({}) : parseDocument(doc.frontmatterRaw);
  if (yamlDoc.contents === null) yamlDoc.contents = yamlDoc.createNode({});
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) yamlDoc.delete(key);
    else yamlDoc.set(key, value);
  }
  const raw = convertEol(yamlDoc.toString({ lineWidth: 0 }), doc.eol).replace(/^\{\}\r?\n$/, '');
  const frontmatter = (yamlDoc.toJS() ?? {}) as Record<string, unknown>;
  const fences = doc.fences ?? { open: `---${doc.eol}`, close: `---${doc.eol}` };
  return { ...doc, frontmatterRaw: raw, frontmatter, fences };
}

/** The frontmatter `name`, when it is a string. */
export function skillName(doc: SkillDocument): string | undefined {
  const name = doc.frontmatter?.['name'];
  return typeof name === 'string' ? name : undefined;
}

/** The frontmatter `description`, when it is a string. */
export function skillDescription(doc: SkillDocument): string | undefined {
  const description = doc.frontmatter?.['description'];
  return typeof description === 'string' ? description : undefined;
}

/** A new skill text with name/description frontmatter and a body ending in one newline. */
export function createSkillText(input: { name: string; description: string; body: string }): string {
  const base: SkillDocument = {
    bom: '',
    frontmatterRaw: null,
    frontmatter: null,
    fences: null,
    body: input.body.replace(/\s*$/, '\n'),
    eol: '\n',
  };
  return serializeSkill(withFrontmatterFields(base, { name: input.name, description: input.description }));
}

/** Decode and parse a skill file's bytes; throws SkillOptError('INPUT') naming the file on bad bytes or frontmatter. */
export function parseSkillBytes(bytes: Uint8Array, path: string): SkillDocument {
  return parseSkill(decodeSkillBytes(bytes, path), path);
}

/** Offset of the first byte that is not valid UTF-8, or -1. */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    const b1 = bytes[i + 1] ?? 0;
    // Overlong three/four-byte forms, UTF-16 surrogates and code points past U+10FFFF.
    if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 > 0x9f) || (b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 > 0x8f)) {
      return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Decode a skill file's bytes; throws SkillOptError('INPUT') naming the file when they are not UTF-8 text. */
export function decodeSkillBytes(bytes: Uint8Array, path: string): string {
  let text: string;
  try {
    // ignoreBOM keeps a leading BOM in the string so the file round-trips byte for byte.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (cause) {
    const offset = firstInvalidUtf8Offset(bytes);
    const where = offset >= 0 ? ` (invalid byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at offset ${offset})` : '';
    throw new SkillOptError('INPUT', `${path} is not UTF-8 text${where}`, {
      hint: 'Skill files must be UTF-8 Markdown: re-save the file as UTF-8 (for example with iconv -f latin1 -t utf-8).',
      cause,
    });
  }
  if (text.includes('\u0000')) {
    throw new SkillOptError('INPUT', `${path} is not UTF-8 text (it contains NUL bytes, so it looks binary)`, {
      hint: 'Point skillopt-sleep at the Markdown skill file (for example SKILL.md), not a binary file.',
    });
  }
  return text;
}
