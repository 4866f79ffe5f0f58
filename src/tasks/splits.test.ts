import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import type { Split, Task } from './types.js';
import { DEFAULT_SPLIT_CONFIG } from './splits.js';
import { assignMinedSplits } from './mined-splits.js';

function task(id: string, family: string, origin: 'real' | 'dream' = 'real', tags: string[] = []): Task {
  return { id, family, origin, tags, prompt: id, judge: { kind: 'rule', checks: [{ op: 'contains', arg: 'x' }] } };
}

describe('assignMinedSplits (property test over random mining rounds)', () => {
  it('never lets a family straddle train and val/test, keeps dream and gameable tasks in train, and never moves a split', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rng = createRng(seed);
      const stored: Task[] = [];
      const everSplit = new Map<string, Split>();
      const families = 1 + rng.int(25);
      const rounds = 1 + rng.int(5);
      let n = 0;
      for (let round = 0; round < rounds; round++) {
        const incoming: Task[] = [];
        const count = rng.int(20);
        for (let i = 0; i < count; i++) {
          const family = `fam-${rng.int(families)}`;
          const origin = rng.next() < 0.2 ? 'dream' : 'real';
          incoming.push(task(`t${n++}`, family, origin, rng.next() < 0.15 ? ['gameable'] : []));
        }
        const splits = assignMinedSplits(stored, incoming, DEFAULT_SPLIT_CONFIG, { isGameable: (t) => t.tags?.includes('gameable') ?? false });
        for (const t of incoming) {
          const split = splits.get(t.id);
          expect(split, `seed ${seed}: every incoming task gets a split`).toBeDefined();
          stored.push({ ...t, split: split as Split });
        }
        for (const t of stored) {
          const before = everSplit.get(t.id);
          if (before) expect(t.split).toBe(before);
          everSplit.set(t.id, t.split as Split);
        }
        const sides = new Map<string, Set<'train' | 'held-out'>>();
        for (const t of stored) {
          if (t.origin === 'dream') {
            expect(t.split, `seed ${seed}: dream task ${t.id} in ${t.split}`).toBe('train');
            continue;
          }
          const side = t.split === 'train' ? 'train' : 'held-out';
          sides.set(t.family as string, (sides.get(t.family as string) ?? new Set()).add(side));
        }
        for (const [family, set] of sides) expect(set.size, `seed ${seed}: family ${family} straddles`).toBe(1);
      }
    }
  });

  it('fills val and test once the set is large enough, so the gate has something to read', () => {
    const incoming = Array.from({ length: 30 }, (_, i) => task(`t${i}`, `fam-${i}`));
    const splits = [...assignMinedSplits([], incoming, DEFAULT_SPLIT_CONFIG).values()];
    expect(splits.filter((s) => s === 'val').length).toBeGreaterThanOrEqual(3);
    expect(splits.filter((s) => s === 'test').length).toBeGreaterThanOrEqual(3);
  });

  it('sends a family of only gameable tasks to train', () => {
    const incoming = Array.from({ length: 20 }, (_, i) => task(`t${i}`, `fam-${i}`, 'real', i < 5 ? ['gameable'] : []));
    const splits = assignMinedSplits([], incoming, DEFAULT_SPLIT_CONFIG, { isGameable: (t) => t.tags?.includes('gameable') ?? false });
    for (let i = 0; i < 5; i++) expect(splits.get(`t${i}`)).toBe('train');
  });
});

describe('assignMinedSplits with few families', () => {
  it('keeps at least one family in train when whole-family dealing would hand every family to val and test', () => {
    const incoming = [4, 4, 3, 2].flatMap((n, f) => Array.from({ length: n }, (_, i) => task(`f${f}-${i}`, `fam-${f}`)));
    const splits = assignMinedSplits([], incoming, DEFAULT_SPLIT_CONFIG);
    const train = incoming.filter((t) => splits.get(t.id) === 'train').map((t) => t.family);
    expect(train.length).toBeGreaterThan(0);
    expect(new Set(train).size).toBe(1);
  });
});
