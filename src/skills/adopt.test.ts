import { describe, expect, it } from 'vitest';
import { sha256 } from '../core/hash.js';
import { applyEdits } from './patch.js';
import { buildRecipe, planAdopt } from './adopt.js';
import { writeProtectedContent } from './protected-region.js';
import type { Edit } from './types.js';

const BASE = '---\nname: s\ndescription: d\n---\n# Prefs\n\nBe helpful.\n';
const EDITS: Edit[] = [
  { op: 'insert_after', anchor: 'Be helpful.', content: 'Write commit subjects in the imperative mood.' },
  { op: 'append', content: 'Answer in JSON only.' },
];
const PROPOSAL = applyEdits(BASE, EDITS).text;

function proposal(content = PROPOSAL, base = BASE, edits = EDITS) {
  const { recipe, reapplicable } = buildRecipe(base, content, edits);
  return { content, sha256: sha256(content), baseSha256: sha256(base), recipe, reapplicable, nightId: 3 };
}

describe('buildRecipe', () => {
  it('is re-appliable when the edits rebuild the proposal from its base, slow-update region included', () => {
    expect(proposal().reapplicable).toBe(true);
    const withSlow = writeProtectedContent(PROPOSAL, 'Prefer short answers.\n');
    const p = proposal(withSlow);
    expect(p.reapplicable).toBe(true);
    expect(p.recipe.protectedContent).toBe('Prefer short answers.\n');
  });

  it('is not re-appliable when the edits do not give the proposal', () => {
    expect(proposal(`${PROPOSAL}Something the edits never wrote.\n`).reapplicable).toBe(false);
  });
});

describe('planAdopt', () => {
  it('writes the proposal when the file still holds its base', () => {
    expect(planAdopt({ skillName: 's', proposal: proposal(), current: BASE })).toEqual({ kind: 'write', content: PROPOSAL, how: 'as-trained' });
  });

  it('only records when the file already holds the proposal (an adopt cut short after its write)', () => {
    expect(planAdopt({ skillName: 's', proposal: proposal(), current: PROPOSAL }).kind).toBe('record-only');
  });

  it('recreates a missing file', () => {
    expect(planAdopt({ skillName: 's', proposal: proposal(), current: null })).toEqual({ kind: 'write', content: PROPOSAL, how: 'created' });
  });

  it('re-applies the edits to a hand-edited file and keeps the hand edit', () => {
    const edited = BASE.replace('# Prefs\n', '# Prefs\n\nMy own rule: tabs, not spaces.\n');
    const plan = planAdopt({ skillName: 's', proposal: proposal(), current: edited });
    expect(plan.kind).toBe('write');
    if (plan.kind !== 'write') return;
    expect(plan.how).toBe('reapplied');
    expect(plan.content).toContain('My own rule: tabs, not spaces.');
    expect(plan.content).toMatch(/Be helpful\.\s+Write commit subjects in the imperative mood\./);
    expect(plan.content).toContain('Answer in JSON only.');
  });

  it('refuses, naming each edit that no longer applies and how to resolve, when the anchor is gone', () => {
    const edited = BASE.replace('Be helpful.', 'Be terse.');
    const plan = planAdopt({ skillName: 's', proposal: proposal(), current: edited });
    expect(plan.kind).toBe('refuse');
    if (plan.kind !== 'refuse') return;
    expect(plan.reason).toMatch(/1 of 2 edits no longer apply/);
    expect(plan.reason).toMatch(/edit 1 \(insert_after at "Be helpful."\): anchor not found/);
    expect(plan.hint).toMatch(/skillopt-sleep reject --night 3 --skill s/);
  });

  it('refuses a changed file when the proposal cannot be rebuilt from its edits', () => {
    const p = proposal(`${PROPOSAL}extra\n`);
    const plan = planAdopt({ skillName: 's', proposal: p, current: `${BASE}mine\n` });
    expect(plan.kind).toBe('refuse');
  });
});
