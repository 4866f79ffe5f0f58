import { describe, expect, it } from 'vitest';
import { answerShape, familyKin } from './kin.js';
import type { GroundedCheck } from './grounding.js';

function check(op: GroundedCheck['op'], arg: string, param?: GroundedCheck['param']): GroundedCheck {
  return { op, arg, kind: 'style', source: 'the person said so', describe: `${op} ${arg}`, passes: [], fails: [], ...(param ? { param } : {}) };
}

const IMPERATIVE = check('not_regex', '/^[A-Za-z]+(?:ed|ing)\\b/');
const PERIOD = check('not_regex', '/\\.$/');
const REF = (label: string) => check('regex', '/\\(#{{v}}\\)$/', { kind: 'number', label });

describe('familyKin', () => {
  it('is the same for families corrected by the same checks with answers of the same shape, whatever their words', () => {
    const a = familyKin({ status: 'grounded', checks: [IMPERATIVE, PERIOD, REF('PR')] }, ['- Add CSV export (#512)', '- Fix the login loop (#77)']);
    // Another language's family: checks found in another order, the reference labelled "#", other answers.
    const b = familyKin({ status: 'grounded', checks: [REF('#'), PERIOD, IMPERATIVE] }, ['- Drop Node 18 (#9)']);
    expect(a).not.toBeNull();
    expect(b).toBe(a);
  });

  it('keeps apart two kinds of request one rule serves, by the shape of what the person accepted', () => {
    const commits = familyKin({ status: 'grounded', checks: [IMPERATIVE, PERIOD] }, ['Add CSV export', 'Fix the login loop']);
    const entries = familyKin({ status: 'grounded', checks: [IMPERATIVE, PERIOD] }, ['- Add CSV export (#512)', '- Fix the login loop (#77)']);
    expect(commits).not.toBe(entries);
    const trips = familyKin({ status: 'grounded', checks: [PERIOD] }, ['The route was 10 km long with 30 m of climbing']);
    expect(trips).not.toBe(familyKin({ status: 'grounded', checks: [PERIOD] }, ['Lunch was fine']));
  });

  it('is null for a family with no grounded check', () => {
    expect(familyKin({ status: 'no-feedback', checks: [] }, ['x'])).toBeNull();
    expect(familyKin({ status: 'ungrounded', checks: [] }, ['x'])).toBeNull();
    expect(familyKin({ status: 'grounded', checks: [] }, ['x'])).toBeNull();
  });
});

describe('answerShape', () => {
  it('is the commonest set of value kinds among the answers', () => {
    expect(answerShape(['- Add X (#1)', '- Fix Y (#2)', 'Fix Z'])).toBe('ref');
    expect(answerShape(['It was 10 km and 30 m up', 'It was 3 km'])).toBe('length');
    expect(answerShape([])).toBe('');
  });
});
