import { describe, it, expect } from 'vitest';
import { openDatabase } from './db.js';
import type { Db } from './db.js';
import { activeReplaySet, familySplits, findTaskIds, getTask, listTasks, replaceTask, setTaskSplit, setTaskStatus, taskIdsWithPrefix, upsertMinedTask } from './tasks-repo.js';
import type { MinedTask } from './tasks-repo.js';

const T0 = '2025-03-01T03:00:00.000Z';
const T1 = '2025-03-02T03:00:00.000Z';
const T2 = '2025-03-03T03:00:00.000Z';

function mined(id: string, over: Partial<MinedTask> = {}): MinedTask {
  return {
    id,
    prompt: `write a commit message for ${id}`,
    judge: { kind: 'rule', checks: [{ op: 'not_regex', arg: '\\.$' }, { op: 'contains', arg: 'fix' }] },
    family: 'commit-message',
    origin: 'real',
    simulation: { answer: 'Fix the parser.' },
    provenance: { sessionIds: ['s1', 's2'], evidence: [{ sessionId: 's1', kind: 'correction', text: 'no trailing period' }], miner: 'heuristic' },
    ...over,
  };
}

function open(): Db {
  return openDatabase(':memory:');
}

describe('upsertMinedTask', () => {
  it('stores a new task with the status it is told, and never changes a stored one', () => {
    const db = open();
    expect(upsertMinedTask(db, mined('t1'), T0, { newStatus: 'excluded' })).toBe('new');
    expect(getTask(db, 't1')?.status).toBe('excluded');
    expect(upsertMinedTask(db, mined('t2'), T0)).toBe('new');
    expect(upsertMinedTask(db, mined('t2', { prompt: 'a changed prompt' }), T1, { newStatus: 'excluded' })).toBe('updated');
    expect(getTask(db, 't2')?.status).toBe('active');
  });

  it('finds a family\'s tasks by id prefix, with who wrote each, and no task of a family whose id extends it', () => {
    const db = open();
    for (const id of ['fam-a-1', 'fam-a-2', 'fam-ab-1', 'fam-b-1']) upsertMinedTask(db, mined(id), T0);
    db.prepare("UPDATE tasks SET provenance_json = 'not json' WHERE id = 'fam-a-2'").run();
    expect(taskIdsWithPrefix(db, 'fam-a-')).toEqual([
      { id: 'fam-a-1', miner: 'heuristic' },
      { id: 'fam-a-2', miner: undefined },
    ]);
  });

  it('stores a new task as version 1, active and unreviewed, and reads it back field for field', () => {
    const db = open();
    expect(upsertMinedTask(db, mined('t1', { split: 'val', tags: ['git'], context: 'diff --git a b' }), T0)).toBe('new');
    const stored = getTask(db, 't1');
    expect(stored).toEqual({
      id: 't1',
      prompt: 'write a commit message for t1',
      context: 'diff --git a b',
      judge: { kind: 'rule', checks: [{ op: 'not_regex', arg: '\\.$' }, { op: 'contains', arg: 'fix' }] },
      family: 'commit-message',
      origin: 'real',
      split: 'val',
      tags: ['git'],
      simulation: { answer: 'Fix the parser.' },
      provenance: { sessionIds: ['s1', 's2'], evidence: [{ sessionId: 's1', kind: 'correction', text: 'no trailing period' }], miner: 'heuristic' },
      version: 1,
      status: 'active',
      reviewed: false,
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      createdAt: T0,
      updatedAt: T0,
    });
  });

  it('returns unchanged for identical content and refreshes provenance without a version bump', () => {
    const db = open();
    upsertMinedTask(db, mined('t1'), T0);
    const more = mined('t1', { provenance: { sessionIds: ['s1', 's2', 's3'], evidence: [], miner: 'heuristic' } });
    expect(upsertMinedTask(db, more, T1)).toBe('unchanged');
    const stored = getTask(db, 't1');
    expect(stored?.version).toBe(1);
    expect(stored?.updatedAt).toBe(T0);
    expect(stored?.provenance.sessionIds).toEqual(['s1', 's2', 's3']);
  });

  it('bumps the version and clears reviewed when the prompt, context, judge or simulation change', () => {
    const db = open();
    upsertMinedTask(db, mined('t1'), T0);
    expect(upsertMinedTask(db, mined('t1', { prompt: 'write the commit message' }), T1)).toBe('updated');
    expect(upsertMinedTask(db, mined('t1', { prompt: 'write the commit message', context: 'ctx' }), T2)).toBe('updated');
    expect(upsertMinedTask(db, mined('t1', { prompt: 'write the commit message', context: 'ctx', judge: { kind: 'rubric', rubric: 'imperative' } }), T2)).toBe('updated');
    expect(
      upsertMinedTask(db, mined('t1', { prompt: 'write the commit message', context: 'ctx', judge: { kind: 'rubric', rubric: 'imperative' }, simulation: { answer: 'x' } }), T2),
    ).toBe('updated');
    const stored = getTask(db, 't1');
    expect(stored?.version).toBe(5);
    expect(stored?.reviewed).toBe(false);
    expect(stored?.createdAt).toBe(T0);
    expect(stored?.updatedAt).toBe(T2);
  });

  it('never changes status', () => {
    const db = open();
    upsertMinedTask(db, mined('t1'), T0);
    setTaskStatus(db, 't1', 'excluded', T1);
    expect(upsertMinedTask(db, mined('t1', { prompt: 'changed' }), T2)).toBe('updated');
    expect(getTask(db, 't1')?.status).toBe('excluded');
  });

  it('never moves an assigned split but fills a missing one', () => {
    const db = open();
    upsertMinedTask(db, mined('t1', { split: 'test' }), T0);
    upsertMinedTask(db, mined('t1', { split: 'train' }), T1);
    upsertMinedTask(db, mined('t1', { split: 'train', prompt: 'changed' }), T1);
    expect(getTask(db, 't1')?.split).toBe('test');

    upsertMinedTask(db, mined('t2'), T0);
    expect(getTask(db, 't2')?.split).toBeUndefined();
    upsertMinedTask(db, mined('t2', { split: 'val' }), T1);
    expect(getTask(db, 't2')?.split).toBe('val');
  });

  it('stores dream tasks in train whatever split the miner asked for', () => {
    const db = open();
    upsertMinedTask(db, mined('d1', { origin: 'dream', split: 'test' }), T0);
    expect(getTask(db, 'd1')?.split).toBe('train');
    upsertMinedTask(db, mined('d2', { split: 'val' }), T0);
    upsertMinedTask(db, mined('d2', { origin: 'dream' }), T1);
    expect(getTask(db, 'd2')?.split).toBe('train');
  });

  it('leaves a reviewed (user-edited) task alone', () => {
    const db = open();
    upsertMinedTask(db, mined('t1'), T0);
    replaceTask(db, { id: 't1', prompt: 'my own words', judge: { kind: 'exact', answer: 'ok' } }, T1, { reviewed: true, miner: 'edit' });
    expect(upsertMinedTask(db, mined('t1', { prompt: 'miner words' }), T2)).toBe('unchanged');
    const stored = getTask(db, 't1');
    expect(stored?.prompt).toBe('my own words');
    expect(stored?.reviewed).toBe(true);
    expect(stored?.version).toBe(2);
  });
});

describe('replaceTask', () => {
  it('creates an imported task as version 1 with miner import and the given reviewed flag', () => {
    const db = open();
    const stored = replaceTask(db, { id: 'i1', prompt: 'p', judge: { kind: 'exact', answer: 'a' }, split: 'val' }, T0, { reviewed: true, miner: 'import' });
    expect(stored).toMatchObject({ id: 'i1', version: 1, status: 'active', reviewed: true, split: 'val', origin: 'real', provenance: { sessionIds: [], evidence: [], miner: 'import' } });
  });

  it('bumps the version, keeps status and provenance sessions, and may move the split on a person’s say-so', () => {
    const db = open();
    upsertMinedTask(db, mined('t1', { split: 'train' }), T0);
    setTaskStatus(db, 't1', 'excluded', T0);
    const stored = replaceTask(db, { ...mined('t1'), split: 'val', prompt: 'edited' }, T1, { reviewed: true, miner: 'edit' });
    expect(stored).toMatchObject({ version: 2, status: 'excluded', split: 'val', prompt: 'edited', reviewed: true, updatedAt: T1 });
    expect(stored.provenance).toEqual({ sessionIds: ['s1', 's2'], evidence: [{ sessionId: 's1', kind: 'correction', text: 'no trailing period' }], miner: 'edit' });
  });

  it('is a no-op when nothing changed', () => {
    const db = open();
    const task = { id: 'i1', prompt: 'p', judge: { kind: 'exact', answer: 'a' } as const, tags: ['x'] };
    replaceTask(db, task, T0, { reviewed: true, miner: 'import' });
    const again = replaceTask(db, task, T1, { reviewed: true, miner: 'import' });
    expect(again.version).toBe(1);
    expect(again.updatedAt).toBe(T0);
    expect(replaceTask(db, { ...task, tags: ['y'] }, T1, { reviewed: true }).version).toBe(2);
  });

  it('refuses a dream task outside train', () => {
    const db = open();
    expect(() => replaceTask(db, { id: 'd', prompt: 'p', judge: { kind: 'exact', answer: 'a' }, origin: 'dream', split: 'val' }, T0, { reviewed: true })).toThrow(
      /dream.*train/,
    );
    expect(getTask(db, 'd')).toBeUndefined();
  });
});

describe('status, listing and the replay set', () => {
  it('setTaskStatus reports a missing id and leaves updatedAt alone when nothing changes', () => {
    const db = open();
    expect(setTaskStatus(db, 'nope', 'excluded', T0)).toBe(false);
    upsertMinedTask(db, mined('t1'), T0);
    expect(setTaskStatus(db, 't1', 'active', T1)).toBe(true);
    expect(getTask(db, 't1')?.updatedAt).toBe(T0);
    expect(setTaskStatus(db, 't1', 'excluded', T1)).toBe(true);
    expect(getTask(db, 't1')).toMatchObject({ status: 'excluded', updatedAt: T1 });
  });

  it('setTaskSplit fills only a missing split and never puts a dream task outside train', () => {
    const db = open();
    upsertMinedTask(db, mined('t1'), T0);
    expect(setTaskSplit(db, 't1', 'test')).toBe(true);
    expect(setTaskSplit(db, 't1', 'train')).toBe(false);
    expect(getTask(db, 't1')?.split).toBe('test');
    expect(setTaskSplit(db, 'missing', 'val')).toBe(false);
  });

  it('lists by status, split and family with a limit, ordered by family then id', () => {
    const db = open();
    upsertMinedTask(db, mined('b', { family: 'pr', split: 'train' }), T0);
    upsertMinedTask(db, mined('a', { family: 'pr', split: 'val' }), T0);
    upsertMinedTask(db, mined('c', { family: 'commit', split: 'train' }), T0);
    setTaskStatus(db, 'c', 'excluded', T1);
    expect(listTasks(db).map((t) => t.id)).toEqual(['c', 'a', 'b']);
    expect(listTasks(db, { status: 'active' }).map((t) => t.id)).toEqual(['a', 'b']);
    expect(listTasks(db, { split: 'train' }).map((t) => t.id)).toEqual(['c', 'b']);
    expect(listTasks(db, { family: 'pr', limit: 1 }).map((t) => t.id)).toEqual(['a']);
  });

  it('activeReplaySet returns plain active tasks with their stored splits', () => {
    const db = open();
    upsertMinedTask(db, mined('a', { split: 'val' }), T0);
    upsertMinedTask(db, mined('b', { split: 'train' }), T0);
    setTaskStatus(db, 'b', 'excluded', T0);
    const set = activeReplaySet(db);
    expect(set).toEqual([
      {
        id: 'a',
        prompt: 'write a commit message for a',
        judge: { kind: 'rule', checks: [{ op: 'not_regex', arg: '\\.$' }, { op: 'contains', arg: 'fix' }] },
        split: 'val',
        simulation: { answer: 'Fix the parser.' },
        origin: 'real',
        family: 'commit-message',
      },
    ]);
    expect(Object.keys(set[0] ?? {})).not.toContain('provenance');
  });

  it('reads a row with damaged JSON columns without throwing', () => {
    const db = open();
    upsertMinedTask(db, mined('t1'), T0);
    db.prepare(`UPDATE tasks SET provenance_json = 'nope', tags_json = '{' WHERE id = 't1'`).run();
    const stored = getTask(db, 't1');
    expect(stored?.provenance).toEqual({ sessionIds: [], evidence: [] });
    expect(stored?.tags).toBeUndefined();
  });

  it('findTaskIds matches an exact id first, then a case-sensitive literal prefix (no LIKE wildcards)', () => {
    const db = open();
    for (const id of ['ab_1', 'abc', 'abX', 'Abd', 'a%z']) upsertMinedTask(db, mined(id), T0);
    expect(findTaskIds(db, 'abc')).toEqual(['abc']);
    expect(findTaskIds(db, 'ab')).toEqual(['abX', 'ab_1', 'abc']);
    expect(findTaskIds(db, 'ab_')).toEqual(['ab_1']);
    expect(findTaskIds(db, 'a%')).toEqual(['a%z']);
    expect(findTaskIds(db, 'zz')).toEqual([]);
  });

  it('familySplits lists the distinct splits of a family', () => {
    const db = open();
    upsertMinedTask(db, mined('a', { family: 'f', split: 'val' }), T0);
    upsertMinedTask(db, mined('b', { family: 'f', split: 'train' }), T0);
    upsertMinedTask(db, mined('c', { family: 'f' }), T0);
    expect(familySplits(db, 'f')).toEqual(['train', 'val']);
    expect(familySplits(db, 'none')).toEqual([]);
  });
});
