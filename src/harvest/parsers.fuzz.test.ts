import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, type Rng } from '../core/rng.js';
import type { SourceAdapter } from './types.js';
import { ALL_SOURCES } from './sources/index.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/transcripts');

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

const ALL_FILES = filesBelow(FIXTURES).filter((f) => f.endsWith('.jsonl') || f.endsWith('.json'));
const SEED_LINES = ALL_FILES.filter((f) => f.endsWith('.jsonl')).flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean));
const SEED_DOCS = ALL_FILES.filter((f) => f.endsWith('.json')).map((f) => readFileSync(f, 'utf8'));

function randomValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 2 ? 6 : 8)) {
    case 0: return null;
    case 1: return rng.int(3) === 0 ? -1 : rng.next() * 1e12;
    case 2: return rng.int(2) === 0;
    case 3: return '';
    case 4: return ['user', 'assistant', 'event_msg', 'response_item', '<command-name>/x</command-name>', '[Request interrupted by user]', 'x'.repeat(rng.int(3000))][rng.int(7)];
    case 5: return '\u0000\uFFFD\uD800';
    case 6: return [randomValue(rng, depth + 1), randomValue(rng, depth + 1)];
    default: return { type: randomValue(rng, depth + 1), content: randomValue(rng, depth + 1), text: randomValue(rng, depth + 1) };
  }
}

/** Replace one random node of a JSON tree (or delete a key) to keep the shape almost valid. */
function mutateTree(value: unknown, rng: Rng): unknown {
  if (value === null || typeof value !== 'object') return rng.int(3) === 0 ? value : randomValue(rng);
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return randomValue(rng);
  const [key, child] = entries[rng.int(entries.length)] ?? ['', null];
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  const roll = rng.int(4);
  if (roll === 0 && !Array.isArray(copy)) delete copy[key];
  else if (roll === 1) (copy as Record<string, unknown>)[key] = randomValue(rng);
  else (copy as Record<string, unknown>)[key] = mutateTree(child, rng);
  return copy;
}

function mutateText(text: string, rng: Rng): string {
  switch (rng.int(6)) {
    case 0: return text.slice(0, rng.int(text.length + 1)); // truncated
    case 1: { const at = rng.int(text.length + 1); return text.slice(0, at) + String.fromCharCode(rng.int(65536)) + text.slice(at + 1); }
    case 2: { const at = rng.int(text.length + 1); return text.slice(0, at) + text.slice(rng.int(text.length + 1)); } // spliced
    case 3: return Buffer.from(Array.from({ length: rng.int(200) }, () => rng.int(256))).toString('latin1'); // garbage
    default:
      try {
        return JSON.stringify(mutateTree(mutateTree(JSON.parse(text), rng), rng)) ?? 'null';
      } catch {
        return text;
      }
  }
}

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
