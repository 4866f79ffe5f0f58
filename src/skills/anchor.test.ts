import { describe, it, expect } from 'vitest';
import { containsParagraphs, locateCodeFences, matchAnchor, paragraphsOf } from './anchor.js';
import type { AnchorContext } from './anchor.js';

function ctx(body: string, extra: Partial<AnchorContext> = {}): AnchorContext {
  return { body, prefix: '', eol: '\n', protectedRanges: [], fenceRanges: locateCodeFences(body), ...extra };
}

describe('locateCodeFences', () => {
  it('finds closed and unclosed fences, fence lines included', () => {
    const body = 'a\n```js\nx\n```\nb\n~~~\ny\n';
    expect(locateCodeFences(body)).toEqual([
      { start: 2, end: 14 },
      { start: 16, end: body.length },
    ]);
  });

  it('does not treat a backtick line with backticks in its info string as a fence', () => {
    expect(locateCodeFences('``` a`b\ntext\n')).toEqual([]);
  });

  it('ignores fences indented four spaces and fence lines inside skipped ranges', () => {
    expect(locateCodeFences('    ```\nx\n')).toEqual([]);
    expect(locateCodeFences('```\nx\n', [{ start: 0, end: 4 }])).toEqual([]);
  });
});

describe('matchAnchor', () => {
  it('returns the exact span first', () => {
    expect(matchAnchor(ctx('one two three'), 'two')).toEqual({ ok: true, start: 4, end: 7, match: 'exact' });
  });

  it('maps a normalised match back to the original span, excluding outer whitespace', () => {
    const body = 'say   hello\n  world now';
    const found = matchAnchor(ctx(body), ' hello world ');
    expect(found).toEqual({ ok: true, start: 6, end: 19, match: 'normalized' });
    if (found.ok) expect(body.slice(found.start, found.end)).toBe('hello\n  world');
  });

  it('counts overlapping occurrences as ambiguous', () => {
    expect(matchAnchor(ctx('aaa'), 'aa')).toMatchObject({ ok: false, reason: 'anchor_ambiguous' });
  });

  it('prefers protected over code fence when a match overlaps both', () => {
    const body = '```\nx\n```\n';
    const found = matchAnchor(ctx(body, { protectedRanges: [{ start: 0, end: 4 }] }), '```\nx');
    expect(found).toMatchObject({ ok: false, reason: 'anchor_in_protected_region' });
  });

  it('touching a fence from outside is not inside it', () => {
    expect(matchAnchor(ctx('before\n```\nx\n```\n'), 'before\n')).toMatchObject({ ok: true });
  });

  it('looks in the prefix only to explain a miss', () => {
    const found = matchAnchor(ctx('body', { prefix: '---\nname: secret\n---\n' }), 'secret');
    expect(found).toMatchObject({ ok: false, reason: 'anchor_in_frontmatter' });
  });
});

describe('paragraphs', () => {
  it('splits on blank lines and separator ranges, normalising whitespace', () => {
    const text = 'a  b\nc\n\n  d\nMARK\ne\n';
    expect(paragraphsOf(text)).toEqual(['a b c', 'd MARK e']);
    expect(paragraphsOf(text, [{ start: 12, end: 17 }])).toEqual(['a b c', 'd', 'e']);
  });

  it('containsParagraphs needs every paragraph in order and adjacent', () => {
    const body = paragraphsOf('p1\n\np2\n\np3\n');
    expect(containsParagraphs(body, 'p2\n\np3')).toBe(true);
    expect(containsParagraphs(body, 'p1\n\np3')).toBe(false);
    expect(containsParagraphs(body, '')).toBe(false);
  });
});
