import { describe, it, expect } from 'vitest';
import { findHeadings, isShapeOnly, runChecks, validateChecks } from './rules.js';
import type { Check, JudgeInput } from './types.js';

const reply = (response: string, toolCalls: string[] = []): JudgeInput => ({ response, toolCalls });

/** Run one check and return its single result plus the verdict. */
function one(check: Check | Record<string, unknown>, input: JudgeInput) {
  const verdict = runChecks([check as Check], input);
  return { verdict, result: verdict.checks[0]! };
}

function expectPass(check: Check, response: string, tools: string[] = []): void {
  const { verdict, result } = one(check, reply(response, tools));
  expect(result.passed, `${check.op} ${JSON.stringify(check.arg)} on ${JSON.stringify(response)}`).toBe(true);
  expect(verdict.hard).toBe(1);
  expect(verdict.feedback).toEqual([]);
}

function expectFail(check: Check, response: string, tools: string[] = []): string {
  const { verdict, result } = one(check, reply(response, tools));
  expect(result.passed).toBe(false);
  expect(result.broken).toBeUndefined();
  expect(verdict.hard).toBe(0);
  expect(verdict.broken).toEqual([]);
  expect(verdict.feedback).toHaveLength(1);
  return verdict.feedback[0]!;
}

function expectBroken(check: Check | Record<string, unknown>, response = 'anything'): string {
  const { verdict, result } = one(check, reply(response));
  expect(result.passed).toBe(false);
  expect(result.broken).toBeTypeOf('string');
  expect(verdict.hard).toBe(0);
  expect(verdict.soft).toBe(0);
  expect(verdict.feedback).toEqual([]);
  expect(verdict.broken).toHaveLength(1);
  return verdict.broken[0]!;
}

describe('contains / not_contains', () => {
  it('matches case-insensitively', () => {
    expectPass({ op: 'contains', arg: '<ANSWER>' }, 'here: <answer>42</answer>');
    expect(expectFail({ op: 'contains', arg: '<answer>' }, '42')).toBe('the reply must contain "<answer>" but it was not found');
  });
  it('not_contains fails with where the text was seen', () => {
    expectPass({ op: 'not_contains', arg: 'TODO' }, 'all done');
    expect(expectFail({ op: 'not_contains', arg: 'todo' }, 'We fixed the parser in full. TODO: tests and docs for the new flags')).toBe(
      'the reply must not contain "todo" but it does, at "the parser in full. TODO: tests and docs for"',
    );
  });
  it('treats a numeric arg as text and an empty one as broken', () => {
    expectPass({ op: 'contains', arg: 42 }, 'the answer is 42');
    expect(expectBroken({ op: 'contains', arg: '  ' })).toContain('contains needs a non-empty text');
    expect(expectBroken({ op: 'not_contains' })).toContain('not_contains needs a non-empty text');
  });
});

describe('regex / not_regex', () => {
  it('accepts a bare pattern and /pattern/flags', () => {
    expectPass({ op: 'regex', arg: '^feat(\\(\\w+\\))?: ' }, 'feat(cli): add flag');
    expectPass({ op: 'regex', arg: '/^FEAT:/i' }, 'feat: add flag');
    expectFail({ op: 'regex', arg: '/^FEAT:/' }, 'feat: add flag');
  });
  it('drops the g flag so repeated runs do not flip', () => {
    const check: Check = { op: 'regex', arg: '/x/g' };
    expect(runChecks([check, check, check], reply('x')).hard).toBe(1);
  });
  it('reads /a/b (not a flag set) as a bare pattern', () => {
    expectPass({ op: 'regex', arg: '/usr/bin' }, 'see /usr/bin/env');
  });
  it('feedback names the pattern and the opening', () => {
    expect(expectFail({ op: 'regex', arg: '\\d{3}' }, 'no numbers here at all')).toBe(
      'the reply must match the pattern \\d{3} but it does not; it starts with "no numbers here at all"',
    );
  });
  it('not_regex fails showing the match', () => {
    expectPass({ op: 'not_regex', arg: 'console\\.log' }, 'clean code');
    expect(expectFail({ op: 'not_regex', arg: 'console\\.log\\(.*?\\)' }, 'x; console.log(a); y')).toBe(
      'the reply must not match the pattern console\\.log\\(.*?\\) but it does, at "console.log(a)"',
    );
  });
  it('a bad regex is broken, not a failure', () => {
    expect(expectBroken({ op: 'regex', arg: '([a-z' })).toMatch(/^check 1: invalid regular expression "\(\[a-z"/);
    expectBroken({ op: 'not_regex', arg: '/(/i' });
    expectBroken({ op: 'regex', arg: 12 });
  });
});

describe('starts_with / ends_with', () => {
  it('trims the reply, compares case-sensitively', () => {
    expectPass({ op: 'starts_with', arg: 'feat:' }, '\n  feat: add login\n');
    expect(expectFail({ op: 'starts_with', arg: 'feat:' }, 'Added a login form')).toBe(
      'the reply must start with "feat:"; it starts with "Added"',
    );
    expectFail({ op: 'starts_with', arg: 'feat:' }, 'FEAT: add login');
  });
  it('ends_with names the actual ending', () => {
    expectPass({ op: 'ends_with', arg: '</answer>' }, '<answer>4</answer>\n\n');
    expect(expectFail({ op: 'ends_with', arg: 'Done.' }, 'All tests pass')).toBe('the reply must end with "Done."; it ends with "tests pass"');
  });
  it('an empty reply is named as empty', () => {
    expect(expectFail({ op: 'starts_with', arg: 'x' }, '   ')).toBe('the reply must start with "x"; it is empty');
    expect(expectFail({ op: 'ends_with', arg: 'x' }, '')).toBe('the reply must end with "x"; it is empty');
  });
  it('a missing arg is broken', () => {
    expectBroken({ op: 'starts_with' });
    expectBroken({ op: 'ends_with', arg: '' });
  });
});

describe('max_chars / min_chars / max_lines', () => {
  it('bounds the trimmed reply in characters (code points)', () => {
    expectPass({ op: 'max_chars', arg: 5 }, '  hello\n');
    expectPass({ op: 'max_chars', arg: 2 }, '😀😀');
    expect(expectFail({ op: 'max_chars', arg: 400 }, 'x'.repeat(812))).toBe('the reply is 812 characters; the limit is 400');
    expectPass({ op: 'min_chars', arg: 3 }, 'abc');
    expect(expectFail({ op: 'min_chars', arg: 50 }, 'too short')).toBe('the reply is 9 characters; it must be at least 50');
  });
  it('counts lines, accepting a digit string bound', () => {
    expectPass({ op: 'max_lines', arg: '2' }, 'a\r\nb\n');
    expect(expectFail({ op: 'max_lines', arg: 1 }, 'a\nb\nc')).toBe('the reply is 3 lines; the limit is 1');
    expectPass({ op: 'max_lines', arg: 0 }, '  ');
  });
  it('a non-integer, negative or missing bound is broken', () => {
    expect(expectBroken({ op: 'max_chars', arg: 4.5 })).toContain('max_chars needs a whole number >= 0');
    expectBroken({ op: 'min_chars', arg: -1 });
    expectBroken({ op: 'max_lines' });
    expectBroken({ op: 'max_chars', arg: true });
    expectBroken({ op: 'max_chars', arg: 'ten' });
  });
});

describe('heading', () => {
  const doc = '# Plan\n\nsteps\n\n## Risks and mitigations ##\n```bash\n# Summary (a shell comment)\n```\n';
  it('finds ATX headings, not comments in code fences', () => {
    expect(findHeadings(doc)).toEqual(['Plan', 'Risks and mitigations']);
    expect(findHeadings('#hashtag\n    # indented code\n   ### ok')).toEqual(['ok']);
  });
  it('matches heading text case-insensitively, or any heading without arg', () => {
    expectPass({ op: 'heading', arg: 'risks' }, doc);
    expectPass({ op: 'heading' }, doc);
    expect(expectFail({ op: 'heading', arg: 'Summary' }, doc)).toBe(
      'the reply must have a Markdown heading containing "Summary"; its headings are "Plan", "Risks and mitigations"',
    );
    expect(expectFail({ op: 'heading' }, 'plain text')).toBe('the reply must have a Markdown heading (a line starting with "# "); it has none');
    expect(expectFail({ op: 'heading', arg: 'Summary' }, '**Summary**')).toBe(
      'the reply must have a Markdown heading containing "Summary"; it has no Markdown heading',
    );
  });
  it('a non-text arg is broken', () => {
    expectBroken({ op: 'heading', arg: ['a'] });
  });
});

describe('json_valid', () => {
  it('accepts JSON only', () => {
    expectPass({ op: 'json_valid' }, ' {"a": 1}\n');
    expectPass({ op: 'json_valid' }, '[1,2]');
  });
  it('rejects prose, fences and bad JSON with the reason', () => {
    expect(expectFail({ op: 'json_valid' }, 'Here is the JSON: {"a":1}')).toBe('the reply must be valid JSON only; it starts with "Here is"');
    expect(expectFail({ op: 'json_valid' }, '```json\n{"a":1}\n```')).toBe(
      'the reply must be valid JSON only; it is wrapped in a code fence; print the JSON alone',
    );
    expect(expectFail({ op: 'json_valid' }, '{"a":1,}')).toMatch(/^the reply must be valid JSON only; it does not parse \(/);
    expect(expectFail({ op: 'json_valid' }, '')).toBe('the reply must be valid JSON only; it is empty');
  });
  it('an arg is a warning, not an error', () => {
    expectPass({ op: 'json_valid', arg: 'strict' }, '{}');
    expect(validateChecks([{ op: 'json_valid', arg: 'strict' }]).warnings[0]).toContain('json_valid takes no "arg"');
  });
});

describe('json_has_keys', () => {
  it('takes a list or a comma list', () => {
    expectPass({ op: 'json_has_keys', arg: ['name', 'version'] }, '{"name":"x","version":"1","extra":true}');
    expectPass({ op: 'json_has_keys', arg: 'name, version' }, '{"name":"x","version":"1"}');
  });
  it('names missing keys, arrays and non-JSON', () => {
    expect(expectFail({ op: 'json_has_keys', arg: 'a,b' }, '{"a":1}')).toBe(
      'the reply must be a JSON object with the keys "a", "b"; missing "b"',
    );
    expect(expectFail({ op: 'json_has_keys', arg: 'a' }, '[{"a":1}]')).toBe('the reply must be a JSON object with the keys "a"; it is a JSON array');
    expect(expectFail({ op: 'json_has_keys', arg: 'a' }, 'Sure! {"a":1}')).toBe(
      'the reply must be a JSON object with the keys "a"; it is not valid JSON only: it starts with "Sure! {\\"a\\":1}"',
    );
  });
  it('does not count inherited keys', () => {
    expectFail({ op: 'json_has_keys', arg: 'toString' }, '{}');
  });
  it('an empty or non-string key list is broken', () => {
    expectBroken({ op: 'json_has_keys', arg: ' , ' });
    expectBroken({ op: 'json_has_keys', arg: [1, 2] });
    expectBroken({ op: 'json_has_keys' });
  });
});

describe('exact', () => {
  it('normalises whitespace, case and trailing punctuation', () => {
    expectPass({ op: 'exact', arg: 'Paris' }, '  paris.\n');
    expectPass({ op: 'exact', arg: 'New  York City' }, 'new york\ncity!');
    expect(expectFail({ op: 'exact', arg: '42' }, 'The answer is 42.')).toBe('the reply must be exactly "42"; it is "The answer is 42."');
    expect(expectFail({ op: 'exact', arg: '42' }, '')).toBe('the reply must be exactly "42"; it is empty');
  });
  it('a missing answer is broken', () => {
    expectBroken({ op: 'exact' });
  });
});

describe('tool_called', () => {
  it('looks in the observed tool calls only (no self-report in text)', () => {
    expectPass({ op: 'tool_called', arg: 'run_tests' }, 'ok', ['read_file', 'Run_Tests']);
    expect(expectFail({ op: 'tool_called', arg: 'run_tests' }, 'TOOL_CALL: run_tests')).toBe(
      'the tool "run_tests" was not called (no tool was called)',
    );
    expect(expectFail({ op: 'tool_called', arg: 'run_tests' }, 'ok', ['ls', 'ls', 'cat'])).toBe(
      'the tool "run_tests" was not called (tools called: "ls", "cat")',
    );
  });
  it('a missing tool name is broken', () => {
    expectBroken({ op: 'tool_called', arg: ' ' });
  });
});

describe('no_refusal', () => {
  it('passes real work, including long replies that open with a caveat', () => {
    expectPass({ op: 'no_refusal' }, 'Here is the fix: ...');
    expectPass({ op: 'no_refusal' }, `I can't run the tests here, but the change is:\n${'code line\n'.repeat(80)}`);
  });
  it('fails on empty and on short refusals in several languages', () => {
    expect(expectFail({ op: 'no_refusal' }, '  ')).toBe('the reply must do the task, not refuse; it is empty');
    expect(expectFail({ op: 'no_refusal' }, "I can't help with that request.")).toBe(
      'the reply must do the task, not refuse; it opens with "I can\'t help with that request."',
    );
    for (const refusal of [
      'I’m unable to do that.',
      '**Sorry, I cannot** comply.',
      '> As an AI, I will not.',
      'Je ne peux pas faire cela.',
      'Lo siento, pero no puedo ayudar con eso.',
      'Es tut mir leid, aber ich kann das nicht tun.',
      'Não posso ajudar.',
      '抱歉，我无法完成这个请求。',
      '申し訳ありませんが、お手伝いできません。',
      'Я не могу это сделать.',
    ]) {
      expectFail({ op: 'no_refusal' }, refusal);
    }
  });
});

describe('unknown and malformed checks', () => {
  it('an unknown op is broken, never a silent pass', () => {
    const message = expectBroken({ op: 'section_present', arg: 'Plan' });
    expect(message).toMatch(/^check 1: unknown op "section_present" \(known: contains, /);
    expectBroken({ arg: 'x' });
    expectBroken(null as unknown as Check);
  });
  it('broken checks are excluded from the score', () => {
    const verdict = runChecks(
      [
        { op: 'contains', arg: 'a' },
        { op: 'regex', arg: '(' },
        { op: 'contains', arg: 'zzz' },
      ],
      reply('abc'),
    );
    expect(verdict.hard).toBe(0);
    expect(verdict.soft).toBe(0.5);
    expect(verdict.broken).toHaveLength(1);
    expect(verdict.broken[0]).toMatch(/^check 2: invalid regular expression/);
    expect(verdict.feedback).toEqual(['the reply must contain "zzz" but it was not found']);
    expect(verdict.checks.map((c) => c.passed)).toEqual([true, false, false]);
  });
  it('passes when all usable checks pass even if one is broken', () => {
    const verdict = runChecks([{ op: 'contains', arg: 'a' }, { op: 'max_chars', arg: -3 }], reply('a'));
    expect(verdict).toMatchObject({ hard: 1, soft: 1 });
    expect(verdict.broken).toHaveLength(1);
  });
  it('no checks at all scores zero', () => {
    expect(runChecks([], reply('x'))).toEqual({ hard: 0, soft: 0, checks: [], feedback: [], broken: [] });
  });
  it('survives a non-string response and missing tool calls', () => {
    const verdict = runChecks([{ op: 'max_chars', arg: 3 }], { response: undefined, toolCalls: undefined } as unknown as JudgeInput);
    expect(verdict.hard).toBe(1);
  });
});

describe('validateChecks and isShapeOnly', () => {
  it('reports errors for unknown op, missing arg, bad regex, bad bound', () => {
    const { errors } = validateChecks([
      { op: 'nope' } as unknown as Check,
      { op: 'contains' },
      { op: 'regex', arg: '[' },
      { op: 'max_chars', arg: 1.5 },
      { op: 'contains', arg: 'fine' },
    ]);
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(/^check 1: unknown op "nope"/);
    expect(errors[1]).toMatch(/^check 2: contains needs/);
    expect(errors[2]).toMatch(/^check 3: invalid regular expression/);
    expect(errors[3]).toMatch(/^check 4: max_chars needs a whole number/);
  });
  it('warns on shape-only lists and on min_chars 0', () => {
    const shape = validateChecks([{ op: 'heading', arg: 'Plan' }, { op: 'max_chars', arg: 400 }]);
    expect(shape.errors).toEqual([]);
    expect(shape.warnings).toEqual([expect.stringContaining('only shape checks (heading, max_chars)')]);
    expect(validateChecks([{ op: 'heading' }], { shapeWarning: false }).warnings).toEqual([]);
    expect(validateChecks([{ op: 'contains', arg: 'x' }, { op: 'min_chars', arg: 0 }]).warnings).toEqual(['check 2: min_chars 0 always passes']);
  });
  it('isShapeOnly is true only for rule judges made of shape ops', () => {
    expect(isShapeOnly({ kind: 'rule', checks: [{ op: 'starts_with', arg: 'feat:' }, { op: 'max_lines', arg: 1 }] })).toBe(true);
    expect(isShapeOnly({ kind: 'rule', checks: [{ op: 'heading' }, { op: 'contains', arg: 'x' }] })).toBe(false);
    expect(isShapeOnly({ kind: 'rule', checks: [] })).toBe(false);
    expect(isShapeOnly({ kind: 'rubric', rubric: 'good', checks: [{ op: 'heading' }] })).toBe(false);
    expect(isShapeOnly({ kind: 'exact', answer: '4' })).toBe(false);
  });
});
