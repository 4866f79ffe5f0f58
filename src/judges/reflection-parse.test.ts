import { describe, it, expect } from 'vitest';
import { parseReflectionReply } from './reflection-parse.js';

const budget = { maxEdits: 4 };

describe('parseReflectionReply: envelopes', () => {
  const edits = [
    { op: 'append', content: 'Wrap the final answer in <answer> tags.', rationale: 'tags missing in 3 tasks', evidence: ['t1', 't2'] },
    { op: 'replace', anchor: 'Be brief.', content: 'Keep replies under 400 characters.' },
  ];
  const expected = [
    { op: 'append', content: 'Wrap the final answer in <answer> tags.', rationale: 'tags missing in 3 tasks', evidence: ['t1', 't2'] },
    { op: 'replace', anchor: 'Be brief.', content: 'Keep replies under 400 characters.' },
  ];

  it('reads {"edits": [...]}', () => {
    expect(parseReflectionReply(JSON.stringify({ edits }), budget)).toEqual({ ok: true, edits: expected, dropped: [] });
  });
  it('reads {"patch": {"edits": [...]}} with a summary at either level', () => {
    const nested = parseReflectionReply(JSON.stringify({ patch: { edits, summary: 'answers lack tags' } }), budget);
    expect(nested).toEqual({ ok: true, edits: expected, dropped: [], summary: 'answers lack tags' });
    const top = parseReflectionReply(JSON.stringify({ failure_summary: ' too long ', patch: { edits } }), budget);
    expect(top).toMatchObject({ ok: true, summary: 'too long' });
  });
  it('reads a code fence with leading and trailing prose', () => {
    const text = `Looking at the failures, two fixes stand out.\n\n\`\`\`json\n${JSON.stringify({ edits }, null, 2)}\n\`\`\`\n\nThese should help.`;
    expect(parseReflectionReply(text, budget)).toEqual({ ok: true, edits: expected, dropped: [] });
  });
  it('reads unfenced JSON inside prose', () => {
    expect(parseReflectionReply(`Here you go: ${JSON.stringify({ edits })} -- end`, budget)).toMatchObject({ ok: true, edits: expected });
  });
  it('skips a stray bracketed footnote before the real object', () => {
    const text = `Per the failures [1] and the rubric, I propose: ${JSON.stringify({ edits })}`;
    expect(parseReflectionReply(text, budget)).toMatchObject({ ok: true, edits: expected });
  });
  it('accepts a bare list of edits', () => {
    expect(parseReflectionReply(JSON.stringify(edits), budget)).toEqual({ ok: true, edits: expected, dropped: [] });
  });
  it('accepts an empty edit list (nothing to change)', () => {
    expect(parseReflectionReply('{"edits": [], "summary": "all passing"}', budget)).toEqual({ ok: true, edits: [], dropped: [], summary: 'all passing' });
  });
  it('tolerates trailing commas', () => {
    expect(parseReflectionReply('{"edits": [{"op": "append", "content": "x",},],}', budget)).toMatchObject({ ok: true, edits: [{ op: 'append', content: 'x' }] });
  });
});

describe('parseReflectionReply: items', () => {
  const parse = (items: unknown[], maxEdits = 10) => parseReflectionReply(JSON.stringify({ edits: items }), { maxEdits });

  it('takes target as an alias of anchor, anchor winning', () => {
    expect(parse([{ op: 'insert_after', target: '## Rules', content: '- cite files' }])).toMatchObject({
      edits: [{ op: 'insert_after', anchor: '## Rules', content: '- cite files' }],
    });
    expect(parse([{ op: 'delete', anchor: 'a', target: 'b' }])).toMatchObject({ edits: [{ op: 'delete', anchor: 'a' }] });
  });
  it('normalises op spelling and common aliases', () => {
    const result = parse([
      { op: 'Insert-After', anchor: 'x', content: 'y' },
      { op: ' APPEND ', content: 'z' },
      { op: 'add', content: 'w' },
      { op: 'remove', anchor: 'old line' },
    ]);
    expect(result).toMatchObject({ ok: true, dropped: [] });
    if (result.ok) expect(result.edits.map((e) => e.op)).toEqual(['insert_after', 'append', 'append', 'delete']);
  });
  it('drops unknown ops, missing content and non-string anchors with reasons, keeping the rest', () => {
    const result = parse([
      { op: 'transmogrify', content: 'x' },
      { op: 'append' },
      { op: 'replace', anchor: 'a', content: '   ' },
      { op: 'insert_after', anchor: 42, content: 'x' },
      { op: 'delete', anchor: ['a'] },
      'append this',
      { content: 'no op' },
      { op: 'append', content: { text: 'x' } },
      { op: 'append', content: 'kept' },
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.edits).toEqual([{ op: 'append', content: 'kept' }]);
    expect(result.dropped).toEqual([
      { index: 0, reason: 'unknown op "transmogrify" (use append, insert_after, replace or delete)' },
      { index: 1, reason: 'an append edit needs non-empty "content"' },
      { index: 2, reason: 'a replace edit needs non-empty "content"' },
      { index: 3, reason: 'the anchor of an insert_after edit must be text, got a number' },
      { index: 4, reason: 'the anchor of a delete edit must be text, got a list' },
      { index: 5, reason: 'an edit must be an object, got a string' },
      { index: 6, reason: 'the edit has no "op"' },
      { index: 7, reason: 'the content of an append edit must be text, got an object' },
    ]);
  });
  it('keeps a missing anchor for the patcher to report, and ignores anchors on append and content on delete', () => {
    expect(parse([{ op: 'replace', content: 'x' }])).toMatchObject({ edits: [{ op: 'replace', content: 'x' }], dropped: [] });
    const result = parse([
      { op: 'append', anchor: 'ignored', content: 'x' },
      { op: 'delete', anchor: 'line', content: 'ignored' },
    ]);
    expect(result).toMatchObject({ edits: [{ op: 'append', content: 'x' }, { op: 'delete', anchor: 'line' }] });
    if (result.ok) {
      expect(result.edits[0]).not.toHaveProperty('anchor');
      expect(result.edits[1]).not.toHaveProperty('content');
    }
  });
  it('reads evidence as task ids (strings or numbers, one string, deduplicated) and reason as rationale', () => {
    const result = parse([
      { op: 'append', content: 'a', evidence: ['t1', 7, 't1', null, ' '], reason: 'because' },
      { op: 'append', content: 'b', evidence: 't9' },
      { op: 'append', content: 'c', task_ids: ['t3'] },
      { op: 'append', content: 'd', evidence: { t: 1 }, rationale: 42 },
    ]);
    expect(result).toMatchObject({
      edits: [
        { op: 'append', content: 'a', evidence: ['t1', '7'], rationale: 'because' },
        { op: 'append', content: 'b', evidence: ['t9'] },
        { op: 'append', content: 'c', evidence: ['t3'] },
        { op: 'append', content: 'd' },
      ],
    });
    if (result.ok) expect(result.edits[3]).toEqual({ op: 'append', content: 'd' });
  });
  it('keeps the first maxEdits valid edits and drops the rest as over budget', () => {
    const items = [
      { op: 'append', content: '1' },
      { op: 'bogus' },
      { op: 'append', content: '2' },
      { op: 'append', content: '3' },
      { op: 'append', content: '4' },
    ];
    const result = parse(items, 2);
    expect(result).toEqual({
      ok: true,
      edits: [
        { op: 'append', content: '1' },
        { op: 'append', content: '2' },
      ],
      dropped: [
        { index: 1, reason: 'unknown op "bogus" (use append, insert_after, replace or delete)' },
        { index: 3, reason: 'over budget' },
        { index: 4, reason: 'over budget' },
      ],
    });
  });
  it('a zero or invalid budget keeps nothing', () => {
    expect(parse([{ op: 'append', content: 'x' }], 0)).toMatchObject({ edits: [], dropped: [{ index: 0, reason: 'over budget' }] });
    expect(parse([{ op: 'append', content: 'x' }], Number.NaN)).toMatchObject({ edits: [] });
  });
});

describe('parseReflectionReply: unusable replies', () => {
  it('not JSON at all quotes the first 80 characters', () => {
    const text = `I would suggest adding a rule about answer tags, because the model keeps forgetting them in every single task I saw.`;
    const result = parseReflectionReply(text, budget);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(`the reply is not JSON: ${JSON.stringify(`${text.slice(0, 80)}…`)}`);
  });
  it('empty and non-string replies', () => {
    expect(parseReflectionReply('', budget)).toEqual({ ok: false, reason: 'the reply is not JSON: ""' });
    expect(parseReflectionReply(undefined as unknown as string, budget).ok).toBe(false);
  });
  it('JSON without an edits list names the keys it saw', () => {
    expect(parseReflectionReply('{"suggestions": ["x"]}', budget)).toEqual({
      ok: false,
      reason: 'the reply JSON has no "edits" list (keys: suggestions)',
    });
    expect(parseReflectionReply('{"edits": "none needed"}', budget)).toEqual({ ok: false, reason: '"edits" must be a list, got a string' });
  });
  it('a truncated reply (unbalanced JSON) is not JSON', () => {
    expect(parseReflectionReply('{"edits": [{"op": "append", "content": "Wrap the ans', budget).ok).toBe(false);
  });
});
