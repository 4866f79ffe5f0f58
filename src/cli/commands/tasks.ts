import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { numberArg } from '../number-arg.js';
import { SkillOptError } from '../../core/errors.js';
import {
  editTask,
  excludeTask,
  exportTasks,
  importTasks,
  includeTask,
  listTaskRows,
  renderExportResult,
  renderImportResult,
  renderStatusChange,
  renderTask,
  renderTaskList,
  resolveEditorCommand,
  showTask,
  spawnEditor,
} from '../../tasks/review.js';
import type { TaskQuery } from '../../store/tasks-repo.js';
import { emit } from '../output.js';

const SPLITS = ['train', 'val', 'test'];

/** `tasks`: review the replay set (list, show, exclude, include, edit, export, import). */
export function registerTasks(program: Command, context: () => CliContext): void {
  const tasks = program.command('tasks').description('review and curate the replay set');
  tasks
    .command('list')
    .description('list replay tasks')
    .option('--status <status>', 'active or excluded')
    .option('--split <split>', 'train, val or test')
    .option('--family <id>', 'one task family')
    .option('--limit <n>', 'most tasks to list', numberArg('int', 1))
    .option('--json', 'print as JSON')
    .action((opts: { status?: string; split?: string; family?: string; limit?: number; json?: boolean }) => {
      const ctx = context();
      if (opts.status && !['active', 'excluded'].includes(opts.status)) throw new SkillOptError('INPUT', `--status must be active or excluded, not "${opts.status}"`);
      if (opts.split && !SPLITS.includes(opts.split)) throw new SkillOptError('INPUT', `--split must be train, val or test, not "${opts.split}"`);
      const query = { ...opts } as TaskQuery & { json?: boolean };
      delete query.json;
      const rows = listTaskRows(ctx.openDb({ readonly: true }), query);
      emit(ctx.output, opts.json, rows, renderTaskList);
    });
  tasks
    .command('show <id>')
    .description('show one task with its judge and provenance')
    .option('--json', 'print as JSON')
    .action((id: string, opts: { json?: boolean }) => {
      const ctx = context();
      const task = showTask(ctx.openDb({ readonly: true }), id);
      emit(ctx.output, opts.json, task, renderTask);
    });
  for (const [name, act, what] of [
    ['exclude', excludeTask, 'leave a task out of every night (it is kept, and can be included again)'],
    ['include', includeTask, 'put an excluded task back into the replay set'],
  ] as const) {
    tasks
      .command(`${name} <id>`)
      .description(what)
      .option('--json', 'print as JSON')
      .action((id: string, opts: { json?: boolean }) => {
        const ctx = context();
        const change = act(ctx.openDb(), id, ctx.clock);
        emit(ctx.output, opts.json, change, renderStatusChange);
      });
  }
  tasks
    .command('edit <id>')
    .description('edit a task as JSON in $VISUAL / $EDITOR; it is validated on save and becomes a reviewed new version')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const ctx = context();
      const editor = resolveEditorCommand(ctx.environment.env, ctx.environment.platform);
      const interactive = Boolean(process.stdin.isTTY) && ctx.output.interactive;
      const result = await editTask(ctx.openDb(), id, {
        editor: (file) => spawnEditor(editor, file),
        tmpDir: ctx.tmpDir,
        clock: ctx.clock,
        ...(interactive
          ? {
              retry: async (problems: string[]) => {
                ctx.output.err(problems.map((p) => `  ${p}`).join('\n'));
                const rl = createInterface({ input: process.stdin, output: process.stderr });
                const answer = await rl.question('The task is invalid. Edit again? [Y/n] ');
                rl.close();
                return !/^n/i.test(answer.trim());
              },
            }
          : {}),
      });
      if (opts.json) ctx.output.out(JSON.stringify(result, null, 2));
      else if (result.ok) ctx.output.out(result.changed ? `saved ${result.task.id} as version ${result.task.version} (reviewed)` : `no change to ${result.task.id}`);
      if (!result.ok) {
        throw new SkillOptError('INPUT', `${result.reason}:\n${result.problems.map((p) => `  ${p}`).join('\n')}`, { hint: `your draft is kept at ${result.draftFile}; fix it and run tasks edit again, or tasks import it` });
      }
    });
  tasks
    .command('export <file>')
    .description('write the replay set as a task file (JSONL, the train/eval format)')
    .option('--all', 'include excluded tasks')
    .option('--json', 'print the result as JSON')
    .action((file: string, opts: { all?: boolean; json?: boolean }) => {
      const ctx = context();
      const result = exportTasks(ctx.openDb({ readonly: true }), resolve(file), opts.all ? {} : { status: 'active' });
      emit(ctx.output, opts.json, result, renderExportResult);
    });
  tasks
    .command('import <file>')
    .description('import a task file as reviewed tasks; bad lines are reported by number, good ones imported')
    .option('--json', 'print the result as JSON')
    .action((file: string, opts: { json?: boolean }) => {
      const ctx = context();
      const result = importTasks(ctx.openDb(), resolve(file), ctx.clock);
      emit(ctx.output, opts.json, result, renderImportResult);
    });
}
