import type { Split, Task } from '../core/types.js';
import { seedFrom } from '../core/rng.js';

/** How tasks are split: ratios train:val:test and floors for small replay sets. */
export interface SplitConfig {
  ratios: { train: number; val: number; test: number };
  /** With at least `floorFrom` tasks, val and test each get at least `floor` tasks. */
  floor: number;
  floorFrom: number;
  seed: number;
}

/** The paper's 2:1:7 with a floor of 3 val and 3 test tasks from 12 tasks on. */
export const DEFAULT_SPLIT_CONFIG: SplitConfig = { ratios: { train: 2, val: 1, test: 7 }, floor: 3, floorFrom: 12, seed: 42 };

/** The tasks of each split. */
export interface Splits {
  train: Task[];
  val: Task[];
  test: Task[];
}

/**
 * Assign splits by a stable hash of the task's family (or id), so a task keeps its split as the set grows
 * and a family never straddles train and val/test. An explicit split on a task is kept; dream tasks only
 * ever go to train. Floors move the test/train tasks whose hash lies nearest the boundary.
 */
export function assignSplits(tasks: readonly Task[], config: SplitConfig = DEFAULT_SPLIT_CONFIG): Splits {
  const total = config.ratios.train + config.ratios.val + config.ratios.test;
  const trainCut = config.ratios.train / total;
  const valCut = (config.ratios.train + config.ratios.val) / total;
  const u = (t: Task) => seedFrom(config.seed, t.family ?? t.id) / 2 ** 32;
  const out: Splits = { train: [], val: [], test: [] };
  const free: Task[] = [];
  for (const task of tasks) {
    if (task.origin === 'dream') out.train.push({ ...task, split: 'train' });
    else if (task.split) out[task.split].push(task);
    else free.push(task);
  }
  const placed = new Map<string, Split>();
  for (const task of free) {
    const x = u(task);
    placed.set(task.id, x < trainCut ? 'train' : x < valCut ? 'val' : 'test');
  }
  const realCount = tasks.filter((t) => t.origin !== 'dream').length;
  if (realCount >= config.floorFrom) {
    const countOf = (s: Split) => out[s].length + [...placed.values()].filter((v) => v === s).length;
    // Fill val first from test (nearest the val boundary), then from train; then test from train.
    const move = (to: Split, fromOrder: Split[]) => {
      for (const from of fromOrder) {
        while (countOf(to) < config.floor) {
          const movable = free.filter((t) => placed.get(t.id) === from && countOf(from) > (from === 'train' ? 1 : config.floor));
          if (movable.length === 0) break;
          const family = (t: Task) => t.family ?? t.id;
          movable.sort((a, b) => Math.abs(u(a) - valCut) - Math.abs(u(b) - valCut));
          const pickFamily = family(movable[0] as Task);
          for (const t of free) if (family(t) === pickFamily && placed.get(t.id) === from) placed.set(t.id, to);
        }
      }
    };
    move('val', ['test', 'train']);
    move('test', ['train']);
  }
  for (const task of free) {
    const split = placed.get(task.id) ?? 'test';
    out[split].push({ ...task, split });
  }
  return out;
}
