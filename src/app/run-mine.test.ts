import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { upsertSession } from '../store/sessions-repo.js';
import type { SessionDigest } from '../harvest/types.js';
import { simulatedMine } from '../simulated/miner.js';
import type { ModelBackend } from '../models/types.js';
import { openDatabase, type Db } from '../store/db.js';
import { getTask, listTasks } from '../store/tasks-repo.js';
import { familiesOfKin, familyKinOf, listFamilies } from '../store/families-repo.js';
import { renderMineReport } from '../mine/report.js';
import { runMine } from './run-mine.js';
import { createDigest } from '../harvest/digest.js';

const clock = fixedClock('2026-03-01T03:00:00Z');

function session(id: string, prompts: string[], over: Partial<SessionDigest> = {}): SessionDigest {
  return {
    ...createDigest('claude-code', id),
    project: { cwd: '/home/p/app' },
    startedAt: `2026-02-${String(10 + (Number(id.replace(/\D/g, '')) % 18)).padStart(2, '0')}T10:00:00Z`,
    prompts: prompts.map((text) => ({ text })),
    ...over,
  };
}

function commitSession(id: string, change: string, answer: string, corrected: boolean): SessionDigest {
  const correction = 'No. Use imperative mood and no trailing period.';
  return session(id, corrected ? [`Write a commit message for this change: ${change}`, correction] : [`commit message for: ${change}`], {
    finalAnswers: corrected ? [answer, answer.replace(/^(\w+)ed/, '$1').replace(/\.$/, '')] : [answer],
    feedback: corrected ? [{ kind: 'correction', text: correction, promptIndex: 1 }] : [],
    skills: ['git-helper'],
  });
}

function store(db: Db, digests: SessionDigest[]): void {
  for (const d of digests) upsertSession(db, d, '2026-03-01T00:00:00Z');
}

describe('runMine', () => {
  it('mines a recurring request into tasks whose judge comes from the user correction', async () => {
    const db = openDatabase(':memory:');
    store(db, [
      commitSession('s1', 'wraps fetch calls in a retry loop', 'Added retry with exponential backoff.', true),
      commitSession('s2', 'fixes the off-by-one in the pagination cursor', 'Fixed the pagination cursor.', false),
      session('s3', ['What is the capital of Australia?'], { finalAnswers: ['Canberra'] }),
    ]);
    const report = await runMine({ db, clock });
    expect(report.sessions).toMatchObject({ read: 3, mined: 3 });
    expect(report.families).toMatchObject({ total: 2, recurring: 1, created: 2 });
    expect(report.tasks.new).toBe(2);
    const [family] = listFamilies(db, { minSessions: 2 });
    expect(family).toMatchObject({ sessionCount: 2, memberCount: 2, projects: ['/home/p/app'], skills: ['git-helper'] });
    const tasks = listTasks(db);
    expect(tasks.every((t) => t.family === family?.id && t.origin === 'real' && t.split !== undefined)).toBe(true);
    const first = tasks.find((t) => t.prompt.includes('retry'));
    expect(first?.judge.kind).toBe('rule');
    expect(first?.judge.kind === 'rule' && first.judge.checks.map((c) => c.op)).toEqual(['not_regex', 'not_regex', 'contains']);
    expect(first?.simulation?.answer).toBe('Added retry with exponential backoff.');
    expect(first?.provenance.evidence.some((e) => e.kind === 'correction' && e.sessionId === 's1')).toBe(true);
    expect(first?.provenance.sessionIds.sort()).toEqual(['s1', 's2']);
    expect(renderMineReport(report)).toContain('tasks: 2 new');
  });

  it('splits kindred families together: one kind of request asked in two languages, corrected to the same rules', async () => {
    const db = openDatabase(':memory:');
    const correction = 'No. Use imperative mood and no trailing period.';
    const changes = ['wraps fetch calls in a retry loop', 'fixes the pagination cursor', 'drops the legacy upload endpoint', 'renames the beta flag', 'moves the cron jobs', 'bumps the parser'];
    const asked = (id: string, prompt: string, change: string, day: number): SessionDigest =>
      session(id, [prompt, correction], {
        startedAt: `2026-02-${String(day).padStart(2, '0')}T10:00:00Z`,
        finalAnswers: [`${change.replace(/^(\w+?)e?s /, '$1ed ')}.`, change.replace(/^(\w+?)e?s /, '$1 ')],
        feedback: [{ kind: 'correction', text: correction, promptIndex: 1 }],
      });
    // Three in English, three in made-up words the clustering shares nothing with; interleaved in time.
    const english = [0, 2, 4].map((i) => asked(`en${i}`, `Write a commit message for this change: ${changes[i] as string}`, changes[i] as string, 10 + i));
    const other = [1, 3, 5].map((i) => asked(`xx${i}`, `Zorgle vimpa frondel quastor: ${changes[i] as string}`, changes[i] as string, 10 + i));
    store(db, [...english, ...other]);
    const report = await runMine({ db, clock });
    const families = listFamilies(db, { minSessions: 2 });
    expect(families).toHaveLength(2);
    // Alone each family (3 instances) would wait for 5; as kin they hold their latest instances out together.
    expect(report.waiting).toEqual([]);
    const kins = families.map((f) => familyKinOf(db, f.id));
    expect(kins[0]).toMatch(/^kin-/);
    expect(kins[1]).toBe(kins[0]);
    expect([...familiesOfKin(db, [kins[0] as string]).keys()].sort()).toEqual(families.map((f) => f.id).sort());
    const tasks = listTasks(db);
    const split = (id: string) => tasks.find((t) => t.provenance.sessionIds[0] === id)?.split;
    expect(['en0', 'xx1', 'en2', 'xx3', 'en4', 'xx5'].map(split)).toEqual(['train', 'train', 'train', 'train', 'val', 'test']);
    // A later request joins the English family only: the other family's stored splits still count toward the
    // group (7 instances want 2 held out for val), so it goes to val; the English family alone would wait.
    // As a store mined before kins were recorded: the run reads every recurring family's kin once.
    db.exec("UPDATE task_families SET kin = NULL; DELETE FROM family_index_meta WHERE key = 'kin'");
    store(db, [asked('en6', 'Write a commit message for this change: adds pagination to the audit view', 'adds pagination to the audit view', 20)]);
    const second = await runMine({ db, clock });
    expect(second.waiting).toEqual([]);
    expect(families.map((f) => familyKinOf(db, f.id))).toEqual(kins);
    const after = listTasks(db);
    expect(after.find((t) => t.provenance.sessionIds[0] === 'en6')?.split).toBe('val');
    expect(['en0', 'xx1', 'en2', 'xx3', 'en4', 'xx5'].map((id) => after.find((t) => t.provenance.sessionIds[0] === id)?.split)).toEqual(['train', 'train', 'train', 'train', 'val', 'test']);
  });

  it('never mines our own replays', async () => {
    const db = openDatabase(':memory:');
    store(db, [
      commitSession('s1', 'adds retry', 'Added retry.', true),
      { ...commitSession('r1', 'adds retry', 'Added retry.', false), ownReplay: true },
      { ...commitSession('r2', 'adds retry', 'Added retry.', false), project: { cwd: '/tmp/skillopt-sleep-replay-abc123' } },
    ]);
    const report = await runMine({ db, clock });
    expect(report.sessions.skipped).toEqual({ own_replay: 2 });
    expect(report.families.recurring).toBe(0);
    expect(listTasks(db)).toEqual([]);
  });

  it('re-mines incrementally: nothing read twice, family and task ids stable, new members join', async () => {
    const db = openDatabase(':memory:');
    store(db, [commitSession('s1', 'adds retry', 'Added retry.', true), commitSession('s2', 'fixes pagination', 'Fixed pagination.', false)]);
    await runMine({ db, clock });
    const before = listTasks(db).map((t) => ({ id: t.id, split: t.split, version: t.version }));
    const again = await runMine({ db, clock });
    expect(again.sessions.read).toBe(0);
    expect(again.tasks).toMatchObject({ new: 0, updated: 0 });
    store(db, [commitSession('s3', 'renames the config loader', 'Renamed the config loader.', false)]);
    const third = await runMine({ db, clock });
    expect(third.sessions.read).toBe(1);
    expect(third.families).toMatchObject({ created: 0, updated: 1 });
    const after = listTasks(db);
    for (const t of before) expect(after.find((a) => a.id === t.id)).toMatchObject({ split: t.split, version: t.version });
    expect(after).toHaveLength(3);
    expect(new Set(after.map((t) => t.family)).size).toBe(1);
  });

  it('mines bad input sensibly and caps per family and per run', async () => {
    const db = openDatabase(':memory:');
    const log = Array.from({ length: 2_000 }, (_, i) => `2026-02-01T10:00:${String(i % 60).padStart(2, '0')} ERROR worker ${i} failed: ECONNRESET`).join('\n');
    store(db, [
      session('empty', []),
      session('slash', ['/clear'], { prompts: [{ text: '', command: '/clear' }] }),
      session('slash2', ['/compact']),
      session('log1', [`why does this keep failing?\n${log}`], { finalAnswers: ['The worker pool loses its connection.'] }),
      session('log2', [`why does this keep failing?\n${log}`], { finalAnswers: ['The worker pool loses its connection.'] }),
      session('de1', ['Schreib eine Commit-Nachricht für diese Änderung: Cache im Router'], { finalAnswers: ['Cache im Router invalidiert'] }),
      session('de2', ['Schreib eine Commit-Nachricht für diese Änderung: Logger nach stderr'], { finalAnswers: ['Logger schreibt nach stderr'] }),
      ...Array.from({ length: 50 }, (_, i) => session(`same${i}`, [i % 2 === 0 ? 'run the tests and fix what fails' : `run the tests and fix what fails in module ${i}`], { finalAnswers: [`All ${i} tests pass now.`] })),
    ]);
    const report = await runMine({ db, clock }, { config: { maxTasksPerFamily: 2, maxNewTasksPerRun: 4 } });
    expect(report.sessions.skipped).toMatchObject({ no_prompt: 3 });
    expect(report.prompts.skipped).toMatchObject({ slash_command_only: 2 });
    expect(report.families.recurring).toBe(3);
    const tasks = listTasks(db);
    expect(tasks.length).toBe(4);
    const perFamily = new Map<string, number>();
    for (const t of tasks) perFamily.set(t.family as string, (perFamily.get(t.family as string) ?? 0) + 1);
    expect(Math.max(...perFamily.values())).toBeLessThanOrEqual(2);
    expect(report.tasks.cappedPerRun).toBe(1);
    expect(report.tasks.cappedPerFamily).toBeGreaterThan(0);
    expect(tasks.every((t) => t.prompt.length <= 4_100)).toBe(true);
    // The 50 identical prompts are one task family.
    const same = listFamilies(db).find((f) => f.label.startsWith('run the tests'));
    expect(same?.sessionCount).toBe(50);
    const next = await runMine({ db, clock }, { config: { maxTasksPerFamily: 2, maxNewTasksPerRun: 4 } });
    expect(next.sessions.read).toBe(0);
  });

  it('lets the optimizer write the judge through the model interface, and keeps the heuristic judge when it fails', async () => {
    const db = openDatabase(':memory:');
    store(db, [commitSession('s1', 'adds retry', 'Added retry.', true), commitSession('s2', 'fixes pagination', 'Fixed pagination.', false)]);
    const purposes: string[] = [];
    const optimizer: ModelBackend = {
      backend: 'simulated',
      model: 'sim',
      async complete(request) {
        purposes.push(request.purpose ?? '');
        const text = request.user.includes('## Request\n<untrusted>\ncommit message for: fixes pagination') ? 'sorry, no JSON here' : simulatedMine(request);
        return { text, usage: { input: 1, output: 1 }, backend: 'simulated', model: 'sim' };
      },
    };
    const report = await runMine({ db, clock, optimizer });
    expect(purposes).toEqual(['mine', 'mine']);
    expect(report.llm).toMatchObject({ calls: 2, failures: 1 });
    const tasks = listTasks(db);
    const llm = tasks.find((t) => t.provenance.miner === 'llm');
    expect(llm?.judge.kind).toBe('rubric');
    expect(llm?.judge.kind === 'rubric' && llm.judge.checks?.map((c) => c.op)).toEqual(['contains', 'not_regex', 'not_regex']);
    expect(tasks.find((t) => t.provenance.miner === 'heuristic')?.judge.kind).toBe('rule');
    // A model-free run later leaves the model-written judge alone.
    store(db, [commitSession('s3', 'renames loader', 'Renamed loader.', false)]);
    await runMine({ db, clock });
    expect(getTask(db, llm?.id as string)?.version).toBe(1);
  });

  it('re-labels a session that grew: the new correction updates the judge and bumps the task version', async () => {
    const db = openDatabase(':memory:');
    store(db, [commitSession('s1', 'adds retry', 'Added retry.', false), commitSession('s2', 'fixes pagination', 'Fixed pagination.', false)]);
    await runMine({ db, clock });
    const before = listTasks(db).find((t) => t.prompt.includes('retry'));
    expect(before?.judge.kind).toBe('rubric');
    db.prepare("UPDATE sessions SET updated_at = '2026-03-01T01:00:00Z' WHERE session_id = 's1'").run();
    const grown = commitSession('s1', 'adds retry', 'Added retry.', false);
    grown.prompts.push({ text: 'Nein, verwende den Imperativ und keinen Punkt am Ende.' });
    grown.finalAnswers.push('Add retry');
    grown.feedback.push({ kind: 'correction', text: 'Nein, verwende den Imperativ und keinen Punkt am Ende.', promptIndex: 1 });
    upsertSession(db, grown, '2026-03-01T02:00:00Z');
    const report = await runMine({ db, clock });
    expect(report.prompts).toMatchObject({ clustered: 0, refreshed: 1 });
    expect(report.tasks.updated).toBe(2);
    const after = getTask(db, before?.id as string);
    expect(after?.version).toBe(2);
    expect(after?.split).toBe(before?.split);
    expect(after?.judge.kind === 'rule' && after.judge.checks.map((c) => c.op)).toEqual(['not_regex', 'not_regex', 'contains']);
    expect(after?.provenance.evidence.some((e) => e.kind === 'directive' && e.text.toLowerCase().startsWith('verwende den imperativ'))).toBe(true);
  });

  it('renders caps, skips and model calls for a person', () => {
    const text = renderMineReport({
      sessions: { read: 5, mined: 3, skipped: { own_replay: 1, no_prompt: 1 } },
      prompts: { clustered: 4, refreshed: 0, skipped: { slash_command_only: 1 } },
      families: { total: 3, recurring: 1, created: 3, updated: 0 },
      tasks: { new: 2, updated: 0, unchanged: 0, gameable: 1, cappedPerFamily: 4, cappedPerRun: 1, folded: 1, flagged: 1 },
      followUps: { evidence: 3, orphans: 1, unanswered: 1 },
      judges: { grounded: 1, ungrounded: 1, noFeedback: 0, checks: 2, dropped: 1, disagreeing: 0 },
      waiting: [{ family: 'fam-2', instances: 2, need: 5 }, { family: 'fam-3', kindred: ['fam-4'], instances: 4, need: 5 }],
      llm: { calls: 2, failures: 1, droppedChecks: 1, reasons: ['simulated mining call failed: boom'] },
      touched: [
        {
          id: 'fam-1',
          label: 'commit message for: x',
          sessions: 2,
          members: 3,
          tasks: 2,
          instances: 3,
          used: 2,
          waiting: 1,
          judge: 'grounded',
          checks: [{ describe: 'does not end with a period', source: 'no period', passes: 2, fails: 2 }],
          dropped: [{ describe: 'contains "added"', source: 'x', reason: 'fails an answer the person accepted' }],
          kindred: ['fam-9'],
        },
      ],
    });
    expect(text).toContain('skipped: no_prompt 1, own_replay 1');
    expect(text).toContain('waiting: 4 instance(s) over the per-family cap');
    expect(text).toContain('1 over the per-run cap');
    expect(text).toContain('family fam-2 has 2 instance(s); it trains only until it has 5');
    expect(text).toContain('family fam-3 with its kindred fam-4 has 4 instance(s)');
    expect(text).toContain('kindred (same checks, same shape of accepted answer; one too small to hold out alone is split with them): fam-9');
    expect(text).toContain('follow-ups: 3 kept as evidence');
    expect(text).toContain('judges: 1 grounded, 1 not grounded (flagged)');
    expect(text).toContain('1 with a shape-only judge (train only)');
    expect(text).toContain('llm miner: 2 calls, 1 failed');
    expect(text).toContain('fam-1  2 sessions, 3 instances: 2 used, 1 waiting; judge grounded');
    expect(text).toContain('kept: does not end with a period (passes 2 accepted, fails 2 corrected)');
    expect(text).toContain('dropped: contains "added": fails an answer the person accepted');
  });

  it('keeps bad input as counted evidence: no answer, a correction with nothing to correct, instances that disagree', async () => {
    const db = openDatabase(':memory:');
    const entry = (id: string, n: number, first: string, correction: string, accepted: string): SessionDigest =>
      session(id, [`write a changelog entry for PR #${n}: dark mode`, correction], { finalAnswers: [first, accepted], feedback: [{ kind: 'correction', text: correction, promptIndex: 1 }] });
    store(db, [
      session('noanswer', ['write a changelog entry for PR #9: retries'], { finalAnswers: [] }),
      session('orphan', ['no, use the imperative mood and no trailing period'], { finalAnswers: ['Sure.'], feedback: [{ kind: 'correction', text: 'no, use the imperative mood and no trailing period', promptIndex: 0 }] }),
      // One person accepts a period, another time not: the period rule cannot be grounded on both.
      entry('d1', 11, '- Added dark mode.', 'no trailing period please', '- Added dark mode'),
      entry('d2', 12, '- Added dark mode.', 'no trailing period please', '- Added dark mode.'),
      entry('d3', 13, '- Added dark mode.', 'no trailing period please', '- Added dark mode'),
    ]);
    const report = await runMine({ db, clock });
    expect(report.followUps.orphans).toBe(1);
    expect(report.followUps.unanswered).toBeGreaterThanOrEqual(1);
    const family = report.touched.find((f) => f.label.startsWith('write a changelog'));
    expect(family?.judge).toBe('ungrounded');
    expect(family?.dropped.some((d) => /fails an answer the person accepted/.test(d.reason))).toBe(true);
    expect(report.tasks.flagged).toBeGreaterThan(0);
    expect(listTasks(db, { status: 'excluded' }).length).toBe(report.tasks.flagged);
    expect(renderMineReport(report)).toMatch(/not grounded \(flagged\)/);
  });

  it('names a bad mining setting and the fix', async () => {
    const db = openDatabase(':memory:');
    await expect(runMine({ db, clock }, { config: { similarity: 2 } })).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining('mine.similarity') });
  });
});
