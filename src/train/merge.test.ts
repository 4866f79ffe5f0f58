import { describe, it, expect } from 'vitest';
import { mergeEdits, normalizeEditText, rankAndClip, readDirective, tokenJaccard } from './merge.js';
import type { MergedEdit, ProposedEdit } from './merge.js';

function p(edit: Partial<ProposedEdit> & Pick<ProposedEdit, 'op'>): ProposedEdit {
  return { sourceType: 'failure', minibatch: 0, ...edit };
}

function m(edit: Partial<MergedEdit> & Pick<MergedEdit, 'op'>): MergedEdit {
  return { sourceType: 'failure', support: 1, mergedFrom: 1, ...edit };
}

describe('text helpers', () => {
  it('normalises whitespace, case and curly apostrophes', () => {
    expect(normalizeEditText('  Always\n  USE\ttabs \u2019x ')).toBe("always use tabs 'x");
    expect(normalizeEditText(undefined)).toBe('');
  });

  it('token Jaccard counts shared distinct words', () => {
    expect(tokenJaccard('a b c d', 'a b c e')).toBeCloseTo(3 / 5, 12);
    expect(tokenJaccard('', '')).toBe(1);
    expect(tokenJaccard('x', '')).toBe(0);
  });
});

describe('mergeEdits: folding duplicates', () => {
  it('folds normalised-equal appends, sums support and unions evidence', () => {
    const r = mergeEdits([
      p({ op: 'append', content: 'Use imperative commit subjects.', evidence: ['t1', 't2'], minibatch: 0 }),
      p({ op: 'append', content: '  use IMPERATIVE commit   subjects. ', evidence: ['t2', 't3'], minibatch: 1, support: 3 }),
    ]);
    expect(r.folded).toBe(1);
    expect(r.merged).toEqual([
      {
        op: 'append',
        content: 'Use imperative commit subjects.',
        evidence: ['t1', 't2', 't3'],
        sourceType: 'failure',
        support: 4,
        mergedFrom: 2,
      },
    ]);
    expect(r.contradictions).toEqual([]);
  });

  it('folds near-same content (Jaccard >= 0.8) but not merely related content', () => {
    const base = 'Wrap the final answer in answer tags before replying to the user';
    const near = 'Wrap the final answer in answer tags before replying to user'; // drops "the": 10/11 tokens
    const far = 'Wrap code samples in fenced blocks';
    const r = mergeEdits([p({ op: 'append', content: base }), p({ op: 'append', content: near }), p({ op: 'append', content: far })]);
    expect(tokenJaccard(base, near)).toBeGreaterThanOrEqual(0.8);
    expect(r.merged.map((e) => e.mergedFrom)).toEqual([2, 1]);
    expect(r.folded).toBe(1);
  });

  it('does not fold across ops or across anchors', () => {
    const r = mergeEdits([
      p({ op: 'append', content: 'Add a summary heading.' }),
      p({ op: 'insert_after', anchor: '## Output', content: 'Add a summary heading.' }),
      p({ op: 'insert_after', anchor: '## Style', content: 'Add a summary heading.' }),
    ]);
    expect(r.merged).toHaveLength(3);
    expect(r.folded).toBe(0);
  });

  it('matches anchors after whitespace and case folding', () => {
    const r = mergeEdits([
      p({ op: 'insert_after', anchor: '## Output  Format', content: 'Use JSON.' }),
      p({ op: 'insert_after', anchor: '## output format', content: 'use json.' }),
    ]);
    expect(r.merged).toHaveLength(1);
    expect(r.merged[0]?.anchor).toBe('## Output  Format');
  });

  it('keeps the most common wording, ties going to the first in minibatch order', () => {
    const common = mergeEdits([
      p({ op: 'append', content: 'Answer in SI units only, always.', minibatch: 0 }),
      p({ op: 'append', content: 'Answer in SI units only always', minibatch: 1 }),
      p({ op: 'append', content: 'answer in si units only always', minibatch: 2 }),
    ]);
    // The last two normalise equal ("answer in si units only always") and outnumber the first.
    expect(common.merged[0]?.content).toBe('Answer in SI units only always');

    const tie = mergeEdits([
      p({ op: 'append', content: 'Second wording of the units rule', minibatch: 2 }),
      p({ op: 'append', content: 'First wording of the units rule', minibatch: 1 }),
    ]);
    expect(tie.merged[0]?.content).toBe('First wording of the units rule');
  });

  it('is failure-derived when any folded proposal was, and counts default support as 1', () => {
    const r = mergeEdits([
      p({ op: 'append', content: 'Start with a heading.', sourceType: 'success' }),
      p({ op: 'append', content: 'Start with a heading.', sourceType: 'failure', support: Number.NaN }),
      p({ op: 'append', content: 'Start with a heading.', sourceType: 'success', support: -2 }),
    ]);
    expect(r.merged[0]?.sourceType).toBe('failure');
    expect(r.merged[0]?.support).toBe(3);
  });

  it('folds deletes of the same anchor whatever their content', () => {
    const r = mergeEdits([
      p({ op: 'delete', anchor: 'Be verbose.', content: 'x' }),
      p({ op: 'delete', anchor: 'be  verbose.' }),
    ]);
    expect(r.merged).toHaveLength(1);
    expect(r.merged[0]?.support).toBe(2);
  });

  it('orders by minibatch then position, whatever order the replies arrived in', () => {
    const a = p({ op: 'append', content: 'alpha rule one', minibatch: 0 });
    const b = p({ op: 'append', content: 'beta rule two', minibatch: 1 });
    const c = p({ op: 'append', content: 'gamma rule three', minibatch: 1 });
    const forward = mergeEdits([a, b, c]);
    const arrived = mergeEdits([b, c, a]);
    expect(arrived).toEqual(forward);
    expect(forward.merged.map((e) => e.content)).toEqual(['alpha rule one', 'beta rule two', 'gamma rule three']);
  });

  it('handles no proposals', () => {
    expect(mergeEdits([])).toEqual({ merged: [], folded: 0, contradictions: [] });
  });
});

describe('mergeEdits: anchor contradictions', () => {
  it('a delete loses to a better-supported replace on the same anchor', () => {
    const r = mergeEdits([
      p({ op: 'delete', anchor: 'Keep answers short.' }),
      p({ op: 'replace', anchor: 'Keep answers short.', content: 'Keep answers under 100 words.', support: 2 }),
    ]);
    expect(r.merged.map((e) => e.op)).toEqual(['replace']);
    expect(r.contradictions).toHaveLength(1);
    expect(r.contradictions[0]?.kept?.op).toBe('replace');
    expect(r.contradictions[0]?.dropped.map((e) => e.op)).toEqual(['delete']);
    expect(r.contradictions[0]?.reason).toContain('a delete of "Keep answers short." contradicts 1 edit(s)');
  });

  it('a delete beats an insert_after when it has more support', () => {
    const r = mergeEdits([
      p({ op: 'insert_after', anchor: '## Tips', content: 'Mention the docs.' }),
      p({ op: 'delete', anchor: '## Tips', minibatch: 1 }),
      p({ op: 'delete', anchor: '## tips', minibatch: 2 }),
    ]);
    expect(r.merged.map((e) => e.op)).toEqual(['delete']);
    expect(r.contradictions[0]?.kept?.op).toBe('delete');
  });

  it('failure-derived wins a support tie', () => {
    const r = mergeEdits([
      p({ op: 'delete', anchor: 'Use tabs.', sourceType: 'success' }),
      p({ op: 'replace', anchor: 'Use tabs.', content: 'Use two spaces.', sourceType: 'failure' }),
    ]);
    expect(r.merged.map((e) => e.op)).toEqual(['replace']);
  });

  it('equal support and equal source drops both sides', () => {
    const r = mergeEdits([
      p({ op: 'delete', anchor: 'Use tabs.' }),
      p({ op: 'replace', anchor: 'Use tabs.', content: 'Use two spaces.' }),
      p({ op: 'append', content: 'Unrelated rule stays.' }),
    ]);
    expect(r.merged.map((e) => e.content)).toEqual(['Unrelated rule stays.']);
    expect(r.contradictions).toHaveLength(1);
    expect(r.contradictions[0]?.kept).toBeNull();
    expect(r.contradictions[0]?.dropped).toHaveLength(2);
  });

  it('two replaces with different content: the better supported one stays', () => {
    const r = mergeEdits([
      p({ op: 'replace', anchor: 'Reply in English.', content: 'Reply in French.' }),
      p({ op: 'replace', anchor: 'Reply in English.', content: 'Reply in German please.', support: 2 }),
    ]);
    expect(r.merged.map((e) => e.content)).toEqual(['Reply in German please.']);
    expect(r.contradictions[0]?.reason).toContain('2 replaces of "Reply in English." disagree');
  });

  it('two replaces with equal support and source are both dropped', () => {
    const r = mergeEdits([
      p({ op: 'replace', anchor: 'Reply in English.', content: 'Reply in French.' }),
      p({ op: 'replace', anchor: 'Reply in English.', content: 'Reply in German please.' }),
    ]);
    expect(r.merged).toEqual([]);
    expect(r.contradictions[0]?.kept).toBeNull();
  });

  it('a delete tied with two differing replaces drops all three', () => {
    const r = mergeEdits([
      p({ op: 'delete', anchor: 'Reply in English.' }),
      p({ op: 'replace', anchor: 'Reply in English.', content: 'Reply in French.' }),
      p({ op: 'replace', anchor: 'Reply in English.', content: 'Reply in German please.' }),
    ]);
    expect(r.merged).toEqual([]);
    expect(r.contradictions).toHaveLength(1);
    expect(r.contradictions[0]?.dropped).toHaveLength(3);
  });

  it('when the replaces beat a delete, they then settle among themselves', () => {
    const r = mergeEdits([
      p({ op: 'delete', anchor: 'Reply in English.' }),
      p({ op: 'replace', anchor: 'Reply in English.', content: 'Reply in French.', support: 3 }),
      p({ op: 'replace', anchor: 'Reply in English.', content: 'Reply in German please.', support: 2 }),
    ]);
    expect(r.merged.map((e) => e.content)).toEqual(['Reply in French.']);
    expect(r.contradictions.map((c) => c.kept?.content)).toEqual(['Reply in French.', 'Reply in French.']);
  });

  it('near-same replaces fold instead of contradicting', () => {
    const r = mergeEdits([
      p({ op: 'replace', anchor: 'Old rule.', content: 'Always run the unit tests before committing changes' }),
      p({ op: 'replace', anchor: 'Old rule.', content: 'always run the unit tests before committing changes.' }),
    ]);
    expect(r.merged).toHaveLength(1);
    expect(r.contradictions).toEqual([]);
  });

  it('insert_after and replace on one anchor, or two insert_afters, are not contradictions', () => {
    const r = mergeEdits([
      p({ op: 'insert_after', anchor: '## Output', content: 'Use a table for comparisons.' }),
      p({ op: 'insert_after', anchor: '## Output', content: 'Cite file paths with line numbers.' }),
      p({ op: 'replace', anchor: '## Output', content: '## Output format' }),
    ]);
    expect(r.merged).toHaveLength(3);
    expect(r.contradictions).toEqual([]);
  });
});

describe('mergeEdits: content contradictions', () => {
  it('reads directives conservatively', () => {
    expect(readDirective('Always use tabs.')).toEqual({ polarity: 'do', object: new Set(['use', 'tabs']) });
    expect(readDirective("You should never use tabs")).toEqual({ polarity: 'dont', object: new Set(['use', 'tabs']) });
    expect(readDirective('Do not use tabs')?.polarity).toBe('dont');
    expect(readDirective('Always avoid tabs')).toEqual({ polarity: 'dont', object: new Set(['tabs']) });
    expect(readDirective('Never use tabs; always use spaces.')).toBeNull();
    expect(readDirective('Use tabs.')).toBeNull();
    expect(readDirective('Always')).toBeNull();
  });

  it('drops the weaker of "always X" and "never X"', () => {
    const r = mergeEdits([
      p({ op: 'append', content: 'Always wrap the final answer in <answer> tags.', support: 3 }),
      p({ op: 'append', content: "Don\u2019t wrap the final answer in <answer> tags.", minibatch: 1 }),
    ]);
    expect(r.merged.map((e) => e.content)).toEqual(['Always wrap the final answer in <answer> tags.']);
    expect(r.contradictions).toHaveLength(1);
    expect(r.contradictions[0]?.kept?.support).toBe(3);
  });

  it('drops both on a full tie, and detects across append and insert_after', () => {
    const r = mergeEdits([
      p({ op: 'append', content: 'You must run the linter.' }),
      p({ op: 'insert_after', anchor: '## Checks', content: 'Never run the linter.' }),
    ]);
    expect(r.merged).toEqual([]);
    expect(r.contradictions[0]?.kept).toBeNull();
  });

  it('leaves instructions about different things alone', () => {
    const r = mergeEdits([
      p({ op: 'append', content: 'Always use tabs.' }),
      p({ op: 'append', content: 'Never use spaces.' }),
      p({ op: 'append', content: 'Never add trailing commas in JSON.' }),
      p({ op: 'append', content: 'Always add a summary heading.' }),
    ]);
    expect(r.merged).toHaveLength(4);
    expect(r.contradictions).toEqual([]);
  });
});

describe('rankAndClip', () => {
  const s1 = m({ op: 'append', content: 's1', sourceType: 'success', support: 5 });
  const f1 = m({ op: 'append', content: 'f1', support: 1 });
  const f3 = m({ op: 'append', content: 'f3', support: 3 });
  const f1b = m({ op: 'append', content: 'f1b', support: 1 });
  const s2 = m({ op: 'append', content: 's2', sourceType: 'success', support: 2 });
  const pool = [s1, f1, f3, f1b, s2];

  it('ranks failure-derived first, then support, then original order', () => {
    expect(rankAndClip(pool, 10).selected).toEqual([f3, f1, f1b, s1, s2]);
  });

  it('selects the first budget and clips the rest', () => {
    const r = rankAndClip(pool, 2);
    expect(r.selected).toEqual([f3, f1]);
    expect(r.clipped).toEqual([f1b, s1, s2]);
  });

  it('treats odd budgets sanely', () => {
    expect(rankAndClip(pool, 0).selected).toEqual([]);
    expect(rankAndClip(pool, -1).selected).toEqual([]);
    expect(rankAndClip(pool, Number.NaN).clipped).toHaveLength(5);
    expect(rankAndClip(pool, 2.9).selected).toHaveLength(2);
    expect(rankAndClip(pool, Number.POSITIVE_INFINITY).selected).toHaveLength(5);
    expect(rankAndClip([], 4)).toEqual({ selected: [], clipped: [] });
  });

  it('does not mutate its input', () => {
    const copy = [...pool];
    rankAndClip(pool, 1);
    expect(pool).toEqual(copy);
  });
});
