import { describe, it, expect } from 'vitest';
import { applyEdits, summarizeReport } from './patch.js';
import { PROTECTED_END, PROTECTED_START, readProtectedContent } from './protected-region.js';
import type { Edit, EditOutcome, UnmatchedReason } from './types.js';

const S = PROTECTED_START;
const E = PROTECTED_END;
const FRONT = '---\nname: demo\ndescription: Only the frontmatter says zebra\n---\n';
const BODY = [
  '# Demo',
  '',
  'Intro paragraph.',
  '',
  '## Rules',
  '',
  '- Use tabs.',
  '- Write tests first.',
  '',
  '```bash',
  'npm run fence-only',
  '```',
  '',
  'Closing line.',
  '',
  S,
  'Guidance: prefer small commits.',
  E,
  '',
].join('\n');
const DOC = FRONT + BODY;

function one(text: string, edit: Edit): { text: string; outcome: EditOutcome } {
  const result = applyEdits(text, [edit]);
  const row = result.report[0];
  if (row === undefined) throw new Error('no report row');
  return { text: result.text, outcome: row.outcome };
}

function expectUnmatched(text: string, edit: Edit, reason: UnmatchedReason): string {
  const { text: out, outcome } = one(text, edit);
  expect(outcome.status).toBe('unmatched');
  if (outcome.status === 'unmatched') {
    expect(outcome.reason).toBe(reason);
    expect(outcome.detail.length).toBeGreaterThan(10);
  }
  expect(out).toBe(text);
  return outcome.status === 'unmatched' ? outcome.detail : '';
}

describe('append', () => {
  it('adds a trimmed paragraph before the protected region', () => {
    const { text, outcome } = one(DOC, { op: 'append', content: '\n\n  Always run the linter.  \n\n' });
    expect(outcome).toEqual({ status: 'applied', match: 'none' });
    expect(text).toBe(DOC.replace(`Closing line.\n\n${S}`, `Closing line.\n\nAlways run the linter.\n\n${S}`));
  });

  it('adds at the very end when there is no protected region, keeping the final-newline state', () => {
    expect(one('# T\n\nText\n', { op: 'append', content: 'More.' }).text).toBe('# T\n\nText\n\nMore.\n');
    expect(one('# T\n\nText', { op: 'append', content: 'More.' }).text).toBe('# T\n\nText\n\nMore.');
    expect(one('# T\n\nText\n\n\n', { op: 'append', content: 'More.' }).text).toBe('# T\n\nText\n\nMore.\n');
    expect(one('', { op: 'append', content: 'First.' }).text).toBe('First.\n');
    expect(one('---\na: 1\n---\n', { op: 'append', content: 'First.' }).text).toBe('---\na: 1\n---\nFirst.\n');
    // A closing fence that ended the file gets its line ending, so the fence still closes.
    expect(one('---\na: 1\n---', { op: 'append', content: 'First.' }).text).toBe('---\na: 1\n---\nFirst.\n');
  });

  it('appends at the end when real text follows the protected region', () => {
    const text = `# T\n\n${S}\ng\n${E}\n\nTail.\n`;
    expect(one(text, { op: 'append', content: 'New.' }).text).toBe(`# T\n\n${S}\ng\n${E}\n\nTail.\n\nNew.\n`);
  });

  it('writes content in the document line ending', () => {
    const crlf = `# T\r\n\r\nText\r\n\r\n${S}\r\ng\r\n${E}\r\n`;
    expect(one(crlf, { op: 'append', content: 'Line one\nline two' }).text).toBe(
      `# T\r\n\r\nText\r\n\r\nLine one\r\nline two\r\n\r\n${S}\r\ng\r\n${E}\r\n`,
    );
  });

  it('goes first in a body that is only the protected region', () => {
    expect(one(`${S}\ng\n${E}\n`, { op: 'append', content: 'New.' }).text).toBe(`New.\n\n${S}\ng\n${E}\n`);
  });
});

describe('insert_after', () => {
  it('inserts a new paragraph after the line where the anchor ends', () => {
    const { text, outcome } = one(DOC, { op: 'insert_after', anchor: 'Intro', content: 'Read the intro twice.' });
    expect(outcome).toEqual({ status: 'applied', match: 'exact' });
    expect(text).toBe(DOC.replace('Intro paragraph.\n\n', 'Intro paragraph.\n\nRead the intro twice.\n\n'));
  });

  it('uses the last line of a multi-line anchor and separates from the next line', () => {
    const { text } = one(DOC, { op: 'insert_after', anchor: '- Use tabs.\n- Write tests', content: 'Lists end here.' });
    expect(text).toBe(DOC.replace('- Write tests first.\n\n', '- Write tests first.\n\nLists end here.\n\n'));
    const tight = one('a\nb\nc\n', { op: 'insert_after', anchor: 'b\n', content: 'X' }).text;
    expect(tight).toBe('a\nb\n\nX\n\nc\n');
  });

  it('inserts after a last line without a newline', () => {
    expect(one('a\nlast', { op: 'insert_after', anchor: 'last', content: 'X' }).text).toBe('a\nlast\n\nX');
    expect(one('a\nlast\n', { op: 'insert_after', anchor: 'last', content: 'X' }).text).toBe('a\nlast\n\nX\n');
  });

  it('never lands inside the protected region when the anchor sits just above it', () => {
    const text = `Closing line.\n${S}\ng\n${E}\n`;
    const out = one(text, { op: 'insert_after', anchor: 'Closing line.', content: 'X' }).text;
    expect(out).toBe(`Closing line.\n\nX\n\n${S}\ng\n${E}\n`);
  });
});

describe('replace', () => {
  it('replaces the matched text inside a line', () => {
    const { text, outcome } = one(DOC, { op: 'replace', anchor: 'Use tabs.', content: 'Use two spaces.' });
    expect(outcome).toEqual({ status: 'applied', match: 'exact' });
    expect(text).toBe(DOC.replace('- Use tabs.', '- Use two spaces.'));
  });

  it('keeps the whole-line structure of a multi-line anchor', () => {
    const { text } = one(DOC, { op: 'replace', anchor: '- Use tabs.\n- Write tests first.\n', content: '- One rule only.' });
    expect(text).toBe(DOC.replace('- Use tabs.\n- Write tests first.\n', '- One rule only.\n'));
  });

  it('reports no_change for an identical replacement', () => {
    expectUnmatched(DOC, { op: 'replace', anchor: 'Use tabs.', content: '  Use tabs.  ' }, 'no_change');
  });
});

describe('delete', () => {
  it('removes whole lines including their line ending', () => {
    const { text, outcome } = one(DOC, { op: 'delete', anchor: '- Use tabs.' });
    expect(outcome).toEqual({ status: 'applied', match: 'exact' });
    expect(text).toBe(DOC.replace('- Use tabs.\n', ''));
  });

  it('leaves no double blank line behind a removed paragraph', () => {
    const { text } = one(DOC, { op: 'delete', anchor: 'Intro paragraph.' });
    expect(text).toBe(DOC.replace('Intro paragraph.\n\n', ''));
    expect(one('a\n\nlast\n', { op: 'delete', anchor: 'last' }).text).toBe('a\n');
    expect(one('first\n\nb\n', { op: 'delete', anchor: 'first\n' }).text).toBe('b\n');
  });

  it('removes only the text for a partial-line anchor, folding the doubled space', () => {
    expect(one('Use tabs. Never spaces. Always.\n', { op: 'delete', anchor: 'Never spaces.' }).text).toBe('Use tabs. Always.\n');
  });

  it('ignores content on delete', () => {
    expect(one('a\nb\n', { op: 'delete', anchor: 'b', content: 'whatever' }).text).toBe('a\n');
  });
});

describe('anchor matching', () => {
  it('falls back to whitespace-normalised matching and maps back to the original span', () => {
    const text = '# T\n\nAlways   run\n   the tests\tbefore pushing.\n';
    const { text: out, outcome } = one(text, { op: 'replace', anchor: 'run the tests before', content: 'run the linter before' });
    expect(outcome).toEqual({ status: 'applied', match: 'normalized' });
    expect(out).toBe('# T\n\nAlways   run the linter before pushing.\n');
  });

  it('matches a line-trimmed anchor across different indentation and line endings', () => {
    const text = 'a\r\n    - nested item\r\n    - second\r\nz\r\n';
    const { text: out, outcome } = one(text, { op: 'delete', anchor: '- nested item\n- second' });
    expect(outcome).toEqual({ status: 'applied', match: 'normalized' });
    expect(out).toBe('a\r\nz\r\n');
  });

  it('converts the anchor line endings before exact matching', () => {
    const { outcome } = one('a\r\nb\r\nc\r\n', { op: 'delete', anchor: 'a\nb\n' });
    expect(outcome).toEqual({ status: 'applied', match: 'exact' });
  });
});

describe('unmatched reasons', () => {
  it('anchor_missing: anchored op with no or blank anchor', () => {
    expectUnmatched(DOC, { op: 'replace', content: 'x' }, 'anchor_missing');
    expectUnmatched(DOC, { op: 'insert_after', anchor: '  \n', content: 'x' }, 'anchor_missing');
    expectUnmatched(DOC, { op: 'delete', anchor: '' }, 'anchor_missing');
  });

  it('anchor_not_found', () => {
    const detail = expectUnmatched(DOC, { op: 'delete', anchor: 'Nothing like this' }, 'anchor_not_found');
    expect(detail).toContain('Nothing like this');
  });

  it('anchor_ambiguous: more than one match, exact or normalised', () => {
    const detail = expectUnmatched('x rule\n\ny rule\n', { op: 'replace', anchor: 'rule', content: 'law' }, 'anchor_ambiguous');
    expect(detail).toMatch(/2 places/);
    expectUnmatched('a  b\n\na\tb\n', { op: 'delete', anchor: 'a b' }, 'anchor_ambiguous');
  });

  it('anchor_ambiguous also counts a copy inside the protected region', () => {
    expectUnmatched(`Keep it short.\n\n${S}\nKeep it short.\n${E}\n`, { op: 'delete', anchor: 'Keep it short.' }, 'anchor_ambiguous');
  });

  it('anchor_in_protected_region: inside, and spanning a marker', () => {
    expectUnmatched(DOC, { op: 'replace', anchor: 'prefer small commits', content: 'prefer big ones' }, 'anchor_in_protected_region');
    expectUnmatched(DOC, { op: 'delete', anchor: `Closing line.\n\n${S}` }, 'anchor_in_protected_region');
    expectUnmatched(DOC, { op: 'insert_after', anchor: E, content: 'x' }, 'anchor_in_protected_region');
    expectUnmatched(`a\n${E}\nb\n`, { op: 'delete', anchor: `a\n${E}` }, 'anchor_in_protected_region');
  });

  it('anchor_in_protected_region: a partial-line edit that would merge a line into a marker', () => {
    const text = `keep me\n${S}\ng\n${E}\n`;
    expectUnmatched(text, { op: 'delete', anchor: 'me\n' }, 'anchor_in_protected_region');
  });

  it('anchor_in_frontmatter: found only in the frontmatter', () => {
    const detail = expectUnmatched(DOC, { op: 'replace', anchor: 'says zebra', content: 'says horse' }, 'anchor_in_frontmatter');
    expect(detail).toMatch(/frontmatter/);
    expectUnmatched(DOC, { op: 'delete', anchor: 'name:   demo' }, 'anchor_in_frontmatter');
    expectUnmatched(DOC, { op: 'delete', anchor: 'zebra\n---\n# Demo' }, 'anchor_in_frontmatter');
  });

  it('anchor_in_code_fence: backtick and tilde fences, and unclosed fences', () => {
    expectUnmatched(DOC, { op: 'replace', anchor: 'fence-only', content: 'x' }, 'anchor_in_code_fence');
    expectUnmatched(DOC, { op: 'delete', anchor: '```bash' }, 'anchor_in_code_fence');
    expectUnmatched('a\n~~~~\ncode\n~~~~\nb\n', { op: 'delete', anchor: 'code' }, 'anchor_in_code_fence');
    expectUnmatched('a\n```\nnever closed\n', { op: 'delete', anchor: 'never closed' }, 'anchor_in_code_fence');
    // A shorter or different fence does not close a longer one.
    expectUnmatched('````\n```\ninner\n~~~~\n````\n', { op: 'delete', anchor: 'inner' }, 'anchor_in_code_fence');
    expect(one('```\ncode\n```\nafter\n', { op: 'delete', anchor: 'after' }).outcome.status).toBe('applied');
  });

  it('content_missing: append, insert_after and replace need content', () => {
    expectUnmatched(DOC, { op: 'append' }, 'content_missing');
    expectUnmatched(DOC, { op: 'append', content: ' \n\t' }, 'content_missing');
    expectUnmatched(DOC, { op: 'insert_after', anchor: 'Intro', content: '' }, 'content_missing');
    expectUnmatched(DOC, { op: 'replace', anchor: 'Intro' }, 'content_missing');
  });

  it('content_has_protected_marker', () => {
    expectUnmatched(DOC, { op: 'append', content: `x\n${S}\ny` }, 'content_has_protected_marker');
    expectUnmatched(DOC, { op: 'replace', anchor: 'Intro', content: `see ${E}` }, 'content_has_protected_marker');
    expectUnmatched(DOC, { op: 'insert_after', anchor: 'Intro', content: '<!-- skillopt:slow-update:start' }, 'content_has_protected_marker');
  });

  it('no_change: a paragraph that already exists, however it is wrapped', () => {
    expectUnmatched(DOC, { op: 'append', content: 'Intro paragraph.' }, 'no_change');
    expectUnmatched(DOC, { op: 'insert_after', anchor: 'Closing', content: '- Use tabs.\n- Write   tests first.' }, 'no_change');
    expect(one(DOC, { op: 'append', content: 'Intro' }).outcome.status).toBe('applied');
  });

  it('rejects edits that would create frontmatter at the top of a body', () => {
    const text = 'first\n---\nb\n---\n';
    expectUnmatched(text, { op: 'replace', anchor: 'first', content: '---' }, 'anchor_in_frontmatter');
  });

  it('treats unknown ops and malformed edits as unmatched without throwing', () => {
    const edits = [null, { op: 'rewrite', content: 'x' }, { op: 'replace', anchor: 42, content: {} }] as unknown as Edit[];
    const result = applyEdits(DOC, edits);
    expect(result.text).toBe(DOC);
    expect(result.report.map((r) => r.outcome.status)).toEqual(['unmatched', 'unmatched', 'unmatched']);
    expect(result.report[2]?.outcome).toMatchObject({ reason: 'anchor_missing' });
    expect(applyEdits(DOC, 'nope' as unknown as Edit[])).toEqual({ text: DOC, report: [] });
  });
});

describe('applyEdits', () => {
  it('applies edits in order, each seeing the previous result', () => {
    const edits: Edit[] = [
      { op: 'append', content: 'Check types.' },
      { op: 'replace', anchor: 'Check types.', content: 'Check types and lint.' },
      { op: 'insert_after', anchor: 'and lint.', content: 'Then push.' },
      { op: 'delete', anchor: 'Intro paragraph.' },
      { op: 'delete', anchor: 'Intro paragraph.' },
    ];
    const { text, report } = applyEdits(DOC, edits);
    expect(report.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(report.map((r) => r.edit)).toEqual(edits);
    expect(report.map((r) => r.outcome.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'unmatched']);
    expect(report[4]?.outcome).toMatchObject({ reason: 'anchor_not_found' });
    expect(text).toBe(
      DOC.replace('Intro paragraph.\n\n', '').replace(`Closing line.\n\n${S}`, `Closing line.\n\nCheck types and lint.\n\nThen push.\n\n${S}`),
    );
    expect(summarizeReport(report)).toEqual({ applied: 4, unmatched: { anchor_not_found: 1 } });
  });

  it('never changes the frontmatter, the BOM or the protected region', () => {
    const doc = `\uFEFF${FRONT}${BODY}`;
    const { text } = applyEdits(doc, [
      { op: 'append', content: 'A' },
      { op: 'delete', anchor: '# Demo' },
      { op: 'replace', anchor: 'Closing line.', content: 'Last words.' },
    ]);
    expect(text.startsWith(`\uFEFF${FRONT}`)).toBe(true);
    expect(readProtectedContent(text)).toBe('Guidance: prefer small commits.\n');
    expect(text.endsWith(`${S}\nGuidance: prefer small commits.\n${E}\n`)).toBe(true);
  });

  it('returns the text untouched for no edits', () => {
    expect(applyEdits(DOC, [])).toEqual({ text: DOC, report: [] });
  });
});
