import type { Split, Task } from './types.js';
import { seedFrom } from '../core/rng.js';

/** How tasks are split: ratios train:val:test and floors for small replay sets. */
export interface SplitConfig {
  ratios: { train: number; val: number; test: number };
  /** With at least `floorFrom` tasks, val and test each get at least `floor` tasks. */
  floor: number;
  floorFrom: number;
  seed: number;
}

/**
 * 4:3:3 with a floor of 3 val and 3 test tasks from 12 tasks on. The paper's 2:1:7 suits a benchmark with
 * thousands of items; a personal replay set of 15-50 tasks would leave 3-10 train tasks, too few to reflect on.
 * Set ratios to {2,1,7} for the paper's split.
 */
export const DEFAULT_SPLIT_CONFIG: SplitConfig = { ratios: { train: 4, val: 3, test: 3 }, floor: 3, floorFrom: 12, seed: 42 };

/** The tasks of each split. */
export interface Splits {
  train: Task[];
  val: Task[];
  test: Task[];
}

/**
 * Assign splits by a stable hash of the task's family (or id) so a family never straddles train and
 * val/test: groups are ordered by hash and dealt out by rank to meet the ratios (val and test first,
 * with floors of `floor` tasks each from `floorFrom` tasks on). An explicit split on a task is kept and
 * counts toward its quota; dream tasks only ever go to train. The replay store persists a task's split
 * once assigned, so later growth of the set does not move it.
 */
export function assignSplits(tasks: readonly Task[], config: SplitConfig = DEFAULT_SPLIT_CONFIG): Splits {
  const out: Splits = { train: [], val: [], test: [] };
  const groups = new Map<string, Task[]>();
  for (const task of tasks) {
    if (task.origin === 'dream') out.train.push({ ...task, split: 'train' });
    else if (task.split) out[task.split].push(task);
    else {
      const key = task.family ?? task.id;
      groups.set(key, [...(groups.get(key) ?? []), task]);
    }
  }
  const real = tasks.filter((t) => t.origin !== 'dream').length;
  const total = config.ratios.train + config.ratios.val + config.ratios.test;
  const floor = real >= config.floorFrom ? config.floor : 0;
  const want = (s: 'val' | 'test') => Math.max(floor, Math.round((real * config.ratios[s]) / total));
  const ordered = [...groups.entries()].sort(([a], [b]) => seedFrom(config.seed, a) - seedFrom(config.seed, b) || (a < b ? -1 : 1));
  for (const [, members] of ordered) {
    const split: Split = out.val.length < want('val') ? 'val' : out.test.length < want('test') ? 'test' : 'train';
    for (const task of members) out[split].push({ ...task, split });
  }
  return out;
}
