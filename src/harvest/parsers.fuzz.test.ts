import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../core/rng.js';
import type { SourceAdapter } from './types.js';
import { ALL_SOURCES } from './sources/index.js';
import { filesBelow, mutateText, mutateTree } from './fidelity-corpus.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/transcripts');

const ALL_FILES = filesBelow(FIXTURES).filter((f) => f.endsWith('.jsonl') || f.endsWith('.json'));
const SEED_LINES = ALL_FILES.filter((f) => f.endsWith('.jsonl')).flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean));
const SEED_DOCS = ALL_FILES.filter((f) => f.endsWith('.json')).map((f) => readFileSync(f, 'utf8'));

function fuzzAdapter(adapter: SourceAdapter, seed: number, count: number): { fed: number; skipped: number } {
  const rng = createRng(seed);
  let fed = 0;
  let skipped = 0;
  // Several parsers, each fed a stream mixing mutated and valid lines, as a damaged file would.
  for (let file = 0; file < 20; file++) {
    const parser = adapter.openParser(`/fuzz/${adapter.name}/rollout-${file}-0000.jsonl`);
    for (let i = 0; i < count / 20; i++) {
      const line = SEED_LINES[rng.int(SEED_LINES.length)] ?? '';
      const outcome = parser.feedLine(rng.int(4) === 0 ? line : mutateText(line, rng));
      fed++;
      if (!outcome.ok) {
        skipped++;
        expect(typeof outcome.reason).toBe('string');
      }
    }
    const state = JSON.parse(JSON.stringify(parser.saveState())) as unknown;
    const resumed = adapter.openParser(`/fuzz/${adapter.name}/rollout-${file}-0000.jsonl`, state);
    for (const digest of resumed.digests()) {
      expect(Array.isArray(digest.prompts)).toBe(true);
      expect(digest.prompts.every((p) => typeof p.text === 'string')).toBe(true);
    }
    // A resumed parser fed garbage state must cope too.
    adapter.openParser('/fuzz/x.jsonl', mutateTree(state, rng)).feedLine(SEED_LINES[0] ?? '{}');
  }
  for (let i = 0; i < 200; i++) {
    const doc = SEED_DOCS[rng.int(SEED_DOCS.length)] ?? '{}';
    const result = adapter.parseDocument(`/fuzz/${i}.json`, mutateText(doc, rng));
    expect(Array.isArray(result.digests)).toBe(true);
  }
  return { fed, skipped };
}

describe('every parser survives thousands of mutated lines', () => {
  it('has seed material from the real and synthetic fixtures', () => {
    expect(SEED_LINES.length).toBeGreaterThan(300);
  });
  for (const adapter of ALL_SOURCES) {
    it(`${adapter.name}: no throw on 4,000 mutated lines and 200 mutated documents`, () => {
      const { fed, skipped } = fuzzAdapter(adapter, 20260310, 4000);
      expect(fed).toBe(4000);
      expect(skipped).toBeGreaterThan(0);
    });
  }
});
