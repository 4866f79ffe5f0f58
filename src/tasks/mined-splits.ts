import type { Split, Task } from './types.js';
import type { SplitConfig } from './splits.js';

/** How mined tasks are split within each family. */
export interface FamilySplitOptions {
  /** A task whose judge only checks shape: when every new task of a family is, the family goes to train. */
  isGameable?: (task: Task) => boolean;
  /** When the instance was asked (ISO time); earlier instances train, later ones are held out. */
  timeOf?: (task: Task) => string | undefined;
  /** A family with fewer real instances than this stays in train and waits for more. */
  minInstances?: number;
  /**
   * The kin of a task's family (undefined: none). Kindred families are one kind of request the clustering kept
   * apart by its words: one too small to hold instances out on its own is split by time together with its
   * kindred (the small ones and the largest), so the kind's later requests are held out; a family large enough
   * on its own keeps its own split.
   */
  kinOf?: (task: Task) => string | undefined;
}

/** A family too small to hold any instance out yet. */
export interface WaitingFamily {
  /** The family (of a group: the one with the most instances). */
  family: string;
  /** The other families split with it (kindred families), when any. */
  kindred?: string[];
  instances: number;
  need: number;
}

/** The splits of the new tasks, and the families still waiting for enough instances to hold some out. */
export interface FamilySplitPlan {
  splits: Map<string, Split>;
  waiting: WaitingFamily[];
}

/** Default: five instances before a family gives one to val and one to test. */
export const DEFAULT_MIN_INSTANCES = 5;

/**
 * Splits for newly mined tasks within each family, by time: the family's target counts follow the ratios (val
 * and test at least one each), stored splits never move and count toward them, and new instances fill train
 * first in the order they were asked, then val, then test — so later requests are the held-out ones, and the
 * gate asks the deployment question (does a rule learnt from past instances carry over to the next?). Dream
 * tasks only train; a family with fewer than `minInstances` real instances stays in train, reported waiting.
 * A family too small on its own is split with its kindred (`kinOf`).
 * Train is never empty while val or test is not. Pure.
 */
export function planMinedSplits(stored: readonly Task[], incoming: readonly Task[], config: SplitConfig, opts: FamilySplitOptions = {}): FamilySplitPlan {
  const minInstances = Math.max(3, opts.minInstances ?? DEFAULT_MIN_INSTANCES);
  const splits = new Map<string, Split>();
  const waiting: WaitingFamily[] = [];
  const groupKeys = kindredGroups([...stored.filter((t) => t.split), ...incoming].filter((t) => t.origin !== 'dream'), minInstances, opts.kinOf);
  const keyOf = (task: Task) => groupKeys.get(task.family ?? task.id) ?? task.family ?? task.id;
  const byFamily = new Map<string, { stored: Task[]; incoming: Task[] }>();
  const groupOf = (key: string) => {
    let group = byFamily.get(key);
    if (!group) byFamily.set(key, (group = { stored: [], incoming: [] }));
    return group;
  };
  for (const task of stored) if (task.origin !== 'dream' && task.split) groupOf(keyOf(task)).stored.push(task);
  for (const task of incoming) {
    if (task.origin === 'dream') splits.set(task.id, 'train');
    else if (task.split) {
      splits.set(task.id, task.split);
      groupOf(keyOf(task)).stored.push(task);
    } else groupOf(keyOf(task)).incoming.push(task);
  }
  const total = config.ratios.train + config.ratios.val + config.ratios.test;
  for (const [family, group] of byFamily) {
    if (group.incoming.length === 0) continue;
    const n = group.stored.length + group.incoming.length;
    const allGameable = opts.isGameable !== undefined && group.incoming.every((t) => opts.isGameable?.(t));
    if (n < minInstances || allGameable) {
      for (const task of group.incoming) splits.set(task.id, 'train');
      if (!allGameable) waiting.push({ ...namesOf([...group.stored, ...group.incoming], family), instances: n, need: minInstances });
      continue;
    }
    const want = {
      val: config.ratios.val > 0 ? Math.max(1, Math.floor((n * config.ratios.val) / total)) : 0,
      test: config.ratios.test > 0 ? Math.max(1, Math.floor((n * config.ratios.test) / total)) : 0,
      train: 0,
    };
    want.train = n - want.val - want.test;
    const have = { train: 0, val: 0, test: 0 };
    for (const task of group.stored) have[task.split as Split]++;
    const ordered = [...group.incoming].sort((a, b) => {
      const ta = opts.timeOf?.(a) ?? '';
      const tb = opts.timeOf?.(b) ?? '';
      return ta < tb ? -1 : ta > tb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    for (const task of ordered) {
      const split: Split = have.train < want.train || have.train === 0 ? 'train' : have.val < want.val ? 'val' : have.test < want.test ? 'test' : 'train';
      have[split]++;
      splits.set(task.id, split);
    }
  }
  return { splits, waiting };
}

/** Families by how many tasks they have, most first, then by id: the largest names its group. */
function rankedFamilies(tasks: readonly Task[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(t.family ?? t.id, (counts.get(t.family ?? t.id) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/**
 * The split group of each family that joins its kindred: within a kin, the families too small to hold out alone
 * and the largest one (which may itself be small) share the group `kin:<kin>`; the others are not in the map.
 */
function kindredGroups(tasks: readonly Task[], minInstances: number, kinOf: FamilySplitOptions['kinOf']): Map<string, string> {
  const out = new Map<string, string>();
  if (!kinOf) return out;
  const byKin = new Map<string, Task[]>();
  for (const task of tasks) {
    const kin = kinOf(task);
    if (kin === undefined) continue;
    const list = byKin.get(kin) ?? [];
    list.push(task);
    byKin.set(kin, list);
  }
  for (const [kin, kindred] of byKin) {
    const [largest, ...rest] = rankedFamilies(kindred);
    const small = rest.filter(([, n]) => n < minInstances);
    // Nothing to join unless another family is too small alone; the largest then takes them in.
    if (!largest || small.length === 0) continue;
    for (const [family] of [largest, ...small]) out.set(family, `kin:${kin}`);
  }
  return out;
}

/** The family a group is reported by (the one with the most instances, then the first id) and the others in it. */
function namesOf(tasks: readonly Task[], key: string): { family: string; kindred?: string[] } {
  const [first, ...rest] = rankedFamilies(tasks).map(([f]) => f);
  return rest.length > 0 ? { family: first ?? key, kindred: rest } : { family: first ?? key };
}

/** `planMinedSplits` without the waiting list. */
export function assignMinedSplits(stored: readonly Task[], incoming: readonly Task[], config: SplitConfig, opts: FamilySplitOptions = {}): Map<string, Split> {
  return planMinedSplits(stored, incoming, config, opts).splits;
}
