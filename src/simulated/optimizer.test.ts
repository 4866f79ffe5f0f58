import { describe, it, expect } from 'vitest';
import { createSimulatedOptimizer, requirementOf, scopeFor, scopeKeyword } from './optimizer.js';
import { reflectionSystem, renderReflectionUser, type RejectedStep, type Trajectory } from '../train/render.js';
import { parseReflectionReply } from '../judges/reflection-parse.js';

const failing = (taskId: string, prompt: string, feedback: string[]): Trajectory => ({
  taskId,
  prompt,
  response: '- Fixed the thing.',
  toolCalls: [],
  verdict: { hard: 0, soft: 0, checks: [], feedback, broken: [] },
});

async function propose(skill: string, trajectories: Trajectory[], rejected: RejectedStep[] = []): Promise<string[]> {
  const optimizer = createSimulatedOptimizer({ seed: 3, uselessRate: 0, harmfulRate: 0 });
  const reply = await optimizer.complete({ system: reflectionSystem('failure'), user: renderReflectionUser({ skill, budget: 4, kind: 'failure', trajectories, rejected }), purpose: 'reflect' });
  const parsed = parseReflectionReply(reply.text, { maxEdits: 4 });
  return parsed.ok ? parsed.edits.map((e) => e.content ?? '') : [];
}

const REF = (n: number) => `the reply must match the pattern /\\(#${n}\\)[\\s"'\\x60*_]*$/ but it does not; it starts with "- Fixed the thing"`;
const UNITS = 'the reply must not match the pattern /\\b\\d+\\s*(?:miles?|feet)\\b/i but it does, at "12 miles"';

describe('scopeKeyword', () => {
  it('names a word every failing prompt has and no other trajectory has, the longest of several', () => {
    expect(scopeKeyword(['zorp release-note for ticket 12', 'the release-note of ticket 40, zorp'], ['zorp route summary, 12 miles'])).toBe('release');
    expect(scopeKeyword(['bloop quarterly digest 1', 'bloop quarterly digest 2'], ['a weekly digest'])).toBe('quarterly');
  });

  it('gives no scope without another trajectory to tell the failures from, or when no word does', () => {
    expect(scopeKeyword(['release note 1', 'release note 2'], [])).toBeNull();
    expect(scopeKeyword(['release note 1', 'release note 2'], ['another release note'])).toBeNull();
    expect(scopeKeyword([], ['x'])).toBeNull();
  });

  it('prefers a word the failing answers repeat from their requests: it names what they fail on', () => {
    const evidence = ['Wanderbericht Lark: 4 miles', 'Wanderbericht Hill: 9 miles'];
    expect(scopeKeyword(evidence, ['a commit message'])).toBe('wanderbericht');
    expect(scopeKeyword(evidence, ['a commit message'], ['The route was 4 miles long', 'It was 9 miles'])).toBe('miles');
  });

  it('from one failure, scopes by a word its answer repeats and the check names, not the first word or a place', () => {
    const finding = 'the reply must not match the pattern /\\b\\d+\\s*(?:miles?|feet)\\b/i but it contains "22 miles"';
    expect(scopeKeyword(['brief writeup of Zandhoek, 22 miles'], ['a commit message'], ['Zandhoek was 22 miles'], finding)).toBe('miles');
    // Without a finding that names one of them, one failure still gives its first distinguishing word.
    expect(scopeKeyword(['brief writeup of Zandhoek, 22 miles'], ['a commit message'], ['Zandhoek was 22 miles'])).toBe('brief');
  });

  it('splits hyphenated words, so a compound still meets its parts', () => {
    expect(scopeKeyword(['frobnicate-eintrag please', 'frobnicate, now'], ['something else'])).toBe('frobnicate');
  });
});

describe('scopeFor', () => {
  it('scopes to requests that give a PR reference when every failing request gives one and no other does', () => {
    expect(scopeFor(['zorp line for #12', 'PR 40 needs a blurb'], ['route summary, 12 miles'])).toEqual({ kind: 'reference' });
    expect(scopeFor(['zorp line for #12'], ['a commit message'])).toEqual({ kind: 'reference' });
  });

  it('falls back to a keyword when another trajectory gives a reference too, or a failing one gives none', () => {
    expect(scopeFor(['zorp line for #12', 'zorp line for #40'], ['fix the flaky test in PR 7'])).toEqual({ kind: 'word', word: 'zorp' });
    expect(scopeFor(['zorp line for #12', 'zorp line, no number'], ['route summary'])).toEqual({ kind: 'word', word: 'zorp' });
  });

  it('gives no scope with nothing to tell the failures from, unless the rule was turned down for every task', () => {
    expect(scopeFor(['zorp line for #12'], [])).toBeNull();
    expect(scopeFor(['zorp line for #12'], [], [], '', { alone: true })).toEqual({ kind: 'reference' });
    expect(scopeFor([], ['x'])).toBeNull();
  });
});

describe('requirementOf', () => {
  it('keeps what the check asked and drops the quoted answer', () => {
    expect(requirementOf(REF(512))).toBe('the reply must match the pattern /\\(#512\\)[\\s"\'\\x60*_]*$/');
    expect(requirementOf('the reply must contain "<answer>" but it was not found')).toBe('the reply must contain "<answer>"');
    expect(requirementOf('no excerpt here')).toBe('no excerpt here');
  });
});

describe('the simulated optimizer reads a finding by what was required', () => {
  it('a missing reference is diagnosed as a reference even when the quoted answer opens with a past-tense verb', async () => {
    const edits = await propose('# Skill\n', [failing('a', 'zorp entry #1', [REF(1)]), failing('b', 'zorp entry #2', [REF(2)]), failing('c', 'route log', [UNITS])]);
    expect(edits.some((e) => /pull request reference|PR number in parentheses/.test(e))).toBe(true);
    expect(edits.some((e) => /imperative/.test(e))).toBe(false);
  });

  it('a rule said only under a scope the failing prompts lack is said again for every task: it holds beyond that kind', async () => {
    const skill = '# Skill\nFor tasks that mention "quux": Put the pull request reference at the end, as "(#N)".\n';
    const edits = await propose(skill, [failing('a', 'zorp entry #1', [REF(1)]), failing('b', 'zorp entry #2', [REF(2)]), failing('c', 'route log', [UNITS])]);
    const widened = edits.filter((e) => /reference|PR number/.test(e));
    expect(widened.length).toBeGreaterThan(0);
    for (const e of widened) expect(e).not.toMatch(/^For /);
    // Once that rule for every task was turned down, the failing kind gets a scope of its own instead.
    const rejected: RejectedStep[] = widened.map((content, i) => ({ step: i + 1, scoreBefore: 0.5, scoreAfter: 0.4, reason: 'not an improvement', edits: [{ op: 'append', content }] }));
    const narrowed = (await propose(skill, [failing('a', 'zorp entry #1', [REF(1)]), failing('b', 'zorp entry #2', [REF(2)]), failing('c', 'route log', [UNITS])], rejected)).filter((e) => /reference|PR number/.test(e));
    expect(narrowed.length).toBeGreaterThan(0);
    for (const e of narrowed) expect(e).toMatch(/^(?:For tasks that mention "(?:zorp|entry)"|For requests that give a PR number): /);
    // Covered prompts need nothing new.
    const covered = await propose(skill, [failing('a', 'quux entry #1', [REF(1)]), failing('b', 'quux entry #2', [REF(2)]), failing('c', 'route log', [UNITS])]);
    expect(covered.some((e) => /reference|PR number/.test(e))).toBe(false);
  });

  it('a rule the gate turned down for every task is said again narrowed to the failing request, never repeated as it was', async () => {
    const ANSWER = 'the reply must contain "<answer>" but it was not found';
    const alone = [failing('a', 'Wann erschien das Zorp-Papier?', [ANSWER])];
    // First time: nothing in the batch to tell the failure from, so the rule is for every task.
    const first = await propose('# Skill\n', alone);
    const general = first.find((e) => /<answer>/.test(e));
    expect(general).toBeDefined();
    expect(general).not.toMatch(/^For tasks that mention/);
    // Turned down (it spoiled other tasks): the same failure now gets a scoped rule, not the general one again.
    const rejected: RejectedStep[] = [{ step: 1, scoreBefore: 0.3, scoreAfter: 0.2, reason: 'not an improvement', edits: [{ op: 'append', content: general as string }] }];
    const again = await propose('# Skill\n', alone, rejected);
    const narrowed = again.filter((e) => /<answer>/.test(e));
    expect(narrowed.length).toBeGreaterThan(0);
    for (const e of narrowed) expect(e).toMatch(/^For tasks that mention "(?:wann|erschien|zorp|papier)": /);
  });
});

describe('a rule that names what it converts', () => {
  it('is written for every task, not scoped to a word of the failing requests', async () => {
    const edits = await propose('# Skill\n', [failing('a', 'trip report: 12 miles', [UNITS]), failing('b', 'trip report: 27 miles', [UNITS]), failing('c', 'a commit message', ['the reply must not match the pattern /\\.$/ but it does, at "x."'])]);
    const units = edits.filter((e) => /SI units|metric units/.test(e));
    expect(units.length).toBeGreaterThan(0);
    for (const e of units) expect(e).not.toMatch(/^For /);
  });
});

describe('a rule said for one kind of task is extended, never moved', () => {
  it('adds the rule for the failing kind beside the scoped line instead of replacing it', async () => {
    const PERIOD = 'the reply must not match the pattern /\\.$/ but it does, at "the thing."';
    const skill = '# Skill\nFor tasks that mention "frob": Do not end the subject line with a period.\n';
    const optimizer = createSimulatedOptimizer({ seed: 3, uselessRate: 0, harmfulRate: 0 });
    const trajectories = [failing('a', 'zorp entry #1', [PERIOD]), failing('b', 'zorp entry #2', [PERIOD]), failing('c', 'route log', [UNITS])];
    const reply = await optimizer.complete({ system: reflectionSystem('failure'), user: renderReflectionUser({ skill, budget: 4, kind: 'failure', trajectories, rejected: [] }), purpose: 'reflect' });
    const parsed = parseReflectionReply(reply.text, { maxEdits: 4 });
    expect(parsed.ok).toBe(true);
    const edits = parsed.ok ? parsed.edits : [];
    const period = edits.filter((e) => /period|full stop/i.test(e.content ?? ''));
    expect(period.length).toBeGreaterThan(0);
    for (const e of period) expect(e.op).not.toBe('replace');
  });
});
