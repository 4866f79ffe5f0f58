import { describe, expect, it } from 'vitest';
import { readTurn } from './follow-up.js';

const after = (previousPrompt: string, previousAnswer: string) => ({ index: 1, previousPrompt, previousAnswer });
const ctx = after('changelog entry for PR #516: faster search', '- Improved search speed.');

describe('readTurn', () => {
  it('reads reactions to the last answer as follow-ups, in several shapes', () => {
    for (const text of [
      'closer, but the PR reference (#516) goes last and there is no period after it',
      'please follow the changelog convention: imperative mood, PR number in parentheses at the end',
      'same rules as always',
      'you forgot the PR number',
      'redo it, shorter',
      'great, thanks',
      'wieder vergessen: Imperativ',
      'comme d\'habitude, sans point final',
    ]) {
      expect(readTurn(text, ctx).role, text).toBe('feedback');
    }
  });

  it('reads a new request as a task: new values, a payload, or a new object', () => {
    for (const text of [
      'changelog entry for PR #517: dark mode toggle',
      'now write the unit tests for the search module',
      'explain this error: ENOTDIR when I run the build',
      'thanks! next, draft the release announcement for the search launch next week',
    ]) {
      expect(readTurn(text, ctx).role, text).toBe('task');
    }
  });

  it('keeps the first turn a task unless it is a bare correction with nothing to correct', () => {
    expect(readTurn('changelog entry for PR #1: x', { index: 0 }).role).toBe('task');
    expect(readTurn('how do I undo the last git commit?', { index: 0 }).role).toBe('task');
    expect(readTurn('no, use the imperative mood and no trailing period', { index: 0 })).toMatchObject({ role: 'feedback', reason: 'correction with no previous answer' });
  });
});

describe('readTurn on structure the lexicon does not cover', () => {
  it('finds the task verb after one leading word it does not know', () => {
    for (const text of ['meanwhile, draft the onboarding email for the billing team', 'afterwards write the migration guide for the importer']) {
      expect(readTurn(text, ctx), text).toMatchObject({ role: 'task', reason: 'new request for a new object' });
    }
    // A rule after the leading word is still a rule about the last answer.
    expect(readTurn('ugh, write it in the imperative', ctx).role).toBe('feedback');
  });

  it('reads a turn the agent answers by revising its answer as a follow-up, and not when the reply is new work', () => {
    const revised = { ...ctx, answer: '- Improved search speed (tablet build).' };
    expect(readTurn('zum Tablet-Build gehört das', revised).role).toBe('feedback');
    expect(readTurn('for the tablet build', revised)).toMatchObject({ role: 'feedback', reason: 'the agent revised its answer' });
    expect(readTurn('the tablet build of the store app for the spring sale campaign', revised).role).toBe('feedback');
    expect(readTurn('for the tablet build', { ...ctx, answer: 'Tablet build configured: 3 files changed.' }).role).toBe('task');
    // Without the reply to look at, a statement with no sign of a follow-up stays a task.
    expect(readTurn('for the tablet build', ctx).role).toBe('task');
    // Values of its own: a new request even when the reply looks like the last answer.
    expect(readTurn('tablet build PR 612', revised).role).toBe('task');
  });

  it('reads the revision in a reply that changes numbers and units, in words the lexicon does not know', () => {
    const trip = after('trip report: Blue Mesa, 12 miles, 900 ft', 'The Blue Mesa route was 12 miles long with 900 feet of climbing.');
    const converted = { ...trip, answer: 'The Blue Mesa route was 19.3 km long with 274.3 m of climbing.' };
    expect(readTurn('Could you switch the distances to kilometres and the climb to metres?', converted)).toMatchObject({ role: 'feedback', reason: 'the agent revised its answer' });
    expect(readTurn('thanks! one thing: could you give the distances in kilometres?', converted).role).toBe('feedback');
    expect(readTurn('bitte in Kilometern und Metern, nicht in Meilen', converted).role).toBe('feedback');
  });

  it('reads a question answered by new work as a new request, even when it points at the last answer', () => {
    const changelog = after('changelog entry for PR #516: faster search', '- Improve search speed (#516)');
    const newWork = { ...changelog, answer: 'Here is a first version of the trip report.' };
    expect(readTurn('also, unrelated to that one: could you jot down a few lines about my Lark Hill outing?', newWork)).toMatchObject({ role: 'task', reason: 'asks for something and the reply is not a revision' });
    // A short remark answered by an acknowledgment only is a closing remark, in any language.
    expect(readTurn('safi kabisa sasa', { ...changelog, answer: 'Glad it helps.' })).toMatchObject({ role: 'feedback', signal: 'praise', reason: 'the agent only acknowledged it' });
    expect(readTurn('safi kabisa sasa', { ...changelog, answer: 'Search speed improvements ship in (#516)' }).signal).not.toBe('praise');
    // A short turn with no question keeps the lexicon's and the structure's reading.
    expect(readTurn('great, thanks', { ...changelog, answer: 'Glad it helps.' }).role).toBe('feedback');
  });
});
