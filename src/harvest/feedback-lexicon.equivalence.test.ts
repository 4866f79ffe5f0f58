import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compilePhraseSet, normalise, type CompiledSet } from './feedback-lexicon.js';
import { CORRECTION, PRAISE, WEAK_CORRECTION } from './feedback-phrases.js';
import { createRng } from '../core/rng.js';

// The fast regexes (shared lookarounds, no `i` flag) must match exactly what the plain per-phrase `iu` construction
// matches, on real prompts, on the phrases themselves and on random mixtures of phrase words.
const FIXTURES = join(import.meta.dirname, '../../fixtures/transcripts');

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

/** Every string value inside the fixture transcripts that reads like a message (prompts, answers, tool text). */
function fixtureTexts(): string[] {
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.length > 1 && v.length < 4000) out.add(v);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  for (const file of filesBelow(FIXTURES).filter((f) => /\.jsonl?$/.test(f))) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      try {
        visit(JSON.parse(line));
      } catch {
        // not a JSON line; skipped
      }
    }
  }
  return [...out];
}

function allMatches(set: CompiledSet, text: string): string[] {
  const re = set.anywhere;
  if (!re) return [];
  re.lastIndex = 0;
  const found: string[] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    found.push(`${m.index}:${m[0]}`);
    if (m[0].length === 0) re.lastIndex++;
  }
  return found;
}

describe('compilePhraseSet fast vs reference', () => {
  const sets = { correction: CORRECTION, weak: WEAK_CORRECTION, praise: PRAISE };
  const rng = createRng(5);
  const phraseWords = Object.values(sets).flatMap((s) => [...s.start, ...s.anywhere]).join(' ').replace(/[^\p{L}\p{N}' ]+/gu, ' ').split(' ').filter(Boolean);
  const random = Array.from({ length: 3000 }, () =>
    Array.from({ length: 1 + rng.int(12) }, () => (rng.int(5) === 0 ? ',' : '') + (phraseWords[rng.int(phraseWords.length)] ?? 'x')).join(rng.int(4) === 0 ? ', ' : ' '),
  );
  const texts = [...fixtureTexts(), ...random].map(normalise).filter((t) => t.length > 0);

  it.each(Object.entries(sets))('%s: same start match and same matches anywhere', (_name, set) => {
    const fast = compilePhraseSet(set, 'fast');
    const reference = compilePhraseSet(set, 'reference');
    expect(texts.length).toBeGreaterThan(3000);
    let hits = 0;
    for (const text of texts) {
      const expected = reference.start.exec(text)?.groups?.p ?? null;
      expect(fast.start.exec(text)?.groups?.p ?? null, text).toBe(expected);
      const anywhere = allMatches(reference, text);
      expect(allMatches(fast, text), text).toEqual(anywhere);
      if (expected !== null || anywhere.length > 0) hits++;
    }
    expect(hits).toBeGreaterThan(20); // the texts exercise the phrases, not only misses
  });
});
