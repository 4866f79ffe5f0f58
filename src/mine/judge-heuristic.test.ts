import { describe, expect, it } from 'vitest';
import { extractCorrectionDirectives } from '../harvest/feedback-lexicon.js';
import { runChecks, validateChecks } from '../judges/rules.js';
import type { Check } from '../judges/types.js';
import { buildHeuristicJudge, checksFromDirective, contentAnchor } from './judge-heuristic.js';

function ops(directive: string): string[] {
  return checksFromDirective(directive).map((c) => c.check.op);
}

function passes(checks: Check[], response: string): boolean {
  return runChecks(checks, { response, toolCalls: [] }).hard === 1;
}

describe('checksFromDirective', () => {
  it('derives rules from the directives named in the issue', () => {
    const directives = extractCorrectionDirectives('No. Use imperative mood and no trailing period.');
    expect(directives).toEqual(['use imperative mood', 'no trailing period']);
    const checks = directives.flatMap(checksFromDirective).map((c) => c.check);
    expect(passes(checks, 'Add retry with exponential backoff')).toBe(true);
    expect(passes(checks, 'Added retry with exponential backoff')).toBe(false);
    expect(passes(checks, 'Add retry with exponential backoff.')).toBe(false);
    expect(passes(checks, 'feat(http): add retry')).toBe(true);
    expect(passes(checks, 'feat(http): adding retry')).toBe(false);
  });

  it('reads tags, JSON only, length limits, TL;DR, headings, bullets, units, dates and sources', () => {
    const wrap = checksFromDirective('wrap it in <answer> tags').map((c) => c.check);
    expect(passes(wrap, '<answer>42</answer>')).toBe(true);
    expect(passes(wrap, '42')).toBe(false);
    expect(ops('only JSON')).toEqual(['json_valid']);
    expect(ops('respond with JSON only, keys "title" and "body"')).toEqual(['json_has_keys']);
    const words = checksFromDirective('keep it under 5 words').map((c) => c.check);
    expect(passes(words, 'one two three four five')).toBe(true);
    expect(passes(words, 'one two three four five six')).toBe(false);
    expect(ops('at most 72 characters')).toEqual(['max_chars']);
    expect(ops('no more than 3 lines')).toEqual(['max_lines']);
    expect(ops('start with a TL;DR')).toEqual(['starts_with']);
    expect(checksFromDirective('add a "## Summary" heading').map((c) => c.check)).toEqual([{ op: 'heading', arg: 'Summary' }]);
    expect(ops('use bullet points')).toEqual(['regex']);
    const si = checksFromDirective('use SI units').map((c) => c.check);
    expect(passes(si, 'It is 8 km away')).toBe(true);
    expect(passes(si, 'It is 5 miles away')).toBe(false);
    const iso = checksFromDirective('write dates as YYYY-MM-DD').map((c) => c.check);
    expect(passes(iso, 'Due 2026-03-01')).toBe(true);
    expect(passes(iso, 'Due March 1, 2026')).toBe(false);
    expect(ops('cite your sources')).toEqual(['regex']);
  });

  it('turns quoted literals and "use X instead of Y" into content checks', () => {
    expect(checksFromDirective('include "Signed-off-by"')).toMatchObject([{ check: { op: 'contains', arg: 'Signed-off-by' }, kind: 'content' }]);
    expect(checksFromDirective("don't mention 'TODO'")).toMatchObject([{ check: { op: 'not_contains', arg: 'TODO' }, kind: 'content' }]);
    const pnpm = checksFromDirective('use pnpm instead of npm').map((c) => c.check);
    expect(passes(pnpm, 'Run pnpm install')).toBe(true);
    expect(passes(pnpm, 'Run npm install')).toBe(false);
  });

  it('returns nothing for a directive no rule can express, and only valid checks ever', () => {
    expect(checksFromDirective('be more careful with the edge cases')).toEqual([]);
    for (const d of ['use imperative mood', 'wrap it in <answer>', 'under 10 words', 'use SI units', 'cite sources', 'no emojis']) {
      expect(validateChecks(checksFromDirective(d).map((c) => c.check), { shapeWarning: false }).errors).toEqual([]);
    }
  });
});

describe('contentAnchor', () => {
  it('picks the first payload word that the answer also used', () => {
    expect(contentAnchor('Write a commit message for this change: wraps fetch calls in a retry loop', 'Added retry to the HTTP client.')).toMatchObject({ check: { op: 'contains', arg: 'retry' }, kind: 'content' });
  });
  it('gives none without an answer or a shared word', () => {
    expect(contentAnchor('Write a commit message: retry loop', undefined)).toBeUndefined();
    expect(contentAnchor('Write a commit message: retry loop', 'Done.')).toBeUndefined();
  });
});

describe('buildHeuristicJudge', () => {
  it('combines directive rules with a content anchor and is not gameable', () => {
    const h = buildHeuristicJudge({ prompt: 'commit message for: fix the pagination cursor', directives: ['use imperative mood', 'no trailing period'], answer: 'Fixed the pagination cursor.' });
    expect(h.judge.kind).toBe('rule');
    expect(h.checks.map((c) => c.kind)).toEqual(['style', 'style', 'content']);
    expect(h.gameable).toBe(false);
  });

  it('flags a judge of shape checks alone as gameable', () => {
    const h = buildHeuristicJudge({ prompt: 'Summarize this paper', directives: ['add a "## Summary" heading', 'under 100 words'], answer: 'It is about cats.' });
    expect(h.checks.every((c) => c.kind === 'shape')).toBe(true);
    expect(h.gameable).toBe(true);
  });

  it('falls back to a rubric that states the request and the unmatched directives', () => {
    const h = buildHeuristicJudge({ prompt: 'Explain this error: ECONNREFUSED', directives: ['be more specific about the port'], answer: undefined });
    expect(h.judge.kind).toBe('rubric');
    expect(h.judge.kind === 'rubric' && h.judge.rubric).toContain('be more specific about the port');
    expect(h.unmatched).toEqual(['be more specific about the port']);
  });
});
