import { describe, it, expect } from 'vitest';
import {
  abbreviate,
  convertEol,
  detectEol,
  endsWithEol,
  joinSkillText,
  lineStartAt,
  normalizeWhitespace,
  removeLines,
  splitLines,
  splitSkillText,
  trimTrailingBlankLines,
} from './text.js';

describe('splitSkillText', () => {
  it('splits BOM, frontmatter and body so they concatenate back to the input', () => {
    const text = '\uFEFF---  \r\nname: x\r\n---\r\nbody\r\n';
    const parts = splitSkillText(text);
    expect(parts.bom).toBe('\uFEFF');
    expect(parts.frontmatter).toEqual({ open: '---  \r\n', raw: 'name: x\r\n', close: '---\r\n' });
    expect(parts.prefix + parts.body).toBe(text);
    expect(parts.body).toBe('body\r\n');
  });

  it('needs the opening fence on the first line and a closing fence', () => {
    expect(splitSkillText('\n---\na: 1\n---\n').frontmatter).toBeNull();
    expect(splitSkillText('---\na: 1\n').frontmatter).toBeNull();
    expect(splitSkillText('----\na: 1\n---\n').frontmatter).toBeNull();
    expect(splitSkillText('---\na: 1\n--- \n').frontmatter?.close).toBe('--- \n');
    expect(splitSkillText('---\na: 1\n----\n---\n').frontmatter?.raw).toBe('a: 1\n----\n');
  });
});

describe('joinSkillText', () => {
  it('adds a line ending only after a fence that ended the file, and only for a non-empty body', () => {
    expect(joinSkillText('---\na: 1\n---', 'b\n', '\n')).toBe('---\na: 1\n---\nb\n');
    expect(joinSkillText('---\na: 1\n---', '', '\n')).toBe('---\na: 1\n---');
    expect(joinSkillText('---\na: 1\n---\n', 'b', '\n')).toBe('---\na: 1\n---\nb');
    expect(joinSkillText('\uFEFF', 'b', '\r\n')).toBe('\uFEFFb');
  });
});

describe('line helpers', () => {
  it('splitLines excludes CR from the line and does not invent a last empty line', () => {
    expect(splitLines('a\r\nb\nc')).toEqual([
      { start: 0, end: 1, next: 3 },
      { start: 3, end: 4, next: 5 },
      { start: 5, end: 6, next: 6 },
    ]);
    expect(splitLines('')).toEqual([]);
    expect(splitLines('\n')).toEqual([{ start: 0, end: 0, next: 1 }]);
  });

  it('detectEol picks the majority and defaults to LF', () => {
    expect(detectEol('a\r\nb\r\nc\n')).toBe('\r\n');
    expect(detectEol('a\r\nb\nc\n')).toBe('\n');
    expect(detectEol('abc')).toBe('\n');
  });

  it('convertEol rewrites CRLF, CR and LF', () => {
    expect(convertEol('a\r\nb\rc\nd', '\r\n')).toBe('a\r\nb\r\nc\r\nd');
    expect(convertEol('a\r\nb', '\n')).toBe('a\nb');
  });

  it('endsWithEol, lineStartAt', () => {
    expect(endsWithEol('')).toBe(true);
    expect(endsWithEol('a\r\n')).toBe(true);
    expect(endsWithEol('a')).toBe(false);
    expect(lineStartAt('ab\ncd', 4)).toBe(3);
    expect(lineStartAt('ab\ncd', 0)).toBe(0);
    expect(lineStartAt('ab\ncd', 3)).toBe(3);
  });

  it('removeLines collapses the blank lines a removal leaves touching', () => {
    expect(removeLines('a\n\nb\n\nc\n', 3, 5)).toBe('a\n\nc\n');
    expect(removeLines('a\n\nb\n', 3, 5)).toBe('a\n');
    expect(removeLines('b\n\nc\n', 0, 2)).toBe('c\n');
    expect(removeLines('a\nb\nc\n', 2, 4)).toBe('a\nc\n');
    expect(removeLines('a\r\n\r\nb\r\n\r\nc\r\n', 4, 7)).toBe('a\r\n\r\nc\r\n');
  });

  it('trimTrailingBlankLines keeps the last real line and its ending', () => {
    expect(trimTrailingBlankLines('a\n\n  \n\t\n')).toBe('a\n');
    expect(trimTrailingBlankLines('a  ')).toBe('a  ');
    expect(trimTrailingBlankLines('\n\n')).toBe('');
  });

  it('normalizeWhitespace and abbreviate', () => {
    expect(normalizeWhitespace('  a \t\r\n b  ')).toBe('a b');
    expect(abbreviate('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(abbreviate('a\nb')).toBe('a b');
  });
});
