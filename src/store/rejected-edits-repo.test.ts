import { describe, it, expect } from 'vitest';
import { openDatabase } from './db.js';
import { createRejectedEditsRepo, editHash } from './rejected-edits-repo.js';

const now = '2026-11-22T03:00:00.000Z';
const daysAgo = (d: number) => new Date(Date.parse(now) - d * 86_400_000).toISOString();

describe('rejected-edits repo', () => {
  it('remembers rejected edits per skill target, newest first, one line per edit', () => {
    const repo = createRejectedEditsRepo(openDatabase(':memory:'));
    repo.add([
      { skillKey: 'claude:learned', edit: { op: 'append', content: 'Be thorough and precise.', rationale: 'general care' }, reason: 'no_contribution', scoreDrop: 0, night: 3, runId: 7, at: daysAgo(2) },
      { skillKey: 'claude:learned', edit: { op: 'append', content: 'Answer in as few words as possible.' }, reason: 'gate', scoreDrop: 0.1, night: 3, at: daysAgo(2) },
      { skillKey: 'claude:learned', edit: { op: 'append', content: 'Be  thorough and precise.' }, reason: 'review', night: 4, at: daysAgo(1) },
      { skillKey: '', edit: { op: 'replace', anchor: 'Use past tense.', content: 'Use the present tense.' }, reason: 'gate', scoreDrop: 0.05, at: daysAgo(1) },
    ]);
    const recent = repo.recent({ skillKey: 'claude:learned', limit: 10, maxAgeDays: 30, now });
    expect(recent.map((r) => [r.edit.content, r.reason, r.night])).toEqual([
      // Whitespace folded: the review rejection and the attribution one are the same edit; the newest wins.
      ['Be  thorough and precise.', 'review', 4],
      ['Answer in as few words as possible.', 'gate', 3],
    ]);
    expect(recent[1]).toMatchObject({ scoreDrop: 0.1, runId: null, skillKey: 'claude:learned' });
    expect(repo.recent({ skillKey: '', limit: 10, maxAgeDays: 30, now })[0]?.edit).toEqual({ op: 'replace', anchor: 'Use past tense.', content: 'Use the present tense.' });
    expect(repo.recent({ skillKey: 'claude:learned', limit: 1, maxAgeDays: 30, now })).toHaveLength(1);
    expect(editHash({ op: 'append', content: 'a  b' })).toBe(editHash({ op: 'append', content: 'a b' }));
    expect(editHash({ op: 'append', content: 'a b' })).not.toBe(editHash({ op: 'insert_after', content: 'a b' }));
  });

  it('ages out and prunes by age and count, and forgets one skill target', () => {
    const repo = createRejectedEditsRepo(openDatabase(':memory:'));
    repo.add(Array.from({ length: 6 }, (_, i) => ({ skillKey: 'k', edit: { op: 'append' as const, content: `rule ${i}` }, reason: 'gate' as const, at: daysAgo(10 - i) })));
    repo.add([{ skillKey: 'old', edit: { op: 'append', content: 'ancient' }, reason: 'gate', at: daysAgo(90) }]);
    expect(repo.recent({ skillKey: 'k', limit: 10, maxAgeDays: 7, now }).map((r) => r.edit.content)).toEqual(['rule 5', 'rule 4', 'rule 3']);
    expect(repo.prune({ now, maxAgeDays: 30, maxPerSkill: 4 })).toBe(3);
    expect(repo.recent({ skillKey: 'k', limit: 10, maxAgeDays: 30, now }).map((r) => r.edit.content)).toEqual(['rule 5', 'rule 4', 'rule 3', 'rule 2']);
    expect(repo.recent({ skillKey: 'old', limit: 10, maxAgeDays: 365, now })).toEqual([]);
    expect(repo.forget('k')).toBe(4);
  });

  it('refuses a reason outside the agreed list', () => {
    const repo = createRejectedEditsRepo(openDatabase(':memory:'));
    expect(() => repo.add([{ skillKey: 'k', edit: { op: 'append', content: 'x' }, reason: 'bogus' as never, at: now }])).toThrow(/CHECK constraint/);
  });
});
