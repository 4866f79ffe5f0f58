import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clusterPrompts, familyIdFor, FamilyIndex, pairwiseScores, type PromptItem } from './cluster.js';
import { DEFAULT_MINE_CONFIG } from './config.js';
import { readPrompt } from './features.js';

interface Labelled {
  text: string;
  family: string;
  lang: string;
}

const FIXTURE = new URL('../../fixtures/mine/prompts.jsonl', import.meta.url);
const labelled: Labelled[] = readFileSync(FIXTURE, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Labelled);
const OPTIONS = { threshold: DEFAULT_MINE_CONFIG.similarity, exemplars: DEFAULT_MINE_CONFIG.exemplars };

function items(rows: readonly Labelled[]): PromptItem[] {
  return rows.map((row, i) => {
    const reading = readPrompt(row.text);
    return { key: `p${i}`, sessionKey: `s${i}`, text: reading.ok ? reading.text : '' };
  });
}

function together(texts: string[]): boolean {
  const predicted = clusterPrompts(
    texts.map((text, i) => ({ key: `k${i}`, sessionKey: `s${i}`, text })),
    OPTIONS,
  );
  return new Set(predicted.values()).size === 1;
}

describe('clustering on the labelled fixture', () => {
  it('has at least 60 prompts in several languages, with recurring families and one-offs', () => {
    expect(labelled.length).toBeGreaterThanOrEqual(60);
    expect(new Set(labelled.map((r) => r.lang)).size).toBeGreaterThanOrEqual(5);
    expect(labelled.filter((r) => r.family.startsWith('one-off')).length).toBeGreaterThanOrEqual(10);
  });

  it('reaches pairwise precision >= 0.9 and recall >= 0.7 at the default threshold', () => {
    const predicted = clusterPrompts(items(labelled), OPTIONS);
    const gold = new Map(labelled.map((row, i) => [`p${i}`, row.family]));
    const scores = pairwiseScores(predicted, gold);
    console.log(`clustering fixture (${labelled.length} prompts): precision ${scores.precision.toFixed(3)} recall ${scores.recall.toFixed(3)} f1 ${scores.f1.toFixed(3)} ${JSON.stringify(scores.pairs)}`);
    expect(scores.precision).toBeGreaterThanOrEqual(0.9);
    expect(scores.recall).toBeGreaterThanOrEqual(0.7);
  });

  it('keeps every one-off apart from the recurring families it resembles', () => {
    const predicted = clusterPrompts(items(labelled), OPTIONS);
    const families = new Map<string, Set<string>>();
    labelled.forEach((row, i) => {
      const id = predicted.get(`p${i}`) as string;
      families.set(id, (families.get(id) ?? new Set()).add(row.family));
    });
    const joined = labelled.filter((row, i) => row.family.startsWith('one-off') && (families.get(predicted.get(`p${i}`) as string)?.size ?? 0) > 1);
    // One known near-miss shares the task word and most of the request ("write a manual test plan" joins unit tests).
    expect(joined.map((r) => r.family).sort()).toEqual(['one-off-test-plan']);
  });
});

describe('paraphrases and near-misses', () => {
  it('joins paraphrases of one request', () => {
    expect(together(['Write a one-line commit message for this change: adds retry', 'commit message for: fix off-by-one in the cursor'])).toBe(true);
    expect(together(['What does this error mean? TypeError: x is undefined', 'Explain this error: ECONNREFUSED'])).toBe(true);
    expect(together(['Summarize this paper in five bullet points: ...', 'Can you summarise the following paper for me? ...'])).toBe(true);
  });

  it('folds one request asked in several languages when its instances carry the same kinds of values', () => {
    const asked = [
      'Tourenbuch, Eintrag für Grauwacke Alm: 14 miles und 900 feet Anstieg',
      'relato de la salida por Punta Roja, 8 miles y 2300 feet de subida',
      'log the bike loop around Pine Fork: 31 miles, 1200 feet up',
      'Tourenbuch, Eintrag für Punta Roja: 6 miles und 400 feet Anstieg',
    ];
    expect(together(asked)).toBe(true);
    // The same words without the values split by language: the values' shape is what the instances share.
    expect(together(asked.map((t) => t.replace(/\d+ (miles|feet)/g, '$1')))).toBe(false);
  });

  it('keeps different tasks apart even when they share a task word', () => {
    expect(together(['Explain this error: ECONNREFUSED', 'Explain how React useEffect cleanup works'])).toBe(false);
    expect(together(['Write a one-line commit message for this change: adds retry', 'Squash the last three commits into one'])).toBe(false);
    expect(together(['Write a PR description for this branch', 'Write a one-line commit message for this change'])).toBe(false);
  });
});

describe('FamilyIndex', () => {
  it('names a family after its founding member, so later members never rename it', () => {
    const index = new FamilyIndex(OPTIONS);
    const first = index.assign({ key: 'claude-code:a:0', sessionKey: 'claude-code:a', text: 'write a commit message for: add retry' });
    const second = index.assign({ key: 'codex:b:2', sessionKey: 'codex:b', text: 'commit message for: drop polyfill' });
    expect(first).toMatchObject({ created: true, familyId: familyIdFor('claude-code:a:0') });
    expect(second).toMatchObject({ created: false, familyId: first.familyId });
    expect(index.families.get(first.familyId)?.sessions.size).toBe(2);
  });

  it('gives the same families when restored from stored exemplars and fed only the new prompts', () => {
    const all = items(labelled);
    const batch = clusterPrompts(all, OPTIONS);
    const half = Math.floor(all.length / 2);
    const first = new FamilyIndex(OPTIONS);
    const seen = new Map<string, string>();
    const texts = new Map<string, string[]>();
    for (const item of all.slice(0, half)) {
      const { familyId } = first.assign(item);
      seen.set(item.key, familyId);
      texts.set(familyId, [...(texts.get(familyId) ?? []), item.text]);
    }
    const restored = new FamilyIndex(OPTIONS);
    for (const family of first.families.values()) {
      restored.restore({ id: family.id, founderKey: family.founderKey, sessions: family.sessions, memberCount: family.memberCount, exemplarTexts: texts.get(family.id) ?? [] });
    }
    for (const item of all.slice(half)) seen.set(item.key, restored.assign(item).familyId);
    expect(seen).toEqual(batch);
  });

  it('puts 50 identical prompts in one family', () => {
    const index = new FamilyIndex(OPTIONS);
    const ids = new Set(Array.from({ length: 50 }, (_, i) => index.assign({ key: `s${i}:0`, sessionKey: `s${i}`, text: 'run the tests and fix what fails' }).familyId));
    expect(ids.size).toBe(1);
  });
});

describe('pairwiseScores', () => {
  it('counts pairs', () => {
    const gold = new Map([['a', 'x'], ['b', 'x'], ['c', 'y']]);
    expect(pairwiseScores(new Map([['a', '1'], ['b', '1'], ['c', '1']]), gold)).toMatchObject({ precision: 1 / 3, recall: 1 });
    expect(pairwiseScores(new Map([['a', '1'], ['b', '2'], ['c', '3']]), gold)).toMatchObject({ precision: 1, recall: 0 });
  });
});
