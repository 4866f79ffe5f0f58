import { describe, it, expect } from 'vitest';
import { BEHAVIOURS, behavioursIn, referenceNumber, scopeOf } from './behaviours.js';

const apply = (skill: string, answer: string, spec: Record<string, unknown> = {}, request = '') =>
  behavioursIn(skill, request).reduce((a, b) => b.apply(a, { answer, ...spec }, skill, request), { text: answer, toolCalls: [] as string[] });

describe('simulated behaviours', () => {
  it('each behaviour is switched on by several paraphrases', () => {
    for (const b of BEHAVIOURS) expect(b.triggers.length, b.id).toBeGreaterThanOrEqual(2);
  });

  it('turns instructions into the transforms a judge can see', () => {
    expect(apply('Use the imperative mood for commit subjects. No trailing period.', 'Added retry to the client.').text).toBe('Add retry to the client');
    expect(apply('Use SI units for every measurement.', 'The trail is 12 miles long and climbs 3000 feet.').text).toBe('The trail is 19.3 km long and climbs 914.4 m.');
    expect(apply('Keep answers under 5 words.', 'one two three four five six seven').text).toBe('one two three four five');
    expect(apply('Replies: maximum of 3 words.', 'one two three four').text).toBe('one two three');
    expect(apply('Respond with valid JSON only, with no prose.', 'x', { json: { a: 1 } }).text).toBe('{"a":1}');
    expect(apply('Before answering, run the relevant tool first.', 'ok', { tool: 'run_tests' }).toolCalls).toEqual(['run_tests']);
    expect(apply('Start the answer with a "## Summary" heading. Cite your sources.', 'Findings.', { sources: ['A 2020'] }).text).toBe('## Summary\n\nFindings.\n\nSources: A 2020');
  });

  it('follows changelog rules on a bulleted entry: imperative past the bullet, the PR number from the request at the end, no period', () => {
    const request = 'changelog entry for pull request 512, CSV export';
    expect(apply('End each entry with the PR number in parentheses, like "(#123)".', '- Added CSV export.', {}, request).text).toBe('- Added CSV export (#512).');
    expect(apply('Use the imperative mood.\nPut the pull request reference at the end, as "(#N)".\nNo trailing period on the first line.', '- Added CSV export.', {}, request).text).toBe('- Add CSV export (#512)');
    expect(apply('Put the pull request reference at the end, as "(#N)".', '- Added CSV export.', {}, 'no number here').text).toBe('- Added CSV export.');
  });

  it('ignores text that only mentions a format without asking for it', () => {
    expect(behavioursIn('We used to wrap things in tags long ago.').map((b) => b.id)).toEqual([]);
  });

  it('reads scope prefixes', () => {
    expect(scopeOf('For tasks that mention "Review": Use a bullet list.')).toEqual({ kind: 'word', word: 'review' });
    expect(scopeOf('- When the request mentions "json", respond with JSON only.')).toEqual({ kind: 'word', word: 'json' });
    expect(scopeOf('Use a bullet list.')).toBeNull();
    expect(behavioursIn('For tasks that mention "review": Use a bullet list, one bullet per point.', 'please review this').map((b) => b.id)).toEqual(['bullets']);
    expect(behavioursIn('For tasks that mention "review": Use a bullet list, one bullet per point.', 'write a commit message')).toEqual([]);
  });

  it('applies a line scoped to requests that give a PR reference to every request that gives one, in any words', () => {
    const line = 'For requests that give a PR number: End each entry with the PR number in parentheses, like "(#123)".';
    expect(scopeOf(line)).toEqual({ kind: 'reference' });
    for (const asked of ['need the release-notes bullet for #574', 'Kun je een regel maken voor PR 893?', 'drafting the item for pull request 601']) expect(behavioursIn(line, asked).map((b) => b.id)).toEqual(['reference_at_end']);
    for (const asked of ['write a commit message', 'issue tracker colour #fff', 'a trip of 12 miles']) expect(behavioursIn(line, asked)).toEqual([]);
    // As a model reads them: GitLab's "!", the label and a word before the number; not a version or a count.
    for (const [asked, n] of [['release notes cho MR !957 nhé', '957'], ['pro PR číslo 814. Změna', '814'], ['PR#12 please', '12'], ['PR nr. 77 ok', '77']] as const) expect(referenceNumber(asked)).toBe(n);
    for (const asked of ['drop support for Node 18', 'the PR for Node 18', 'wow! 12 miles', 'colour #fff']) expect(referenceNumber(asked)).toBeUndefined();
  });
});
