import { describe, it, expect } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../core/clock.js';
import { createRng } from '../core/rng.js';
import { isSkillOptError } from '../core/errors.js';
import { openDatabase } from '../store/db.js';
import type { Db } from '../store/db.js';
import { getTask, setTaskStatus, upsertMinedTask } from '../store/tasks-repo.js';
import type { MinedTask } from '../store/tasks-repo.js';
import { parseTaskFile } from './task-file.js';
import {
  editTask,
  excludeTask,
  exportTasks,
  importTasks,
  includeTask,
  listTaskRows,
  renderImportResult,
  renderTask,
  renderTaskList,
  resolveEditorCommand,
  showTask,
  spawnEditor,
  splitCommandLine,
} from './review.js';

const T0 = '2025-03-01T03:00:00.000Z';

function temp(): string {
  return mkdtempSync(join(tmpdir(), 'skillopt-review-'));
}

function setup(): { db: Db; dir: string; clock: ReturnType<typeof fixedClock> } {
  const dir = temp();
  const db = openDatabase(join(dir, 'sleep.db'));
  const clock = fixedClock('2025-03-05T08:00:00Z');
  const task = (id: string, over: Partial<MinedTask>): MinedTask => ({
    id,
    prompt: `prompt of ${id}`,
    judge: { kind: 'rule', checks: [{ op: 'contains', arg: 'feat' }] },
    origin: 'real',
    provenance: { sessionIds: ['sess-a', 'sess-b'], evidence: [{ sessionId: 'sess-a', kind: 'correction', text: 'no, use the imperative mood' }], miner: 'heuristic' },
    ...over,
  });
  upsertMinedTask(db, task('commit-1', { family: 'commit', split: 'val' }), T0);
  upsertMinedTask(db, task('commit-2', { family: 'commit', split: 'val' }), T0);
  upsertMinedTask(db, task('pr-1', { family: 'pr', split: 'train', judge: { kind: 'rule', checks: [{ op: 'heading', arg: 2 }, { op: 'max_chars', arg: 400 }] } }), T0);
  upsertMinedTask(db, task('tests-1', { family: 'tests', split: 'test', context: 'line\n'.repeat(40) }), T0);
  return { db, dir, clock };
}

/** Rewrites the draft the way a person would in an editor. */
function editWith(change: (json: Record<string, unknown>) => unknown): (file: string) => void {
  return (file) => writeFileSync(file, JSON.stringify(change(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>), null, 2));
}

describe('list, show, exclude, include', () => {
  it('lists rows with the gameable flag and session counts, and renders a summary', () => {
    const { db } = setup();
    const rows = listTaskRows(db);
    expect(rows.map((r) => r.id)).toEqual(['commit-1', 'commit-2', 'pr-1', 'tests-1']);
    expect(rows.find((r) => r.id === 'pr-1')).toMatchObject({ gameable: true, judge: 'rule', split: 'train', sessions: 2, reviewed: false, version: 1 });
    expect(rows.find((r) => r.id === 'commit-1')?.gameable).toBe(false);
    const text = renderTaskList(rows);
    expect(text).toContain('4 task(s): 4 active (train 1, val 2, test 1), 0 excluded, 0 reviewed');
    expect(text).toContain('rule (gameable)');
    expect(renderTaskList([])).toMatch(/no tasks/);
  });

  it('shows a task by a unique prefix and refuses an ambiguous or unknown one with the fix', () => {
    const { db } = setup();
    expect(showTask(db, 'pr').id).toBe('pr-1');
    expect(() => showTask(db, 'commit')).toThrow(/matches several tasks: commit-1, commit-2/);
    try {
      showTask(db, 'zzz');
      expect.unreachable();
    } catch (error) {
      expect(isSkillOptError(error, 'NOT_FOUND')).toBe(true);
    }
    const text = renderTask(showTask(db, 'tests-1'));
    expect(text).toContain('correction [sess-a]: no, use the imperative mood');
    expect(text).toContain('... 26 more line(s)');
    expect(renderTask(showTask(db, 'pr-1'))).toContain('gameable');
  });

  it('excludes and includes, reporting when nothing changed', () => {
    const { db, clock } = setup();
    expect(excludeTask(db, 'pr-1', clock)).toMatchObject({ changed: true, task: { status: 'excluded', updatedAt: '2025-03-05T08:00:00.000Z' } });
    expect(excludeTask(db, 'pr-1', clock).changed).toBe(false);
    expect(listTaskRows(db, { status: 'active' }).map((r) => r.id)).not.toContain('pr-1');
    expect(includeTask(db, 'pr-1', clock)).toMatchObject({ changed: true, task: { status: 'active' } });
  });
});

describe('editTask', () => {
  it('saves a valid edit as a reviewed new version with miner edit', async () => {
    const { db, dir, clock } = setup();
    const result = await editTask(db, 'commit-1', { editor: editWith((t) => ({ ...t, prompt: 'Write the commit subject for this diff' })), tmpDir: dir, clock });
    expect(result).toMatchObject({ ok: true, changed: true, task: { prompt: 'Write the commit subject for this diff', version: 2, reviewed: true, split: 'val' } });
    expect(getTask(db, 'commit-1')?.provenance).toMatchObject({ miner: 'edit', sessionIds: ['sess-a', 'sess-b'] });
    expect(readdirSync(dir).filter((f) => f.startsWith('skillopt-task-'))).toEqual([]);
  });

  it('shows the task as pretty JSON in the task-file field order, and an unchanged save changes nothing', async () => {
    const { db, dir, clock } = setup();
    let seen = '';
    const result = await editTask(db, 'tests-1', { editor: (file) => void (seen = readFileSync(file, 'utf8')), tmpDir: dir, clock });
    expect(result).toMatchObject({ ok: true, changed: false });
    expect(getTask(db, 'tests-1')?.version).toBe(1);
    expect(Object.keys(JSON.parse(seen) as object)).toEqual(['id', 'prompt', 'context', 'judge', 'split', 'origin', 'family']);
    expect(seen.split('\n').length).toBeGreaterThan(5);
  });

  it('warns when an edit moves one task of a held-out family into train', async () => {
    const { db, dir, clock } = setup();
    const result = await editTask(db, 'commit-1', { editor: editWith((t) => ({ ...t, split: 'train' })), tmpDir: dir, clock });
    expect(result).toMatchObject({ ok: true, changed: true, task: { split: 'train' } });
    if (result.ok) expect(result.warnings.join('\n')).toMatch(/family "commit" is now in train and val/);
  });

  it('keeps the original and the draft when the JSON is broken, naming line and column', async () => {
    const { db, dir, clock } = setup();
    const result = await editTask(db, 'commit-1', { editor: (file) => writeFileSync(file, '{\n  "id": "commit-1",\n  "prompt": "x"\n  "judge": {}\n}'), tmpDir: dir, clock });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]).toMatch(/not valid JSON \(line 4, column 3/);
    expect(existsSync(result.draftFile)).toBe(true);
    expect(readFileSync(result.draftFile, 'utf8')).toContain('"prompt": "x"');
    expect(getTask(db, 'commit-1')).toMatchObject({ version: 1, prompt: 'prompt of commit-1' });
  });

  it('names the field of a schema error, a changed id and a dream task in val', async () => {
    const { db, dir, clock } = setup();
    const cases: Array<[(t: Record<string, unknown>) => unknown, RegExp]> = [
      [(t) => ({ ...t, judge: { kind: 'rule', checks: [{ op: 'contains', arg: { nope: 1 } }] } }), /judge\.checks\[0\]\.arg/],
      [(t) => ({ ...t, judge: { kind: 'rule', checks: [{ op: 'sparkle' }] } }), /judge\.checks: check 1/],
      [(t) => ({ ...t, id: 'renamed' }), /id: cannot change/],
      [(t) => ({ ...t, origin: 'dream' }), /split: a dream/],
      [() => [1, 2], /expected a JSON object/],
    ];
    for (const [change, pattern] of cases) {
      const result = await editTask(db, 'commit-1', { editor: editWith(change), tmpDir: dir, clock });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.join('\n')).toMatch(pattern);
    }
    expect(getTask(db, 'commit-1')?.version).toBe(1);
  });

  it('reopens the editor on the draft when asked to retry, then saves the fix', async () => {
    const { db, dir, clock } = setup();
    const drafts: string[] = [];
    let round = 0;
    const editor = (file: string) => {
      drafts.push(readFileSync(file, 'utf8'));
      round++;
      const t = JSON.parse(drafts[0] ?? '{}') as Record<string, unknown>;
      writeFileSync(file, round === 1 ? '{ broken' : JSON.stringify({ ...t, prompt: 'fixed on the second try' }));
    };
    const asked: string[][] = [];
    const result = await editTask(db, 'commit-2', { editor, tmpDir: dir, clock, retry: (problems) => (asked.push(problems), true) });
    expect(asked).toHaveLength(1);
    expect(drafts[1]).toBe('{ broken');
    expect(result).toMatchObject({ ok: true, changed: true, task: { prompt: 'fixed on the second try' } });
  });

  it('removes the draft and stores nothing when the editor fails', async () => {
    const { db, dir, clock } = setup();
    await expect(editTask(db, 'commit-1', { editor: () => Promise.reject(new Error('editor crashed')), tmpDir: dir, clock })).rejects.toThrow('editor crashed');
    expect(readdirSync(dir).filter((f) => f.startsWith('skillopt-task-'))).toEqual([]);
    expect(getTask(db, 'commit-1')?.version).toBe(1);
  });

  it('works with a real editor executable started from an $EDITOR-style command with a wait flag', async () => {
    const { db, clock } = setup();
    const root = temp();
    const binDir = join(root, 'my editors');
    mkdirSync(binDir);
    const script = join(binDir, 'fake-editor.mjs');
    writeFileSync(
      script,
      `import { readFileSync, writeFileSync } from 'node:fs';
const args = process.argv.slice(2);
if (args[0] !== '-w') process.exit(3);
const file = args[args.length - 1];
const task = JSON.parse(readFileSync(file, 'utf8'));
task.prompt = 'edited by the fake editor';
writeFileSync(file, JSON.stringify(task, null, 2));
`,
    );
    chmodSync(script, 0o755);
    const command = `"${process.execPath}" "${script}" -w`;
    const result = await editTask(db, 'commit-1', { editor: (file) => spawnEditor(command, file, { stdio: 'ignore' }), tmpDir: root, clock });
    expect(result).toMatchObject({ ok: true, changed: true, task: { prompt: 'edited by the fake editor' } });

    await expect(spawnEditor(`"${process.execPath}" "${script}"`, join(root, 'x.json'), { stdio: 'ignore' })).rejects.toThrow(/exited with status 3; nothing was saved/);
    await expect(spawnEditor('definitely-not-an-editor-xyz -w', join(root, 'x.json'), { stdio: 'ignore' })).rejects.toThrow(/editor "definitely-not-an-editor-xyz" not found/);
    await expect(spawnEditor('   ', join(root, 'x.json'))).rejects.toThrow(/empty/);
  });
});

describe('editor command', () => {
  it('splits commands like a shell does for $EDITOR values', () => {
    expect(splitCommandLine('code -w')).toEqual(['code', '-w']);
    expect(splitCommandLine('  vim  ')).toEqual(['vim']);
    expect(splitCommandLine(`"/Applications/Sublime Text.app/bin/subl" --wait`)).toEqual(['/Applications/Sublime Text.app/bin/subl', '--wait']);
    expect(splitCommandLine(`emacsclient -a '' -t`)).toEqual(['emacsclient', '-a', '', '-t']);
    expect(splitCommandLine('my\\ editor -n')).toEqual(['my editor', '-n']);
    expect(splitCommandLine('C:\\tools\\np.exe -multiInst')).toEqual(['C:\\tools\\np.exe', '-multiInst']);
    expect(splitCommandLine('')).toEqual([]);
  });

  it('prefers VISUAL, then EDITOR, then the platform default', () => {
    expect(resolveEditorCommand({ VISUAL: 'code -w', EDITOR: 'vim' }, 'linux')).toBe('code -w');
    expect(resolveEditorCommand({ VISUAL: ' ', EDITOR: 'nano' }, 'linux')).toBe('nano');
    expect(resolveEditorCommand({}, 'linux')).toBe('vi');
    expect(resolveEditorCommand({}, 'win32')).toBe('notepad');
  });
});

describe('export and import', () => {
  it('exports the active replay set as a task file the Step 1 parser reads back', () => {
    const { db, dir } = setup();
    setTaskStatus(db, 'pr-1', 'excluded', T0);
    const file = join(dir, 'out', 'tasks.jsonl');
    expect(exportTasks(db, file)).toEqual({ file, count: 3, bySplit: { train: 0, val: 2, test: 1, none: 0 } });
    const parsed = parseTaskFile(readFileSync(file, 'utf8'), file);
    expect(parsed.problems).toEqual([]);
    expect(parsed.tasks.map((t) => [t.id, t.split, t.family])).toEqual([
      ['commit-1', 'val', 'commit'],
      ['commit-2', 'val', 'commit'],
      ['tests-1', 'test', 'tests'],
    ]);
    expect(exportTasks(db, file, {}).count).toBe(4);
  });

  it('round-trips: export then import into a fresh store gives the same tasks, reviewed, miner import', () => {
    const { db, dir, clock } = setup();
    const file = join(dir, 'tasks.jsonl');
    exportTasks(db, file, {});
    const fresh = openDatabase(':memory:');
    const result = importTasks(fresh, file, clock);
    expect(result).toMatchObject({ added: 4, updated: 0, unchanged: 0, problems: [] });
    for (const id of ['commit-1', 'commit-2', 'pr-1', 'tests-1']) {
      const a = getTask(db, id);
      const b = getTask(fresh, id);
      expect({ ...b, provenance: undefined, reviewed: undefined, createdAt: undefined, updatedAt: undefined }).toEqual({ ...a, provenance: undefined, reviewed: undefined, createdAt: undefined, updatedAt: undefined });
      expect(b).toMatchObject({ reviewed: true, provenance: { miner: 'import' } });
    }
    expect(importTasks(fresh, file, clock)).toMatchObject({ added: 0, updated: 0, unchanged: 4 });
  });

  it('reports bad lines by number, imports the good ones, and keeps held-out splits when a line omits them', () => {
    const { db, dir, clock } = setup();
    const file = join(dir, 'import.jsonl');
    const lines = [
      JSON.stringify({ id: 'commit-1', prompt: 'curated prompt', judge: { kind: 'rubric', rubric: 'imperative subject, no period' }, family: 'commit' }),
      '{ not json',
      JSON.stringify({ id: 'new-commit', prompt: 'another', judge: { kind: 'exact', answer: 'Add x' }, family: 'commit' }),
      JSON.stringify({ id: 'bad-judge', prompt: 'p', judge: { kind: 'vibes' } }),
      '# a comment',
      JSON.stringify({ id: 'dreamy', prompt: 'p', judge: { kind: 'exact', answer: 'a' }, origin: 'dream', split: 'test' }),
    ];
    writeFileSync(file, lines.join('\n'));
    const result = importTasks(db, file, clock);
    expect(result).toMatchObject({ added: 1, updated: 1, unchanged: 0 });
    expect(result.problems.map((p) => p.line)).toEqual([2, 4, 6]);
    expect(result.messages[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: not valid JSON`));
    expect(getTask(db, 'commit-1')).toMatchObject({ prompt: 'curated prompt', split: 'val', reviewed: true, version: 2 });
    expect(getTask(db, 'new-commit')).toMatchObject({ split: 'val', reviewed: true, version: 1, provenance: { miner: 'import' } });
    expect(getTask(db, 'bad-judge')).toBeUndefined();
    expect(renderImportResult(result)).toContain('1 new, 1 updated, 0 unchanged (all marked reviewed); 3 bad line(s) skipped:');
  });

  it('warns when an import puts one family in train and a held-out split', () => {
    const { db, dir, clock } = setup();
    const file = join(dir, 'straddle.jsonl');
    writeFileSync(file, JSON.stringify({ id: 'commit-9', prompt: 'p', judge: { kind: 'exact', answer: 'a' }, family: 'commit', split: 'train' }) + '\n');
    const result = importTasks(db, file, clock);
    expect(result.messages.join('\n')).toMatch(/family "commit" is now in train and val/);
  });

  it('a missing import file is an INPUT error with the fix', () => {
    const { db, dir, clock } = setup();
    expect(() => importTasks(db, join(dir, 'nope.jsonl'), clock)).toThrow(/task file not found/);
  });

  it('never throws on damaged lines and accounts for every line: imported, or reported by number', () => {
    const { db, dir, clock } = setup();
    const file = join(dir, 'clean.jsonl');
    exportTasks(db, file, {});
    const clean = readFileSync(file, 'utf8').trimEnd().split('\n');
    const rng = createRng(7);
    for (let round = 0; round < 40; round++) {
      const lines = clean.map((line) => {
        const at = rng.int(line.length);
        switch (rng.int(5)) {
          case 0:
            return line.slice(0, at); // torn
          case 1:
            return line.slice(0, at) + line.slice(at + 1 + rng.int(20)); // bytes lost
          case 2:
            return line.replace('"prompt":', '"prompt":null,"x":'); // wrong type
          case 3:
            return line.replace(/"op":"[a-z_]+"/, '"op":"sparkle"'); // unknown check
          default:
            return line; // intact (a repeat of an id already stored: unchanged)
        }
      });
      const damaged = join(dir, `damaged-${round}.jsonl`);
      writeFileSync(damaged, lines.join('\n'));
      const fresh = openDatabase(':memory:');
      const result = importTasks(fresh, damaged, clock);
      const counted = lines.filter((l) => l.trim() !== '' && !l.trim().startsWith('#')).length;
      expect(result.added + result.updated + result.unchanged + new Set(result.problems.map((p) => p.line)).size).toBe(counted);
      for (const p of result.problems) expect(p.line).toBeGreaterThanOrEqual(1);
      fresh.close();
    }
  });
});
