import { describe, it, expect } from 'vitest';
import { SkillOptError, isSkillOptError } from '../core/errors.js';
import {
  createSkillText,
  decodeSkillBytes,
  parseSkillBytes,
  parseSkill,
  serializeSkill,
  skillDescription,
  skillName,
  tryParseSkill,
  withBody,
  withFrontmatterFields,
} from './document.js';

const roundTrips: Array<[string, string]> = [
  ['frontmatter and body', '---\nname: commit-helper\ndescription: Writes commits\n---\n# Commits\n\nUse imperative subjects.\n'],
  ['no frontmatter', '# Title\n\nJust a body.\n'],
  ['CRLF everywhere', '---\r\nname: x\r\n---\r\n# T\r\n\r\nLine.\r\n'],
  ['mixed endings', '---\nname: x\r\n---\n# T\r\nLine.\n'],
  ['BOM with frontmatter', '\uFEFF---\nname: bom\n---\nBody\n'],
  ['BOM without frontmatter', '\uFEFF# Only body\n'],
  ['no final newline', '---\nname: x\n---\nlast line'],
  ['closing fence at end of file', '---\nname: x\n---'],
  ['trailing whitespace kept', '---  \nname: x   \n---\t\nBody   \n\n\n  '],
  ['unicode', '---\nname: café\ndescription: "日本語 ✓ — emoji 🚀"\n---\nÜberschrift 🚀\n\n改行\n'],
  ['empty frontmatter', '---\n---\nBody\n'],
  ['comment-only frontmatter', '---\n# nothing yet\n---\nBody\n'],
  ['empty file', ''],
  ['thematic break, not frontmatter', '---\nno closing fence here\n'],
  ['body starting with a rule after frontmatter', '---\nname: x\n---\n---\nrule above\n'],
];

describe('parseSkill / serializeSkill', () => {
  it.each(roundTrips)('round-trips byte for byte: %s', (_label, text) => {
    expect(serializeSkill(parseSkill(text, 'SKILL.md'))).toBe(text);
  });

  it('reads the frontmatter fields and keeps unknown ones', () => {
    const doc = parseSkill('---\nname: a\ndescription: b\nlicense: MIT\ntags: [x, y]\n---\nBody\n');
    expect(doc.frontmatter).toEqual({ name: 'a', description: 'b', license: 'MIT', tags: ['x', 'y'] });
    expect(skillName(doc)).toBe('a');
    expect(skillDescription(doc)).toBe('b');
    expect(doc.body).toBe('Body\n');
    expect(doc.frontmatterRaw).toBe('name: a\ndescription: b\nlicense: MIT\ntags: [x, y]\n');
  });

  it('gives null frontmatter without a block and {} for an empty one', () => {
    expect(parseSkill('# x\n').frontmatter).toBeNull();
    expect(parseSkill('---\n---\nx\n').frontmatter).toEqual({});
    expect(skillName(parseSkill('---\nname: 3\n---\n'))).toBeUndefined();
  });

  it('detects the dominant line ending and the BOM', () => {
    expect(parseSkill('a\r\nb\r\nc\n').eol).toBe('\r\n');
    expect(parseSkill('a\nb\n').eol).toBe('\n');
    expect(parseSkill('\uFEFFx').bom).toBe('\uFEFF');
    expect(parseSkill('\uFEFFx').body).toBe('x');
  });

  it('rejects malformed YAML with an INPUT error naming the file and line', () => {
    const text = '---\nname: ok\ndescription: [unclosed\nother: 1\n---\nBody\n';
    let caught: unknown;
    try {
      parseSkill(text, '/skills/demo/SKILL.md');
    } catch (error) {
      caught = error;
    }
    expect(isSkillOptError(caught, 'INPUT')).toBe(true);
    const error = caught as SkillOptError;
    expect(error.message).toMatch(/^\/skills\/demo\/SKILL\.md:\d+: frontmatter YAML is malformed/);
    expect(error.hint).toMatch(/YAML/);
  });

  it('reports the file line of the offending key (duplicate key on line 4)', () => {
    const result = tryParseSkill('---\nname: a\ndescription: b\nname: c\n---\n', 'x.md');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/^x\.md:4: frontmatter YAML is malformed: Map keys must be unique/);
  });

  it('reports a compact-mapping error on its own line', () => {
    const result = tryParseSkill('---\ndescription: use a: b\n---\nBody', 'y.md');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/^y\.md:2: /);
  });

  it('puts an error found at the end of the YAML on its last line', () => {
    const result = tryParseSkill('---\nname: ok\ndescription: "unterminated\n---\nBody\n', 'q.md');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/^q\.md:3: frontmatter YAML is malformed: Missing closing "quote/);
  });

  it('rejects an unresolved alias as unreadable frontmatter', () => {
    const result = tryParseSkill('---\nk: *nope\n---\n', 'a.md');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/^a\.md:2: frontmatter YAML cannot be read/);
  });

  it('rejects frontmatter that is not a mapping', () => {
    const result = tryParseSkill('---\n- a\n- b\n---\nBody\n', 'list.md');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INPUT');
      expect(result.error.message).toContain('list.md:2: frontmatter must be a YAML mapping, found a list');
    }
  });

  it('returns the document as a value when it parses', () => {
    const result = tryParseSkill('---\nname: ok\n---\nB');
    expect(result.ok && result.doc.body).toBe('B');
  });
});

describe('editing a document', () => {
  it('withBody keeps the frontmatter bytes', () => {
    const doc = parseSkill('---\r\nname: x # keep\r\n---\r\nold\r\n');
    expect(serializeSkill(withBody(doc, 'new\r\n'))).toBe('---\r\nname: x # keep\r\n---\r\nnew\r\n');
  });

  it('sets and deletes frontmatter fields, keeping comments, order and line endings', () => {
    const doc = parseSkill('---\r\n# owner: me\r\nname: a\r\nextra: 1\r\ndescription: old\r\n---\r\nBody\r\n');
    const next = withFrontmatterFields(doc, { description: 'new', extra: undefined });
    expect(serializeSkill(next)).toBe('---\r\n# owner: me\r\nname: a\r\ndescription: new\r\n---\r\nBody\r\n');
    expect(next.frontmatter).toEqual({ name: 'a', description: 'new' });
  });

  it('adds a frontmatter block to a document without one', () => {
    const next = withFrontmatterFields(parseSkill('Body\n'), { name: 'n' });
    expect(serializeSkill(next)).toBe('---\nname: n\n---\nBody\n');
  });

  it('creates a new skill text that parses back', () => {
    const text = createSkillText({ name: 'learned', description: 'Notes: what worked', body: '# Learned\n\n\n' });
    expect(text).toBe('---\nname: learned\ndescription: "Notes: what worked"\n---\n# Learned\n');
    const doc = parseSkill(text);
    expect(skillDescription(doc)).toBe('Notes: what worked');
  });
});

describe('decodeSkillBytes', () => {
  it('decodes UTF-8 and keeps the BOM so the file round-trips', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('# Café\n')]);
    const text = decodeSkillBytes(bytes, 'a.md');
    expect(text).toBe('\uFEFF# Café\n');
    expect(Buffer.from(text, 'utf8').equals(Buffer.from(bytes))).toBe(true);
  });

  it('rejects Latin-1 bytes with an INPUT error naming the file and offset', () => {
    const bytes = new Uint8Array([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]); // "# Café\n" in Latin-1
    expect(() => decodeSkillBytes(bytes, '/x/SKILL.md')).toThrowError(/\/x\/SKILL\.md is not UTF-8 text \(invalid byte 0xe9 at offset 5\)/);
    try {
      decodeSkillBytes(bytes, '/x/SKILL.md');
    } catch (error) {
      expect(isSkillOptError(error, 'INPUT')).toBe(true);
      expect((error as SkillOptError).hint).toMatch(/UTF-8/);
    }
  });

  it('rejects a truncated multi-byte sequence and an encoded surrogate', () => {
    expect(() => decodeSkillBytes(new Uint8Array([0x61, 0xe2, 0x82]), 't.md')).toThrowError(/offset 1/);
    expect(() => decodeSkillBytes(new Uint8Array([0xed, 0xa0, 0x80]), 's.md')).toThrowError(/offset 0/);
  });

  it('parseSkillBytes decodes then parses, naming the file on either failure', () => {
    const doc = parseSkillBytes(new TextEncoder().encode('---\nname: b\n---\nBody\n'), 'ok.md');
    expect(skillName(doc)).toBe('b');
    expect(() => parseSkillBytes(new Uint8Array([0xff]), 'bad.md')).toThrowError(/bad\.md is not UTF-8/);
    expect(() => parseSkillBytes(new TextEncoder().encode('---\na: [\n---\n'), 'y.md')).toThrowError(/y\.md:\d+: frontmatter/);
  });

  it('rejects binary content with NUL bytes', () => {
    expect(() => decodeSkillBytes(new Uint8Array([0x61, 0x00, 0x62]), 'b.bin')).toThrowError(/b\.bin is not UTF-8 text.*NUL/);
  });
});
