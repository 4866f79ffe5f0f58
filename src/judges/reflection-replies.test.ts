import { describe, it, expect } from 'vitest';
import { parseReflectionReply } from './reflection-parse.js';
import { extractLastJsonObject } from './json-extract.js';
import { EditsReplySchema, REPLY_SCHEMAS } from './reply-schemas.js';

// A corpus of reply shapes real models write (reasoning models, local models without structured output,
// chatty models). Each case: the reply, and the edits the parser must read from it.
const APPEND = { op: 'append', content: 'Wrap the final answer in <answer> tags.' };
const corpus: Array<{ name: string; reply: string; edits: unknown[] }> = [
  {
    name: 'a <think> block holding a draft empty list, then the real answer',
    reply: '<think>\nFirst draft: {"edits":[]}\nHmm, the failures all lack tags.\n</think>\n{"summary":"tags","edits":[{"op":"append","content":"Wrap the final answer in <answer> tags."}]}',
    edits: [APPEND],
  },
  {
    name: 'a <thinking> block with attributes, then a fenced answer',
    reply: '<thinking budget="high">try {"op":"delete","anchor":"x"}</thinking>\n```json\n{"edits":[{"op":"append","content":"Wrap the final answer in <answer> tags."}]}\n```',
    edits: [APPEND],
  },
  {
    name: 'the example first, the answer last',
    reply: 'The format is {"edits":[{"op":"append","content":"example"}]}. My answer:\n{"edits":[{"op":"append","content":"Wrap the final answer in <answer> tags."}]}',
    edits: [APPEND],
  },
  {
    name: '// and /* */ comments, and a URL inside a string',
    reply: '{\n  // the failures share one cause\n  "edits": [\n    /* tags */ {"op": "append", "content": "Wrap the final answer in <answer> tags.", "rationale": "see https://example.com/x"}\n  ]\n}',
    edits: [{ ...APPEND, rationale: 'see https://example.com/x' }],
  },
  {
    name: 'trailing commas everywhere',
    reply: '{"edits":[{"op":"append","content":"Wrap the final answer in <answer> tags.",},],}',
    edits: [APPEND],
  },
  {
    name: 'a single edit object under "edits"',
    reply: '{"edits":{"op":"append","content":"Wrap the final answer in <answer> tags."}}',
    edits: [APPEND],
  },
  {
    name: 'a bare single edit object',
    reply: 'Here is the edit: {"op":"append","content":"Wrap the final answer in <answer> tags."}',
    edits: [APPEND],
  },
  {
    name: 'synonyms: "changes", "operation", "text", "find", "reason"',
    reply: '{"changes":[{"operation":"modify","find":"Use past tense.","text":"Use the imperative mood.","reason":"subjects failed"},{"action":"add","new_text":"Wrap the final answer in <answer> tags."}]}',
    edits: [
      { op: 'replace', anchor: 'Use past tense.', content: 'Use the imperative mood.', rationale: 'subjects failed' },
      APPEND,
    ],
  },
  {
    name: 'insert and remove spelled the common ways',
    reply: '{"edits":[{"op":"Insert-After","anchor":"## Output","content":"Use ISO dates."},{"op":"remove","anchor":"Answer in one word."}]}',
    edits: [
      { op: 'insert_after', anchor: '## Output', content: 'Use ISO dates.' },
      { op: 'delete', anchor: 'Answer in one word.' },
    ],
  },
  {
    name: 'the structured-output shape: nulls for the unused fields',
    reply: '{"summary":"s","edits":[{"op":"append","anchor":null,"content":"Wrap the final answer in <answer> tags.","rationale":"r","evidence":["t1"]}]}',
    edits: [{ ...APPEND, rationale: 'r', evidence: ['t1'] }],
  },
  {
    name: 'an unclosed <think> whose answer never came: the draft is read rather than nothing',
    reply: '<think>I would propose {"edits":[{"op":"append","content":"Wrap the final answer in <answer> tags."}]} but',
    edits: [APPEND],
  },
  {
    name: 'prose, a stray [1] citation, then the answer in a fence',
    reply: 'As noted in [1], the answers lack tags.\n\n```\n{"edits":[{"op":"append","content":"Wrap the final answer in <answer> tags."}]}\n```\nDone.',
    edits: [APPEND],
  },
];

describe('reflection replies as real models write them', () => {
  for (const c of corpus) {
    it(c.name, () => {
      const parsed = parseReflectionReply(c.reply, { maxEdits: 4 });
      expect(parsed.ok, parsed.ok ? '' : parsed.reason).toBe(true);
      if (parsed.ok) expect(parsed.edits).toEqual(c.edits);
    });
  }

  it('a reply that is only a reasoning block without JSON is unusable, with the reason', () => {
    const parsed = parseReflectionReply('<think>the tags are missing</think>', { maxEdits: 4 });
    expect(parsed).toEqual({ ok: false, reason: 'the reply is not JSON: "<think>the tags are missing</think>"' });
  });
});

describe('reply schemas', () => {
  it('the edits schema accepts the contract shape and is strict-mode JSON schema', () => {
    expect(EditsReplySchema.safeParse({ summary: 's', edits: [{ op: 'append', anchor: null, content: 'x', rationale: 'r', evidence: [] }] }).success).toBe(true);
    const schema = REPLY_SCHEMAS.edits.schema as { required: string[]; additionalProperties: boolean; properties: { edits: { items: { required: string[] } } } };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['summary', 'edits']);
    expect(schema.properties.edits.items.required).toEqual(['op', 'anchor', 'content', 'rationale', 'evidence']);
    expect('$schema' in schema).toBe(false);
  });

  it('the slow-update reader takes the last guidance object after a reasoning block', () => {
    const found = extractLastJsonObject('<think>{"guidance":"draft"}</think> {"reasoning":"r","guidance":"- final"}', (v) => typeof v['guidance'] === 'string');
    expect(found).toEqual({ ok: true, value: { reasoning: 'r', guidance: '- final' } });
  });
});
