import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SkillOptError } from '../core/errors.js';
import type { Task } from './types.js';
import { formatTaskFileProblems, loadTaskFile, parseTaskFile, serializeTasks } from './task-file.js';

const line = (value: unknown) => JSON.stringify(value);

const ruleTask = {
  id: 'commit-1',
  prompt: 'Write a commit message for the login fix',
  judge: { kind: 'rule', checks: [{ op: 'starts_with', arg: 'fix:' }, { op: 'max_lines', arg: 1 }, { op: 'contains', arg: 'login' }] },
  split: 'train',
  tags: ['git'],
};
const exactTask = { id: 'sum-1', prompt: 'What is 2+2?', context: 'arithmetic', judge: { kind: 'exact', answer: '4' }, origin: 'real' };
const rubricTask = {
  id: 'review-1',
  prompt: 'Review this diff',
  judge: { kind: 'rubric', rubric: 'Names the bug and a fix', checks: [{ op: 'heading', arg: 'Findings' }] },
  simulation: { answer: 'The loop is off by one.', tool: 'read_file', json: { bug: 'off-by-one' }, sources: ['a.ts'], difficulty: 0.2 },
  family: 'review',
};

describe('parseTaskFile: valid files', () => {
  it('loads each judge kind, skipping blank and # lines (CRLF and BOM too)', () => {
    const text = `\uFEFF# persona: backend dev\r\n${line(ruleTask)}\r\n\r\n   # another comment\n${line(exactTask)}\n${line(rubricTask)}\n`;
    const result = parseTaskFile(text, 'tasks.jsonl');
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.tasks.map((t) => t.id)).toEqual(['commit-1', 'sum-1', 'review-1']);
    expect(result.tasks[0]).toEqual(ruleTask);
    expect(result.tasks[1]).toEqual(exactTask);
    expect(result.tasks[2]).toEqual(rubricTask);
  });
  it('an empty file has no tasks and no problems', () => {
    expect(parseTaskFile('', 'x.jsonl')).toEqual({ tasks: [], problems: [], warnings: [] });
  });
});

describe('parseTaskFile: invalid lines', () => {
  /** Parse a file of [good, bad, good] and return the problems for the bad line. */
  function problemsFor(bad: string): string[] {
    const good2 = { ...exactTask, id: 'other' };
    const result = parseTaskFile([line(ruleTask), bad, line(good2)].join('\n'), 'tasks.jsonl');
    expect(result.tasks.map((t) => t.id)).toEqual(['commit-1', 'other']);
    expect(result.problems.every((p) => p.line === 2)).toBe(true);
    return result.problems.map((p) => p.message);
  }

  it('not JSON', () => {
    const [message] = problemsFor('{"id": "x", prompt: oops}');
    expect(message).toMatch(/^not valid JSON \(.+\); each line of tasks\.jsonl must be one JSON object, or blank, or a # comment$/);
  });
  it('JSON but not an object', () => {
    expect(problemsFor('["a"]')).toEqual(['expected a JSON object, got a list; write {"id": "...", "prompt": "...", "judge": {...}}']);
  });
  it('missing and empty required fields name the field and the fix', () => {
    expect(problemsFor(line({ prompt: 'p', judge: exactTask.judge }))).toEqual([
      'id: expected text, got nothing; give each task a unique, non-empty "id"',
    ]);
    expect(problemsFor(line({ id: 'x', prompt: '  ', judge: exactTask.judge }))).toEqual(['prompt: must not be empty; give the task its prompt as text']);
    expect(problemsFor(line({ id: 'x', prompt: 7, judge: exactTask.judge }))).toEqual([
      'prompt: expected text, got a number; give the task its prompt as text',
    ]);
    expect(problemsFor(line({ id: 'x', prompt: 'p' }))).toEqual([
      'judge: expected a judge object, got nothing; write {"kind": "rule", "checks": [...]}',
    ]);
  });
  it('a bad judge kind, an empty rule, an empty answer, a missing rubric', () => {
    expect(problemsFor(line({ id: 'x', prompt: 'p', judge: { kind: 'llm', rubric: 'r' } }))).toEqual(['judge.kind: must be "rule", "exact" or "rubric"']);
    expect(problemsFor(line({ id: 'x', prompt: 'p', judge: { kind: 'rule', checks: [] } }))).toEqual([
      'judge.checks: a rule judge needs at least one check; add {"op": "...", "arg": "..."}',
    ]);
    expect(problemsFor(line({ id: 'x', prompt: 'p', judge: { kind: 'exact', answer: '' } }))).toEqual([
      'judge.answer: must not be empty; give the expected answer as text',
    ]);
    expect(problemsFor(line({ id: 'x', prompt: 'p', judge: { kind: 'rubric' } }))).toEqual([
      'judge.rubric: expected text, got nothing; describe what a good reply does, as text',
    ]);
  });
  it('malformed checks: wrong shape, unknown op, bad regex, bad bound', () => {
    expect(problemsFor(line({ id: 'x', prompt: 'p', judge: { kind: 'rule', checks: [{ op: 'contains', arg: { a: 1 } }] } }))).toEqual([
      'judge.checks[0].arg: expected text, a number or a list of texts, got an object; e.g. "arg": "feat:" or "arg": 400',
    ]);
    expect(problemsFor(line({ id: 'x', prompt: 'p', judge: { kind: 'rule', checks: ['contains'] } }))).toEqual([
      'judge.checks[0]: expected a check object, got text; write {"op": "contains", "arg": "..."}',
    ]);
    const messages = problemsFor(
      line({
        id: 'x',
        prompt: 'p',
        judge: { kind: 'rule', checks: [{ op: 'section_present', arg: 'Plan' }, { op: 'regex', arg: '(' }, { op: 'max_chars', arg: -5 }] },
      }),
    );
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatch(/^judge\.checks: check 1: unknown op "section_present" \(known: /);
    expect(messages[1]).toMatch(/^judge\.checks: check 2: invalid regular expression "\("/);
    expect(messages[2]).toBe('judge.checks: check 3: max_chars needs a whole number >= 0 as "arg", got -5');
    expect(problemsFor(line({ id: 'x', prompt: 'p', judge: { kind: 'rubric', rubric: 'r', checks: [{ op: 'tool_called' }] } }))).toEqual([
      'judge.checks: check 1: tool_called needs the tool name as "arg"',
    ]);
  });
  it('bad optional fields: split, origin, tags, simulation', () => {
    const base = { id: 'x', prompt: 'p', judge: exactTask.judge };
    expect(problemsFor(line({ ...base, split: 'dev' }))).toEqual(['split: must be "train", "val" or "test" (or leave it out to assign by hash)']);
    expect(problemsFor(line({ ...base, origin: 'fake' }))).toEqual(['origin: must be "real" or "dream"']);
    expect(problemsFor(line({ ...base, tags: 'git' }))).toEqual(['tags: expected a list of texts, got text; write tags as ["a", "b"]']);
    expect(problemsFor(line({ ...base, simulation: { answer: 'a', difficulty: 2 } }))).toEqual(['simulation.difficulty: must be from 0 to 1']);
    expect(problemsFor(line({ ...base, simulation: 'a' }))).toEqual(['simulation: expected an object, got text; write {"answer": "..."}']);
  });
  it('a dream task may only be train', () => {
    expect(problemsFor(line({ id: 'x', prompt: 'p', judge: exactTask.judge, origin: 'dream', split: 'test' }))).toEqual([
      'split: a dream (synthetic) task can only be "train", got "test"; remove "split" or set it to "train"',
    ]);
  });
  it('reports every issue on a line at once', () => {
    expect(problemsFor(line({ id: '', prompt: 3, judge: exactTask.judge }))).toHaveLength(2);
  });
});

describe('parseTaskFile: duplicates and warnings', () => {
  it('keeps the first of a repeated id, reports the second with both line numbers', () => {
    const text = [line(ruleTask), '', line({ ...ruleTask, prompt: 'a different prompt' })].join('\n');
    const result = parseTaskFile(text, 'tasks.jsonl');
    expect(result.tasks).toHaveLength(1);
    expect(result.tasks[0]?.prompt).toBe(ruleTask.prompt);
    expect(result.problems).toEqual([
      { line: 3, message: 'duplicate id "commit-1" (first on line 1); this line was dropped; give each task a unique id' },
    ]);
  });
  it('an invalid line does not claim its id', () => {
    const text = [line({ ...ruleTask, split: 'nope' }), line(ruleTask)].join('\n');
    const result = parseTaskFile(text, 'f');
    expect(result.tasks.map((t) => t.id)).toEqual(['commit-1']);
    expect(result.problems.map((p) => p.line)).toEqual([1]);
  });
  it('warns on unknown fields and shape-only rule judges, still loading the task', () => {
    const text = line({ id: 'x', promt: 'typo', prompt: 'p', judge: { kind: 'rule', checks: [{ op: 'heading' }, { op: 'min_chars', arg: 0 }] } });
    const result = parseTaskFile(text, 'f');
    expect(result.tasks).toHaveLength(1);
    expect(result.tasks[0]).not.toHaveProperty('promt');
    expect(result.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^unknown field "promt" ignored; known fields: id, prompt, /),
      'judge.checks: check 2: min_chars 0 always passes',
      expect.stringMatching(/^judge\.checks: only shape checks \(heading, min_chars\)/),
    ]);
  });
  it('does not warn shape-only for a rubric with shape checks', () => {
    expect(parseTaskFile(line(rubricTask), 'f').warnings).toEqual([]);
  });
  it('formats problems and warnings as file:line lines', () => {
    const result = parseTaskFile(`${line({ ...ruleTask, unknown: 1 })}\nnope`, 'tasks.jsonl');
    const lines = formatTaskFileProblems('tasks.jsonl', result);
    expect(lines[0]).toMatch(/^tasks\.jsonl:2: not valid JSON/);
    expect(lines[1]).toMatch(/^tasks\.jsonl:1: warning: unknown field "unknown"/);
  });
});

describe('serializeTasks', () => {
  it('round-trips through parseTaskFile', () => {
    const tasks = parseTaskFile([ruleTask, exactTask, rubricTask].map(line).join('\n'), 'f').tasks;
    const text = serializeTasks(tasks);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n')).toHaveLength(3);
    const again = parseTaskFile(text, 'f');
    expect(again.problems).toEqual([]);
    expect(again.tasks).toEqual(tasks);
    expect(serializeTasks(again.tasks)).toBe(text);
  });
  it('writes fields in a fixed order and omits unset ones', () => {
    const task: Task = { family: 'f', judge: { kind: 'exact', answer: '4' }, prompt: 'p', id: 'a' };
    expect(serializeTasks([task])).toBe('{"id":"a","prompt":"p","judge":{"kind":"exact","answer":"4"},"family":"f"}\n');
    expect(serializeTasks([])).toBe('');
  });
  it('keeps prompts with newlines and quotes on one line', () => {
    const task: Task = { id: 'q', prompt: 'line 1\nline "2"\n# not a comment', judge: { kind: 'rule', checks: [{ op: 'contains', arg: 'x' }] } };
    const text = serializeTasks([task]);
    expect(text.split('\n')).toHaveLength(2);
    expect(parseTaskFile(text, 'f').tasks).toEqual([task]);
  });
});

describe('loadTaskFile', () => {
  it('reads a file from disk', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillopt-tasks-'));
    try {
      const file = path.join(dir, 'tasks.jsonl');
      fs.writeFileSync(file, `${line(ruleTask)}\n{bad\n`);
      const result = loadTaskFile(file);
      expect(result.tasks.map((t) => t.id)).toEqual(['commit-1']);
      expect(result.problems.map((p) => p.line)).toEqual([2]);
      expect(result.problems[0]?.message).toContain(`each line of ${file} must be one JSON object`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('a missing file is an INPUT error with a hint', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillopt-tasks-'));
    try {
      const missing = path.join(dir, 'nope.jsonl');
      let caught: unknown;
      try {
        loadTaskFile(missing);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(SkillOptError);
      expect(caught).toMatchObject({ code: 'INPUT', message: `task file not found: ${missing}` });
      expect((caught as SkillOptError).hint).toContain('JSONL');
      expect(() => loadTaskFile(dir)).toThrow(/task file is a folder/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('other read errors become INPUT errors too', () => {
    const readFile = () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    expect(() => loadTaskFile('/x/tasks.jsonl', { readFile })).toThrow(/cannot read task file \/x\/tasks\.jsonl: EACCES/);
  });
});

describe('persona fixtures', () => {
  it('every fixtures/personas/*/tasks.jsonl loads without problems', () => {
    const root = fileURLToPath(new URL('../../fixtures/personas/', import.meta.url));
    const files = fs.readdirSync(root).map((name) => path.join(root, name, 'tasks.jsonl')).filter((file) => fs.existsSync(file));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const result = loadTaskFile(file);
      expect(formatTaskFileProblems(file, { problems: result.problems, warnings: [] })).toEqual([]);
      expect(result.tasks.length).toBeGreaterThan(0);
    }
  });
});
