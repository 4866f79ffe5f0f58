import type { Split, Task } from './types.js';
import { assignSplits, type SplitConfig } from './splits.js';

/**
 * Splits for newly mined tasks, given the stored ones (whose splits never move). A task of a family that
 * already has a split joins it, so a family never straddles train and val/test; dream tasks and (when asked)
 * gameable ones go to train; the rest are dealt by `assignSplits`, family-stratified with the stored tasks
 * counting toward the quotas. Pure.
 */
export function assignMinedSplits(
  stored: readonly Task[],
  incoming: readonly Task[],
  config: SplitConfig,
  opts: { isGameable?: (task: Task) => boolean } = {},
): Map<string, Split> {
  const out = new Map<string, Split>();
  const familySplit = new Map<string, Split>();
  const keyOf = (task: Task) => task.family ?? task.id;
  for (const task of stored) if (task.split && task.origin !== 'dream') familySplit.set(keyOf(task), familySplit.get(keyOf(task)) ?? task.split);
  const pending: Task[] = [];
  for (const task of incoming) {
    if (task.origin === 'dream') out.set(task.id, 'train');
    else if (task.split) out.set(task.id, task.split);
    else if (familySplit.has(keyOf(task))) out.set(task.id, familySplit.get(keyOf(task)) as Split);
    else pending.push(task);
  }
  // A family whose every new task is gameable goes to train: a shape-only judge never gates alone.
  const gameableFamilies = new Set<string>();
  if (opts.isGameable) {
    const byFamily = new Map<string, Task[]>();
    for (const task of pending) byFamily.set(keyOf(task), [...(byFamily.get(keyOf(task)) ?? []), task]);
    for (const [family, tasks] of byFamily) if (tasks.every((t) => opts.isGameable?.(t))) gameableFamilies.add(family);
  }
  const dealt = pending.filter((t) => !gameableFamilies.has(keyOf(t)));
  for (const task of pending) if (gameableFamilies.has(keyOf(task))) out.set(task.id, 'train');
  const pendingIds = new Set(dealt.map((t) => t.id));
  const assigned = assignSplits([...stored.filter((t) => !pendingIds.has(t.id)), ...dealt], config);
  for (const split of ['train', 'val', 'test'] as const) for (const task of assigned[split]) if (pendingIds.has(task.id)) out.set(task.id, split);
  keepTrainFamily(stored, dealt, out, keyOf);
  return out;
}

/**
 * Dealing whole families by quota can leave train empty when a personal replay set has only a few
 * families (val and test floors eat them all); then nothing can be learnt. Move the smallest newly
 * dealt held-out family to train. Stored splits never move.
 */
function keepTrainFamily(stored: readonly Task[], dealt: readonly Task[], out: Map<string, Split>, keyOf: (task: Task) => string): void {
  const sides = new Map<string, Split>();
  for (const t of stored) if (t.split && t.origin !== 'dream') sides.set(keyOf(t), t.split);
  for (const t of dealt) sides.set(keyOf(t), out.get(t.id) as Split);
  if (sides.size < 3 || [...sides.values()].includes('train')) return;
  const sizes = new Map<string, number>();
  for (const t of dealt) sizes.set(keyOf(t), (sizes.get(keyOf(t)) ?? 0) + 1);
  const smallest = [...sizes.entries()].sort(([a, x], [b, y]) => x - y || (a < b ? -1 : 1))[0]?.[0];
  if (smallest === undefined) return;
  for (const t of dealt) if (keyOf(t) === smallest) out.set(t.id, 'train');
}
