import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import type { MemberRecord } from '../store/families-repo.js';
import { readPrompt, tokenize } from './features.js';
import { valuesOf } from './grounding.js';
import { basisStillHolds, familyBasis, foldNearDuplicates, memberKey, planFamilyTasks, planFromBasis, taskIdFor, type FamilyBasis } from './task-builder.js';

function member(i: number, prompt: string): MemberRecord {
  return { familyId: 'f', source: 'claude-code', sessionId: `s${i}`, promptIndex: 0, prompt, outcome: 'unknown', evidence: [], directives: [], answers: [] };
}

/** The fold as it was first written: every member against every kept one, in order. */
function foldAllPairs(members: readonly MemberRecord[], isStored: (m: MemberRecord) => boolean): MemberRecord[] {
  const overlap = (a: ReadonlySet<string>, b: ReadonlySet<string>) => {
    if (a.size === 0 && b.size === 0) return 1;
    let shared = 0;
    for (const t of a) if (b.has(t)) shared++;
    return shared / (a.size + b.size - shared);
  };
  const values = (p: string) => valuesOf(p).map((v) => v.value).sort().join(' ');
  const kept: Array<{ member: MemberRecord; vector: ReadonlySet<string> }> = [];
  for (const m of members) {
    const reading = readPrompt(m.prompt);
    const vector = new Set(tokenize(reading.ok ? reading.text : m.prompt));
    const exact = (reading.ok ? reading.text : m.prompt).toLowerCase().replace(/\s+/g, ' ');
    const twin = isStored(m) ? undefined : kept.find((k) => k.member.prompt.toLowerCase().replace(/\s+/g, ' ') === exact || (values(k.member.prompt) === values(m.prompt) && overlap(k.vector, vector) >= 0.9));
    if (!twin) kept.push({ member: m, vector });
  }
  return kept.map((k) => k.member);
}

describe('foldNearDuplicates', () => {
  it('keeps exactly the members an all-pairs comparison keeps, on prompts built to sit near the threshold', () => {
    const words = 'cart total rounding parser endpoint config cache router logger cursor retry auth token invoice queue worker schema index build deploy'.split(' ');
    const stems = ['Write a commit message for', 'commit message for', 'Summarize the changes in', 'fix the failing tests in', 'Review PR #{n} about', 'Bump to v1.{n}.0 for'];
    for (let seed = 1; seed <= 6; seed++) {
      const rng = createRng(seed);
      const members: MemberRecord[] = [];
      for (let i = 0; i < 300; i++) {
        const stem = (stems[rng.int(stems.length)] as string).replace('{n}', String(rng.int(4)));
        const payload = Array.from({ length: rng.int(12) }, () => words[rng.int(words.length)]).join(' ');
        const earlier = members[rng.int(Math.max(1, members.length))];
        // Some re-typed: the same prompt in other case and spacing, or with one word more.
        const text = earlier && rng.next() < 0.15 ? (rng.next() < 0.5 ? earlier.prompt.toUpperCase().replace(/ /g, '  ') : `${earlier.prompt} ${words[rng.int(words.length)]}`) : rng.next() < 0.05 ? '12 34' : `${stem} ${payload}`;
        members.push(member(i, text));
      }
      const stored = new Set(members.filter(() => rng.next() < 0.1));
      const isStored = (m: MemberRecord) => stored.has(m);
      const expected = foldAllPairs(members, isStored);
      expect(foldNearDuplicates(members, isStored)).toEqual(expected);
      expect(expected.length).toBeLessThan(members.length); // the case folds something
    }
  });

  it('never folds a stored task and folds a re-typed prompt into the first one', () => {
    const members = [member(0, 'Write a commit message for the cart fix'), member(1, 'write a  commit message for the cart fix'), member(2, 'Write a commit message for the cart fix')];
    expect(foldNearDuplicates(members, () => false).map((m) => m.sessionId)).toEqual(['s0']);
    expect(foldNearDuplicates(members, (m) => m.sessionId === 's2').map((m) => m.sessionId)).toEqual(['s0', 's2']);
  });
});

describe('planFromBasis', () => {
  it('plans from a basis read back from JSON exactly as from the members, reading only the members it chooses', () => {
    const rng = createRng(3);
    const members: MemberRecord[] = Array.from({ length: 120 }, (_, i) => ({
      ...member(i, `Write a commit message for PR #${100 + i} about the ${['cart', 'parser', 'cache', 'router'][rng.int(4)]} fix`),
      at: `2026-01-01T00:${String(i % 60).padStart(2, '0')}:00Z`,
      evidence: i % 4 === 0 ? [{ kind: 'correction', text: 'No trailing period, and put (#N) last.', sessionId: `s${i}`, promptIndex: 1 } as MemberRecord['evidence'][number]] : [],
      answers: [{ text: `Fix the cart (#${100 + i}).`, verdict: 'corrected', promptIndex: 0 }, { text: `Fix the cart (#${100 + i})`, verdict: 'accepted', promptIndex: 2 }] as MemberRecord['answers'],
    }));
    const family = { id: 'fam-x', founderKey: 'k', label: 'commit', sessionCount: 120, memberCount: 120, projects: [], skills: [], sources: [] };
    const storedIds = new Set(members.slice(0, 30).map((m) => taskIdFor(family.id, m)));
    const expected = planFamilyTasks(family, members, storedIds, { maxTasksPerFamily: 40 });
    const basis = JSON.parse(JSON.stringify(familyBasis(family.id, members, storedIds))) as FamilyBasis;
    const byKey = new Map(members.map((m) => [memberKey(m), m]));
    const asked: string[] = [];
    const plan = planFromBasis(family, basis, storedIds, (keys) => {
      asked.push(...keys);
      return keys.map((k) => byKey.get(k));
    }, { maxTasksPerFamily: 40 });
    expect(plan).toEqual(expected);
    expect(asked).toHaveLength(40);
    expect(expected.candidates.filter((c) => !c.existing)).toHaveLength(10); // 30 stored, room for the 10 newest
    // A member the basis names that is gone: no plan (the caller reads the members again).
    expect(planFromBasis(family, basis, storedIds, (keys) => keys.map(() => undefined), { maxTasksPerFamily: 40 })).toBeUndefined();
  });

  it('holds while tasks are added from its own instances, not when a stored task goes or an unknown one appears', () => {
    const members = [member(0, 'Write a commit message for the cart fix'), member(1, 'write a  commit message for the cart fix'), member(2, 'Summarize the cache change')];
    const ids = members.map((m) => taskIdFor('fam-x', m));
    const basis = familyBasis('fam-x', members, new Set([ids[0] as string]));
    expect(basisStillHolds(basis, new Set([ids[0] as string]))).toBe(true);
    expect(basisStillHolds(basis, new Set([ids[0] as string, ids[2] as string]))).toBe(true); // an instance it kept
    expect(basisStillHolds(basis, new Set([ids[0] as string, ids[1] as string]))).toBe(false); // one it folded
    expect(basisStillHolds(basis, new Set())).toBe(false); // a stored task went
    expect(basisStillHolds({ ...basis, version: '0' }, new Set([ids[0] as string]))).toBe(false);
  });
});
