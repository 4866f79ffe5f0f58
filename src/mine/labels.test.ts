import { describe, expect, it } from 'vitest';
import type { SessionDigest } from '../harvest/types.js';
import { classifyPrompts, labelOutcomes } from './labels.js';
import { createDigest } from '../harvest/digest.js';

function digest(over: Partial<SessionDigest>): SessionDigest {
  return { ...createDigest('claude-code', 'sess-1'), ...over };
}

describe('labelOutcomes', () => {
  it('labels a corrected answer a failure, keeping the correction and its directives as evidence', () => {
    const labels = labelOutcomes(
      digest({
        prompts: [{ text: 'commit message for: add retry' }, { text: 'No. Use imperative mood and no trailing period.' }, { text: 'perfect, thanks' }],
        finalAnswers: ['Added retry.', 'Add retry', 'You are welcome'],
        feedback: [
          { kind: 'correction', text: 'No. Use imperative mood and no trailing period.', promptIndex: 1 },
          { kind: 'praise', text: 'perfect, thanks', promptIndex: 2 },
        ],
      }),
    );
    expect(labels).toHaveLength(1);
    const [label] = labels;
    expect(label?.outcome).toBe('failure');
    expect(label?.directives).toEqual(['use imperative mood', 'no trailing period']);
    expect(label?.evidence.map((e) => e.kind)).toEqual(['correction', 'directive', 'directive', 'praise']);
    expect(label?.evidence[0]).toMatchObject({ sessionId: 'sess-1', promptIndex: 1, text: 'No. Use imperative mood and no trailing period.' });
  });

  it('reads a closing remark in words the lexicon does not know by the reply: an acknowledgment lets the answer stand', () => {
    const [label] = labelOutcomes(
      digest({
        prompts: [{ text: 'commit message for: add retry to the uploader' }, { text: 'No. Use imperative mood and no trailing period.' }, { text: 'safi kabisa sasa' }],
        finalAnswers: ['Added retry to the uploader.', 'Add retry to the uploader', 'Glad it helps.'],
        feedback: [{ kind: 'correction', text: 'No. Use imperative mood and no trailing period.', promptIndex: 1 }],
      }),
    );
    expect(label?.answers.map((a) => [a.text, a.verdict])).toEqual([
      ['Added retry to the uploader.', 'corrected'],
      ['Add retry to the uploader', 'accepted'],
    ]);
  });

  it('labels praised answers a success and unremarked ones unknown', () => {
    const labels = labelOutcomes(
      digest({
        prompts: [{ text: 'write unit tests for slugify' }, { text: 'great, thanks' }, { text: 'now explain this error: ENOTDIR' }],
        finalAnswers: ['Here are the tests', 'np', 'It means a path component is not a folder'],
        feedback: [{ kind: 'praise', text: 'great, thanks', promptIndex: 1 }],
      }),
    );
    expect(labels.map((l) => [l.promptIndex, l.outcome])).toEqual([
      [0, 'success'],
      [2, 'unknown'],
    ]);
  });

  it('treats a re-ask as a failure of the earlier answer', () => {
    const labels = labelOutcomes(
      digest({ prompts: [{ text: 'summarize this paper' }, { text: 'summarise the paper again, shorter' }], finalAnswers: ['long summary', 'short summary'] }),
      (a, b) => a.includes('paper') && b.includes('paper'),
    );
    expect(labels[0]).toMatchObject({ outcome: 'failure', evidence: [{ kind: 're-ask', promptIndex: 1 }] });
  });

  it('counts error output in the answer, interrupts, and a session abandoned before an answer', () => {
    const labels = labelOutcomes(
      digest({
        prompts: [{ text: 'run the migration' }, { text: '[Request interrupted by user]' }, { text: 'deploy it' }],
        finalAnswers: ['Error: relation "users" does not exist\nexit code 1'],
        feedback: [{ kind: 'interrupt', text: '[Request interrupted by user]', promptIndex: 1 }],
      }),
    );
    expect(labels.map((l) => l.evidence.map((e) => e.kind))).toEqual([['interrupt', 'tool-error'], ['abandoned']]);
    expect(labels.every((l) => l.outcome === 'failure')).toBe(true);
  });

  it('never throws on a damaged digest', () => {
    const broken = { ...digest({}), prompts: [null, { text: 42 }], finalAnswers: null, feedback: 'x' } as unknown as SessionDigest;
    expect(() => labelOutcomes(broken)).not.toThrow();
    expect(labelOutcomes(digest({}))).toEqual([]);
  });
});

describe('classifyPrompts', () => {
  it('keeps praise with a long new request as a task', () => {
    const roles = classifyPrompts(
      digest({
        prompts: [{ text: 'a' }, { text: 'thanks! now write the unit tests for the cursor module and the retry helper too' }],
        feedback: [{ kind: 'praise', text: 'thanks!', promptIndex: 1 }],
      }),
    );
    expect(roles.map((r) => r.role)).toEqual(['task', 'task']);
  });
});

describe('labelOutcomes with recorded tool errors', () => {
  it('attributes each failed tool call to the task being worked on; praise outranks it', () => {
    const labels = labelOutcomes(
      digest({
        prompts: [{ text: 'run the migration' }, { text: 'now seed the database with fixtures' }, { text: 'great, thanks' }],
        finalAnswers: ['Done', 'Seeded', 'np'],
        feedback: [{ kind: 'praise', text: 'great, thanks', promptIndex: 2 }],
        toolErrors: [
          { tool: 'Bash', promptIndex: 0, text: 'relation "users" does not exist' },
          { tool: 'Bash', promptIndex: 1, text: 'exit code 1' },
        ],
      }),
    );
    expect(labels.map((l) => [l.outcome, l.evidence.map((e) => `${e.kind}:${e.text}`)])).toEqual([
      ['failure', ['tool-error:Bash: relation "users" does not exist']],
      ['success', ['praise:great, thanks', 'tool-error:Bash: exit code 1']],
    ]);
  });
});

describe('bare format follow-ups', () => {
  it('reads a short format-only follow-up as a correction with itself as the directive, but not a restated task', () => {
    const labels = labelOutcomes(digest({ prompts: [{ text: 'run cargo test and tell me what fails' }, { text: 'use a bullet list' }], finalAnswers: ['Two tests fail: a and b.', '- a\n- b'] }));
    expect(labels).toHaveLength(1);
    expect(labels[0]).toMatchObject({ outcome: 'failure', directives: ['use a bullet list'] });
    // A redo of the same request is evidence on it, never a task of its own.
    const again = labelOutcomes(digest({ prompts: [{ text: 'summarize this paper' }, { text: 'summarise the paper again, shorter' }], finalAnswers: ['long', 'short'] }));
    expect(again).toHaveLength(1);
    expect(again[0]?.answers.map((a) => [a.text, a.verdict, a.how])).toEqual([['long', 'corrected', 're-ask'], ['short', 'accepted', 'let-stand']]);
  });
});
