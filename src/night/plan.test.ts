import { describe, expect, it } from 'vitest';
import { planNight } from './plan.js';
import type { Task } from '../tasks/types.js';

const task = (id: string, family: string, split: Task['split']): Task => ({ id, family, split, prompt: id, judge: { kind: 'exact', answer: 'x' } }) satisfies Task;
const tasks = (family: string, n: number, prefix = family): Task[] => Array.from({ length: n }, (_, i) => task(`${prefix}-${i}`, family, i % 3 === 0 ? 'val' : i % 3 === 1 ? 'test' : 'train'));
const targets = [
  { name: 'learned', kind: 'managed' as const },
  { name: 'release-notes', kind: 'user' as const },
];

describe('planNight', () => {
  it('gives each skill the tasks of families whose sessions invoked it, the rest to the managed skill', () => {
    const plan = planNight({
      tasks: [...tasks('f1', 6), ...tasks('f2', 6), ...tasks('f3', 3)],
      familySkills: new Map([
        ['f1', ['release-notes']],
        ['f3', ['release-notes', 'other']],
      ]),
      targets,
      minTasks: 6,
    });
    const [learned, notes] = plan.targets;
    expect(notes!.action).toBe('train');
    expect(notes!.tasks.map((t) => t.family)).toEqual(Array(6).fill('f1'));
    expect(learned!.tasks.map((t) => t.family)).toEqual([...Array(6).fill('f2'), ...Array(3).fill('f3')]);
    expect(learned!.counts).toEqual({ train: 3, val: 3, test: 3, unsplit: 0 });
  });

  it('sends a family that invoked a skill no target knows to the managed skill', () => {
    const plan = planNight({ tasks: tasks('f1', 6), familySkills: new Map([['f1', ['unknown']]]), targets, minTasks: 6 });
    expect(plan.targets[0]!.tasks).toHaveLength(6);
  });

  it('lets a target with too few tasks, or no val task, wait with a reason', () => {
    const plan = planNight({ tasks: tasks('f2', 5), familySkills: new Map(), targets, minTasks: 6 });
    expect(plan.targets[0]).toMatchObject({ action: 'skip', reason: expect.stringMatching(/5 tasks, fewer than night.minTasks \(6\)/) });
    const noVal = planNight({ tasks: tasks('f2', 6).map((t) => ({ ...t, split: 'train' as const })), familySkills: new Map(), targets, minTasks: 6 });
    expect(noVal.targets[0]).toMatchObject({ action: 'skip', reason: expect.stringMatching(/no val task yet/) });
  });

  it('trains only the selected skill with --skill, and skips an unavailable one with its reason', () => {
    const input = { tasks: [...tasks('f1', 6), ...tasks('f2', 6)], familySkills: new Map([['f1', ['release-notes']]]), minTasks: 6 };
    const only = planNight({ ...input, targets, only: 'release-notes' });
    expect(only.targets.map((t) => t.action)).toEqual(['skip', 'train']);
    expect(only.targets[0]!.reason).toBe('not selected (--skill release-notes)');
    const gone = planNight({ ...input, targets: [targets[0]!, { ...targets[1]!, unavailable: 'deleted by hand' }] });
    expect(gone.targets[1]).toMatchObject({ action: 'skip', reason: 'deleted by hand' });
  });
});
