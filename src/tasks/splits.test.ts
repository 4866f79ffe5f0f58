import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import type { Split, Task } from './types.js';
import { DEFAULT_SPLIT_CONFIG } from './splits.js';
import { assignMinedSplits, planMinedSplits } from './mined-splits.js';

function task(id: string, family: string, origin: 'real' | 'dream' = 'real', tags: string[] = []): Task {
  return { id, family, origin, tags, prompt: id, judge: { kind: 'rule', checks: [{ op: 'contains', arg: 'x' }] } };
}

describe('planMinedSplits (property test over random mining rounds)', () => {
  it('splits within each family by time: stored splits never move, dream tasks train, later instances are held out, train never empty beside val', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rng = createRng(seed);
      const stored: Task[] = [];
      const everSplit = new Map<string, Split>();
      const time = new Map<string, string>();
      const families = 1 + rng.int(6);
      const rounds = 1 + rng.int(5);
      let n = 0;
      for (let round = 0; round < rounds; round++) {
        const incoming: Task[] = [];
        const count = rng.int(20);
        for (let i = 0; i < count; i++) {
          const family = `fam-${rng.int(families)}`;
          const origin = rng.next() < 0.2 ? 'dream' : 'real';
          const t = task(`t${String(n).padStart(4, '0')}`, family, origin);
          time.set(t.id, `2026-01-${String(1 + (n % 28)).padStart(2, '0')}T${String(round).padStart(2, '0')}:00:00Z`);
          n++;
          incoming.push(t);
        }
        const plan = planMinedSplits(stored, incoming, DEFAULT_SPLIT_CONFIG, { timeOf: (t) => time.get(t.id) });
        for (const t of incoming) {
          const split = plan.splits.get(t.id);
          expect(split, `seed ${seed}: every incoming task gets a split`).toBeDefined();
          stored.push({ ...t, split: split as Split });
        }
        for (const t of stored) {
          const before = everSplit.get(t.id);
          if (before) expect(t.split).toBe(before);
          everSplit.set(t.id, t.split as Split);
        }
        for (const t of stored) if (t.origin === 'dream') expect(t.split).toBe('train');
        // Within one round, no new held-out instance of a family is older than a new train instance of it.
        for (let f = 0; f < families; f++) {
          const mine = incoming.filter((t) => t.family === `fam-${f}` && t.origin !== 'dream');
          const latestTrain = mine.filter((t) => plan.splits.get(t.id) === 'train').map((t) => time.get(t.id) ?? '').sort().at(-1);
          const held = mine.filter((t) => plan.splits.get(t.id) !== 'train').map((t) => time.get(t.id) ?? '');
          const trainIsTail = mine.filter((t) => plan.splits.get(t.id) === 'train').length > 0 && held.length > 0;
          if (trainIsTail && latestTrain !== undefined) {
            // A train instance later than a held-out one is only allowed as overflow after val and test are full.
            const firstHeld = held.sort()[0] as string;
            const lateTrain = mine.filter((t) => plan.splits.get(t.id) === 'train' && (time.get(t.id) ?? '') > firstHeld);
            const fam = stored.filter((t) => t.family === `fam-${f}` && t.origin !== 'dream');
            if (lateTrain.length > 0) expect(fam.filter((t) => t.split === 'val').length + fam.filter((t) => t.split === 'test').length).toBeGreaterThan(0);
          }
          const fam = stored.filter((t) => t.family === `fam-${f}` && t.origin !== 'dream');
          if (fam.some((t) => t.split !== 'train')) expect(fam.some((t) => t.split === 'train'), `seed ${seed}: fam-${f} has held-out but no train`).toBe(true);
        }
      }
    }
  });

  it('holds the latest instances of a family out, and keeps a small family in train, waiting', () => {
    const incoming = Array.from({ length: 20 }, (_, i) => task(`t${String(i).padStart(2, '0')}`, 'changelog'));
    const plan = planMinedSplits([], incoming, DEFAULT_SPLIT_CONFIG, { timeOf: (t) => t.id });
    const order = incoming.map((t) => plan.splits.get(t.id));
    expect(order).toEqual([...Array(8).fill('train'), ...Array(6).fill('val'), ...Array(6).fill('test')]);
    expect(plan.waiting).toEqual([]);
    const small = planMinedSplits([], incoming.slice(0, 3), DEFAULT_SPLIT_CONFIG);
    expect([...small.splits.values()]).toEqual(['train', 'train', 'train']);
    expect(small.waiting).toEqual([{ family: 'changelog', instances: 3, need: 5 }]);
    // With the threshold at three (the smallest allowed), the first trains and the later ones are held out, in order.
    const three = planMinedSplits([], incoming.slice(0, 3), DEFAULT_SPLIT_CONFIG, { timeOf: (t) => t.id, minInstances: 3 });
    expect(incoming.slice(0, 3).map((t) => three.splits.get(t.id))).toEqual(['train', 'val', 'test']);
  });

  it('sends a family of only gameable tasks to train, and keeps explicit splits', () => {
    const incoming = Array.from({ length: 8 }, (_, i) => task(`t${i}`, 'fam', 'real', ['gameable']));
    const splits = assignMinedSplits([], incoming, DEFAULT_SPLIT_CONFIG, { isGameable: (t) => t.tags?.includes('gameable') ?? false });
    expect([...splits.values()].every((s) => s === 'train')).toBe(true);
    expect(assignMinedSplits([], [{ ...task('x', 'f'), split: 'test' }], DEFAULT_SPLIT_CONFIG).get('x')).toBe('test');
  });

  it('adds later instances to the held-out side as a family grows, never moving a stored split', () => {
    const first = Array.from({ length: 5 }, (_, i) => task(`a${i}`, 'fam'));
    const one = planMinedSplits([], first, DEFAULT_SPLIT_CONFIG, { timeOf: (t) => t.id }).splits;
    expect(first.map((t) => one.get(t.id))).toEqual(['train', 'train', 'train', 'val', 'test']);
    const stored = first.map((t) => ({ ...t, split: one.get(t.id) as Split }));
    const more = Array.from({ length: 5 }, (_, i) => task(`b${i}`, 'fam'));
    const two = planMinedSplits(stored, more, DEFAULT_SPLIT_CONFIG, { timeOf: (t) => t.id }).splits;
    expect(more.map((t) => two.get(t.id))).toEqual(['train', 'val', 'val', 'test', 'test']);
  });

  it('splits kindred families as one group: by time across them, stored splits counted, waiting named by its largest family', () => {
    // Three families of one kind of request (asked in three languages), 4 + 3 + 2 instances, interleaved in time.
    const fams = ['en', 'nl', 'pt'];
    const incoming = Array.from({ length: 9 }, (_, i) => task(`t${i}`, fams[i < 4 ? 0 : i < 7 ? 1 : 2] as string));
    const at = new Map(incoming.map((t, i) => [t.id, String((i * 7) % 9)]));
    const kin = (t: Task) => (fams.includes(t.family ?? '') ? 'kin-a' : undefined);
    const alone = planMinedSplits([], incoming, DEFAULT_SPLIT_CONFIG, { timeOf: (t) => at.get(t.id) });
    // Alone, each is too small to hold anything out.
    expect([...alone.splits.values()].every((s) => s === 'train')).toBe(true);
    expect(alone.waiting.map((w) => w.family).sort()).toEqual(['en', 'nl', 'pt']);
    const together = planMinedSplits([], incoming, DEFAULT_SPLIT_CONFIG, { timeOf: (t) => at.get(t.id), kinOf: kin });
    expect(together.waiting).toEqual([]);
    const byTime = [...incoming].sort((a, b) => ((at.get(a.id) ?? '') < (at.get(b.id) ?? '') ? -1 : 1)).map((t) => together.splits.get(t.id));
    // The group's latest instances are held out, whichever family they came from.
    expect(byTime).toEqual(['train', 'train', 'train', 'train', 'train', 'val', 'val', 'test', 'test']);
    // A kindred family's stored splits count toward the group: with two held out already, a new one trains.
    const stored = [{ ...task('s0', 'nl'), split: 'val' as Split }, { ...task('s1', 'pt'), split: 'test' as Split }, ...['s2', 's3', 's4'].map((id) => ({ ...task(id, 'en'), split: 'train' as Split }))];
    const next = planMinedSplits(stored, [task('n0', 'en')], DEFAULT_SPLIT_CONFIG, { timeOf: (t) => t.id, kinOf: kin });
    expect(next.splits.get('n0')).toBe('train');
    // Too small together too: waiting, reported by the family with the most instances and its kindred.
    const small = planMinedSplits([], [task('a', 'nl'), task('b', 'nl'), task('c', 'en')], DEFAULT_SPLIT_CONFIG, { kinOf: kin });
    expect(small.waiting).toEqual([{ family: 'nl', kindred: ['en'], instances: 3, need: 5 }]);
  });

  it('keeps the own split of a kindred family large enough to hold out alone, and joins the small ones to the largest', () => {
    const kin = () => 'kin-b';
    const big = (f: string, k: number) => Array.from({ length: k }, (_, i) => task(`${f}${i}`, f));
    // Two families of one kin, 5 instances each: each holds its own latest out.
    const two = [...big('sql', 5), ...big('rex', 5)];
    const apart = planMinedSplits([], two, DEFAULT_SPLIT_CONFIG, { timeOf: (t) => t.id, kinOf: kin });
    expect(['sql', 'rex'].map((f) => big(f, 5).map((t) => apart.splits.get(t.id)))).toEqual([
      ['train', 'train', 'train', 'val', 'test'],
      ['train', 'train', 'train', 'val', 'test'],
    ]);
    // A 2-instance kindred fragment joins the largest (6): 8 together; the 5-instance family keeps its own split.
    const three = [...big('a', 6), ...big('b', 5), ...big('c', 2)];
    const plan = planMinedSplits([], three, DEFAULT_SPLIT_CONFIG, { timeOf: (t) => t.id, kinOf: kin });
    expect(plan.waiting).toEqual([]);
    expect(big('b', 5).map((t) => plan.splits.get(t.id))).toEqual(['train', 'train', 'train', 'val', 'test']);
    // Together by time (a0..a5 then c0, c1): the group's latest four are held out, the fragment's two among them.
    expect([...big('a', 6), ...big('c', 2)].map((t) => plan.splits.get(t.id))).toEqual(['train', 'train', 'train', 'train', 'val', 'val', 'test', 'test']);
  });
});
