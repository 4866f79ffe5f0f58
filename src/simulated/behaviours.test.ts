import { describe, it, expect } from 'vitest';
import { BEHAVIOURS, behavioursIn, scopeOf } from './behaviours.js';

const apply = (skill: string, answer: string, spec: Record<string, unknown> = {}) =>
  behavioursIn(skill).reduce((a, b) => b.apply(a, { answer, ...spec }, skill), { text: answer, toolCalls: [] as string[] });

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

  it('ignores text that only mentions a format without asking for it', () => {
    expect(behavioursIn('We used to wrap things in tags long ago.').map((b) => b.id)).toEqual([]);
  });

  it('reads scope prefixes', () => {
    expect(scopeOf('For tasks that mention "Review": Use a bullet list.')).toBe('review');
    expect(scopeOf('- When the request mentions "json", respond with JSON only.')).toBe('json');
    expect(scopeOf('Use a bullet list.')).toBeNull();
    expect(behavioursIn('For tasks that mention "review": Use a bullet list, one bullet per point.', 'please review this').map((b) => b.id)).toEqual(['bullets']);
    expect(behavioursIn('For tasks that mention "review": Use a bullet list, one bullet per point.', 'write a commit message')).toEqual([]);
  });
});
