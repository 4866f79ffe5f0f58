import { describe, it, expect } from 'vitest';
import { extractJson, extractJsonObject } from './json-extract.js';

describe('extractJsonObject', () => {
  it('parses a bare object', () => {
    expect(extractJsonObject('  {"score": 0.9, "reason": "ok"}\n')).toEqual({ ok: true, value: { score: 0.9, reason: 'ok' } });
  });
  it('reads a fenced block, with or without a language tag', () => {
    expect(extractJsonObject('Result:\n```json\n{"a": 1}\n```\nthanks')).toEqual({ ok: true, value: { a: 1 } });
    expect(extractJsonObject('~~~\n{"a": 2}\n~~~')).toEqual({ ok: true, value: { a: 2 } });
  });
  it('reads an unclosed fence (a truncated reply)', () => {
    expect(extractJsonObject('```json\n{"a": 3}\n')).toEqual({ ok: true, value: { a: 3 } });
  });
  it('finds the object inside prose, ignoring braces inside strings', () => {
    const text = 'Sure. Here is my grade: {"score": 0.5, "reason": "uses {braces} and \\"quotes\\" }"} Hope that helps {';
    expect(extractJsonObject(text)).toEqual({ ok: true, value: { score: 0.5, reason: 'uses {braces} and "quotes" }' } });
  });
  it('skips brace spans that are not JSON and takes the next one', () => {
    expect(extractJsonObject('Format {score} as asked: {"score": 1}')).toEqual({ ok: true, value: { score: 1 } });
  });
  it('takes nested objects whole', () => {
    expect(extractJsonObject('x {"patch": {"edits": [{"op": "append"}]}} y')).toEqual({
      ok: true,
      value: { patch: { edits: [{ op: 'append' }] } },
    });
  });
  it('tolerates trailing commas but not inside strings', () => {
    expect(extractJsonObject('{"a": [1, 2,], "b": ",}",}')).toEqual({ ok: true, value: { a: [1, 2], b: ',}' } });
  });
  it('forgives line and block comments outside strings, and keeps them inside strings', () => {
    const text = '{\n  // the grade\n  "url": "https://example.test/a//b", /* why */ "note": "/* kept */",\n  "score": 1 // last\n}';
    expect(extractJsonObject(text)).toEqual({ ok: true, value: { url: 'https://example.test/a//b', note: '/* kept */', score: 1 } });
    expect(extractJsonObject('{"a": 1} /* an unclosed comment')).toEqual({ ok: true, value: { a: 1 } });
    expect(extractJsonObject('{"a": "x\\"// y", "b": 2,}')).toEqual({ ok: true, value: { a: 'x"// y', b: 2 } });
  });
  it('unwraps a double-encoded reply', () => {
    expect(extractJsonObject(JSON.stringify(JSON.stringify({ score: 1 })))).toEqual({ ok: true, value: { score: 1 } });
  });
  it('strips a byte-order mark', () => {
    expect(extractJsonObject('\uFEFF{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
  });
  it('reports garbage, empty and non-object replies with a quote of the start', () => {
    const garbage = extractJsonObject('I think the response is pretty good overall, maybe 8/10.');
    expect(garbage.ok).toBe(false);
    if (!garbage.ok) expect(garbage.reason).toBe('no JSON object found in the reply starting "I think the response is pretty good overall, maybe 8/10."');
    expect(extractJsonObject('   ')).toEqual({ ok: false, reason: 'the reply is empty' });
    expect(extractJsonObject('42').ok).toBe(false);
    expect(extractJsonObject('{"a": 1').ok).toBe(false);
    expect(extractJsonObject(undefined as unknown as string).ok).toBe(false);
  });
  it('cuts the quoted start at 80 characters', () => {
    const result = extractJsonObject('x'.repeat(200));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(`"${'x'.repeat(80)}…"`);
  });
  it('takes an object from inside a top-level array when an object is wanted', () => {
    expect(extractJsonObject('[{"score": 1}]')).toEqual({ ok: true, value: { score: 1 } });
  });
});

describe('extractJson', () => {
  it('returns arrays when any shape is accepted', () => {
    expect(extractJson('Edits:\n[{"op":"append"}]', 'any')).toEqual({ ok: true, value: [{ op: 'append' }] });
    expect(extractJson('[1, 2]', 'array')).toEqual({ ok: true, value: [1, 2] });
  });
  it('prefers the first span in the text', () => {
    expect(extractJson('{"first": true} and [2]', 'any')).toEqual({ ok: true, value: { first: true } });
  });
  it('does not loop forever on many stray braces', () => {
    const text = `${'{'.repeat(5000)} {"a": 1}`;
    expect(extractJson(text, 'object').ok).toBe(false);
  });
});
