import { readFileSync } from 'node:fs';
import { SkillOptError } from '../core/errors.js';
import type { Task } from './types.js';
import { validateChecks } from '../judges/rules.js';
import type { Check, Judge } from '../judges/types.js';
import { TASK_KEYS, describeType, taskLineSchema } from './task-schema.js';
import type { TaskLine } from './task-schema.js';

/** Something wrong (or doubtful) on one line of a task file. */
export interface TaskFileProblem {
  /** 1-based line number in the file. */
  line: number;
  message: string;
}

/** A parsed task file: the tasks that loaded, lines that did not (problems), and doubts (warnings). */
export interface TaskFileResult {
  tasks: Task[];
  problems: TaskFileProblem[];
  warnings: TaskFileProblem[];
}

/**
 * Parse a JSONL task file, one task per line. Invalid lines are reported with their line number
 * and a message naming the field and the fix; valid lines still load. Blank and `#` lines are
 * skipped; a repeated id is reported and the later line dropped. Never throws.
 */
export function parseTaskFile(text: string, fileName: string): TaskFileResult {
  const result: TaskFileResult = { tasks: [], problems: [], warnings: [] };
  const firstLineOf = new Map<string, number>();
  const lines = (typeof text === 'string' ? text : '').replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const problem = (message: string) => result.problems.push({ line, message });

    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      problem(`not valid JSON (${detail}); each line of ${fileName} must be one JSON object, or blank, or a # comment`);
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problem(`expected a JSON object, got ${describeType(value)}; write {"id": "...", "prompt": "...", "judge": {...}}`);
      return;
    }

    const parsed = taskLineSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problem(`${formatPath(issue.path)}: ${issue.message}`);
      return;
    }
    const lineProblems = checkTaskLine(parsed.data);
    if (lineProblems.errors.length > 0) {
      for (const message of lineProblems.errors) problem(message);
      return;
    }

    const unknownKeys = Object.keys(value).filter((key) => !TASK_KEYS.includes(key));
    if (unknownKeys.length > 0) {
      result.warnings.push({ line, message: `unknown field ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')} ignored; known fields: ${TASK_KEYS.join(', ')}` });
    }
    for (const message of lineProblems.warnings) result.warnings.push({ line, message });

    const id = parsed.data.id;
    const first = firstLineOf.get(id);
    if (first !== undefined) {
      problem(`duplicate id ${JSON.stringify(id)} (first on line ${first}); this line was dropped; give each task a unique id`);
      return;
    }
    firstLineOf.set(id, line);
    result.tasks.push(toTask(parsed.data));
  });
  return result;
}

/** Cross-field rules zod does not express: check validity and where dream tasks may go. */
function checkTaskLine(data: TaskLine): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const checks = data.judge.kind === 'exact' ? [] : (data.judge.checks ?? []);
  if (checks.length > 0) {
    // A rubric's checks ride along with the rubric; only a rule judge can be won on shape alone.
    const validation = validateChecks(checks as Check[], { shapeWarning: data.judge.kind === 'rule' });
    errors.push(...validation.errors.map((e) => `judge.checks: ${e}`));
    warnings.push(...validation.warnings.map((w) => `judge.checks: ${w}`));
  }
  if (data.origin === 'dream' && data.split !== undefined && data.split !== 'train') {
    errors.push(`split: a dream (synthetic) task can only be "train", got "${data.split}"; remove "split" or set it to "train"`);
  }
  return { errors, warnings };
}

/** The task with only the fields that are set, in a fixed order (stable serialisation). */
function toTask(data: TaskLine): Task {
  const judge: Judge =
    data.judge.kind === 'rule'
      ? { kind: 'rule', checks: data.judge.checks.map(toCheck) }
      : data.judge.kind === 'exact'
        ? { kind: 'exact', answer: data.judge.answer }
        : { kind: 'rubric', rubric: data.judge.rubric, ...(data.judge.checks ? { checks: data.judge.checks.map(toCheck) } : {}) };
  const task: Task = { id: data.id, prompt: data.prompt, ...(data.context === undefined ? {} : { context: data.context }), judge };
  if (data.split !== undefined) task.split = data.split;
  if (data.tags !== undefined) task.tags = data.tags;
  if (data.simulation !== undefined) {
    const sim = data.simulation;
    task.simulation = {
      answer: sim.answer,
      ...(sim.tool === undefined ? {} : { tool: sim.tool }),
      ...(sim.json === undefined ? {} : { json: sim.json }),
      ...(sim.sources === undefined ? {} : { sources: sim.sources }),
      ...(sim.difficulty === undefined ? {} : { difficulty: sim.difficulty }),
    };
  }
  if (data.origin !== undefined) task.origin = data.origin;
  if (data.family !== undefined) task.family = data.family;
  return task;
}

function toCheck(check: { op: string; arg?: string | number | string[] | undefined }): Check {
  // validateChecks has already rejected unknown ops on this line.
  return check.arg === undefined ? ({ op: check.op } as Check) : ({ op: check.op, arg: check.arg } as Check);
}

/** "judge.checks[0].arg" from a zod issue path. */
function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'task';
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`), '');
}

/**
 * Read and parse a task file. A missing or unreadable file is an INPUT error with the fix;
 * bad lines are not errors (they come back as problems).
 */
export function loadTaskFile(path: string, deps: { readFile?: (path: string) => string } = {}): TaskFileResult {
  const read = deps.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') {
      throw new SkillOptError('INPUT', `task file not found: ${path}`, {
        hint: 'check the path; a task file is JSONL, one {"id","prompt","judge"} object per line',
        cause: error,
      });
    }
    if (code === 'EISDIR') {
      throw new SkillOptError('INPUT', `task file is a folder: ${path}`, { hint: 'give the path of a .jsonl file inside it', cause: error });
    }
    throw new SkillOptError('INPUT', `cannot read task file ${path}: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'check that the file exists and is readable by you',
      cause: error,
    });
  }
  return parseTaskFile(text, path);
}

/** One JSON line per task, fields in a fixed order, ending in a newline; parseTaskFile reads it back. */
export function serializeTasks(tasks: readonly Task[]): string {
  return tasks.map((task) => JSON.stringify(orderTask(task))).join('\n') + (tasks.length > 0 ? '\n' : '');
}

function orderTask(task: Task): Record<string, unknown> {
  const judge = task.judge;
  const orderedJudge =
    judge.kind === 'rule'
      ? { kind: judge.kind, checks: judge.checks }
      : judge.kind === 'exact'
        ? { kind: judge.kind, answer: judge.answer }
        : { kind: judge.kind, rubric: judge.rubric, checks: judge.checks };
  return {
    id: task.id,
    prompt: task.prompt,
    context: task.context,
    judge: orderedJudge,
    split: task.split,
    tags: task.tags,
    simulation: task.simulation,
    origin: task.origin,
    family: task.family,
  };
}

/** "file:line: message" lines for a person, problems first. */
export function formatTaskFileProblems(fileName: string, result: Pick<TaskFileResult, 'problems' | 'warnings'>): string[] {
  return [
    ...result.problems.map((p) => `${fileName}:${p.line}: ${p.message}`),
    ...result.warnings.map((w) => `${fileName}:${w.line}: warning: ${w.message}`),
  ];
}
