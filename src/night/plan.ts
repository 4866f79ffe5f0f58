// Which skill trains on which tasks tonight. Pure: tasks, families' invoked skills and targets in, a plan out.
import type { Task } from '../tasks/types.js';

/** One target's share of the night. */
export interface PlannedTarget {
  name: string;
  action: 'train' | 'skip';
  /** Why a target waits (too few tasks, no held-out split, filtered out, deleted). */
  reason?: string;
  tasks: Task[];
  counts: { train: number; val: number; test: number; unsplit: number };
}

/** The whole night's plan. */
export interface NightPlan {
  targets: PlannedTarget[];
}

/** What planning reads. */
export interface PlanInput {
  tasks: readonly Task[];
  /** Skills the sessions of each family invoked (family id -> skill names). */
  familySkills: ReadonlyMap<string, readonly string[]>;
  /** Targets in order; the managed catch-all takes every task no single other target claims. */
  targets: ReadonlyArray<{ name: string; kind: 'managed' | 'user'; unavailable?: string }>;
  minTasks: number;
  /** `--skill NAME`: only this target trains. */
  only?: string;
}

function countSplits(tasks: readonly Task[]): PlannedTarget['counts'] {
  const c = { train: 0, val: 0, test: 0, unsplit: 0 };
  for (const t of tasks) c[t.split ?? 'unsplit']++;
  return c;
}

/**
 * Group tasks by the skill their sessions invoked: a family whose sessions invoked exactly one skill that
 * is a target trains that skill; every other task (no skill, several, or one that is not a target) trains
 * the managed learned skill. A target trains when it has at least minTasks tasks, train and val among them.
 */
export function planNight(input: PlanInput): NightPlan {
  const managed = input.targets.find((t) => t.kind === 'managed');
  const byName = new Map(input.targets.map((t) => [t.name, [] as Task[]]));
  for (const task of input.tasks) {
    const skills = task.family ? [...new Set(input.familySkills.get(task.family) ?? [])] : [];
    const owner = skills.length === 1 && byName.has(skills[0]!) ? skills[0]! : managed?.name;
    if (owner !== undefined) byName.get(owner)!.push(task);
  }
  const targets = input.targets.map((t): PlannedTarget => {
    const tasks = byName.get(t.name) ?? [];
    const counts = countSplits(tasks);
    const skip = (reason: string): PlannedTarget => ({ name: t.name, action: 'skip', reason, tasks, counts });
    if (input.only !== undefined && t.name !== input.only) return skip(`not selected (--skill ${input.only})`);
    if (t.unavailable) return skip(t.unavailable);
    if (tasks.length < input.minTasks) return skip(`${tasks.length} task${tasks.length === 1 ? '' : 's'}, fewer than night.minTasks (${input.minTasks}); it trains once more sessions recur`);
    // Tasks without a stored split are dealt by the trainer; with stored splits, both train and val must exist.
    if (counts.unsplit === 0 && (counts.train === 0 || counts.val === 0)) return skip(`no ${counts.train === 0 ? 'train' : 'val'} task yet (train ${counts.train}, val ${counts.val}, test ${counts.test}); later sessions of its families fill val and test`);
    return { name: t.name, action: 'train', tasks, counts };
  });
  return { targets };
}
