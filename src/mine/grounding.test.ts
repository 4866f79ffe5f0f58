import { describe, expect, it } from 'vitest';
import { runChecks } from '../judges/rules.js';
import type { MemberRecord } from '../store/families-repo.js';
import { bindCheck, bindRubric, bindText, groundFamily, groundProposedChecks, valuesOf } from './grounding.js';
import type { AnswerVerdict, EvidenceLine } from './labels.js';

function member(session: string, prompt: string, turns: Array<{ answer: string; then?: string; directives?: string[] }>): MemberRecord {
  const answers: AnswerVerdict[] = [];
  const evidence: EvidenceLine[] = [];
  turns.forEach((turn, i) => {
    const corrected = turn.then !== undefined;
    answers.push({ promptIndex: i, text: turn.answer, verdict: corrected ? 'corrected' : i > 0 ? 'accepted' : 'unjudged', how: corrected ? 'correction' : i > 0 ? 'let-stand' : 'none' });
    if (turn.then !== undefined) {
      evidence.push({ sessionId: session, promptIndex: i + 1, kind: 'correction', text: turn.then });
      for (const d of turn.directives ?? []) evidence.push({ sessionId: session, promptIndex: i + 1, kind: 'directive', text: d });
    }
  });
  return { familyId: 'f', source: 'claude-code', sessionId: session, promptIndex: 0, prompt, outcome: 'failure', evidence, directives: [], answers };
}

const pass = (check: ReturnType<typeof bindCheck>, response: string) => check !== undefined && runChecks([check], { response, toolCalls: [] }).hard === 1;

describe('groundFamily on words no lexicon knows', () => {
  // Corrections in a language the rule lexicon has no word of: the agent's revision, which the person let stand,
  // shows the rule; it must show in two requests before it is tried, and then every accepted answer must agree.
  const trip = (session: string, place: string, miles: number, km: string) =>
    member(session, `ripoti fupi ya safari ${place}, maili ${miles}`, [
      { answer: `The ${place} route was ${miles} miles long.`, then: 'tafadhali kwa kilomita' },
      { answer: `The ${place} route was ${km} km long.` },
    ]);

  it('grounds a rule from the revisions of two requests', () => {
    const judge = groundFamily([trip('s1', 'Blue Mesa', 12, '19.3'), trip('s2', 'Fox Hollow', 5, '8')]);
    expect(judge.status).toBe('grounded');
    const metric = judge.checks.find((c) => c.op === 'not_regex' && String(c.arg).includes('miles'));
    expect(metric?.source).toBe('tafadhali kwa kilomita');
    expect(metric?.fails.length).toBe(2);
    // The period is on both sides of every revision: no rule is read from it.
    expect(judge.checks.some((c) => c.describe === 'does not end with a period')).toBe(false);
  });

  it('does not read a rule from one revision alone', () => {
    expect(groundFamily([trip('s1', 'Blue Mesa', 12, '19.3')]).checks).toEqual([]);
  });
});

describe('groundFamily', () => {
  const family = [
    member('s1', 'write a changelog entry for PR #512: CSV export on the reports page', [
      { answer: '- Added CSV export to the reports page.', then: 'closer, but the PR reference (#512) goes last and there is no period after it' },
      { answer: '- Added CSV export to the reports page (#512)', then: 'and imperative mood please, as always' },
      { answer: '- Add CSV export to the reports page (#512)' },
    ]),
    member('s2', 'changelog entry for pull request 530, it fixes the login redirect loop', [
      { answer: '- Fixed the login redirect loop.', then: 'please follow the convention: imperative, PR number in parentheses at the end, no full stop' },
      { answer: '- Fix the login redirect loop (#530)' },
    ]),
  ];

  it('keeps the checks the accepted answers pass and the corrected ones fail, with the PR number a parameter', () => {
    const judge = groundFamily(family);
    expect(judge.status).toBe('grounded');
    const described = judge.checks.map((c) => c.describe);
    expect(described).toContain('does not end with a period');
    expect(described).toContain('the first word is not past tense or a gerund (imperative mood)');
    expect(described.some((d) => d.startsWith('ends with (#N)'))).toBe(true);
    const ends = judge.checks.find((c) => c.describe.startsWith('ends with (#N)'));
    const bound = bindCheck(ends!, 'changelog entry for PR #777: dark mode');
    expect(pass(bound, '- Add dark mode (#777)')).toBe(true);
    expect(pass(bound, '- Add dark mode (#512)')).toBe(false);
    // The bulleted accepted answer passes the imperative check: it looks past "- ".
    const imperative = judge.checks.find((c) => c.describe.includes('imperative'))!;
    expect(pass(bindCheck(imperative, ''), '- Add CSV export (#512)')).toBe(true);
    expect(pass(bindCheck(imperative, ''), '- Added CSV export (#512)')).toBe(false);
    for (const check of judge.checks) {
      expect(check.passes.length).toBeGreaterThan(0);
      expect(check.fails.length).toBeGreaterThan(0);
    }
  });

  it('drops a check an accepted answer fails, and flags a family with no accepted answer', () => {
    const judge = groundFamily([
      member('s3', 'summarise the incident for ticket OPS-12', [
        { answer: 'The outage lasted 20 minutes', then: 'use bullet points' },
        { answer: 'The outage lasted 20 minutes and was fixed' },
      ]),
    ]);
    expect(judge.checks).toEqual([]);
    expect(judge.dropped[0]?.reason).toMatch(/fails an answer the person accepted/);
    expect(judge.status).toBe('ungrounded');
    const none = groundFamily([member('s4', 'x for 1', [{ answer: 'a', then: 'no period' }])]);
    expect(none.status).toBe('ungrounded');
    expect(none.dropped[0]?.reason).toMatch(/no answer the person accepted/);
    expect(groundFamily([member('s5', 'hello', [{ answer: 'hi' }])]).status).toBe('no-feedback');
  });
});

describe('instance values', () => {
  it('reads numbers, versions and keys with their labels, and binds another instance\'s words to this task', () => {
    expect(valuesOf('PR #512 bumps lib to 2.3.1 for OPS-7')).toEqual([
      { value: 'OPS-7', kind: 'key', label: 'for' },
      { value: '2.3.1', kind: 'version', label: 'to' },
      { value: '512', kind: 'number', label: '#' },
    ]);
    expect(bindText('include the PR number again, it is #431', 'entry for PR #431', 'entry for PR #440')).toBe('include the PR number again, it is #440');
    expect(bindText('it is #431', 'entry for PR #431', 'entry with no number')).toBeUndefined();
  });

  it('reads a number that ends a sentence, and binds a reference to the value labelled as one, not a count before it', () => {
    const prompt = 'Kindly prepare the entry for pull request 460. Summary of it: drop support for Node 18';
    expect(valuesOf(prompt)).toEqual([
      { value: '460', kind: 'number', label: 'request' },
      { value: '18', kind: 'number', label: 'node' },
    ]);
    expect(valuesOf('bump it to 4.2. Then stop')[0]).toEqual({ value: '4.2', kind: 'version', label: 'to' });
    // A template read from "PR #723" binds to 460 here; one read from "Node 18" still binds to its own label.
    const template = { op: 'regex' as const, arg: '/\\(#{{v}}\\)$/', param: { kind: 'number' as const, label: '#' }, kind: 'style' as const, source: 's', describe: 'd' };
    expect(bindCheck(template, prompt)).toEqual({ op: 'regex', arg: '/\\(#460\\)$/' });
    expect(bindCheck({ ...template, param: { kind: 'number', label: 'node' } }, prompt)).toEqual({ op: 'regex', arg: '/\\(#18\\)$/' });
    expect(bindCheck(template, 'drop support for Node 18 and 20')).toEqual({ op: 'regex', arg: '/\\(#18\\)$/' });
  });
});

describe('model-proposed judges', () => {
  const a = member('s1', 'changelog entry for PR #431: dark mode', [{ answer: '- Added dark mode.', then: 'include the PR number again, it is #431' }, { answer: '- Add dark mode (#431)' }]);
  const b = member('s2', 'changelog entry for PR #440: CSV export', [{ answer: '- Added CSV export.', then: 'imperative and (#440) at the end' }, { answer: '- Add CSV export (#440)' }]);

  it('keeps a proposed check only when the answers bear it out, with this task\'s value a parameter', () => {
    const proposed = [
      { op: 'regex' as const, arg: '/\\(#440\\)$/' },
      { op: 'contains' as const, arg: 'Added' },
      { op: 'max_chars' as const, arg: 2000 },
    ];
    const { kept, dropped } = groundProposedChecks(proposed, [a, b], b);
    expect(kept).toEqual([proposed[0]]);
    expect(dropped.map((d) => d.reason)).toEqual([expect.stringMatching(/fails an answer the person accepted/), 'passes every answer the person corrected']);
  });

  it('never carries another instance\'s value into a task\'s rubric', () => {
    const rubric = 'The reply is a changelog entry.\nThe user has asked before: include the PR number again, it is #431.';
    expect(bindRubric(rubric, [a, b], b)).toBe('The reply is a changelog entry.\nThe user has asked before: include the PR number again, it is #440.');
  });
});
