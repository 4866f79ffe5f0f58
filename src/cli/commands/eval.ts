import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { applyTrainerFlags, type TrainerFlags } from '../options.js';
import { numberArg } from '../number-arg.js';
import { readSkillFile, readTasks } from '../skill-input.js';
import { runEval, type EvalReport } from '../../app/run-eval.js';
import { SkillOptError } from '../../core/errors.js';
import { formatPercent } from '../../report/format.js';
import { emit } from '../output.js';

/** `eval`: score a skill on a task file. */
export function registerEval(program: Command, context: () => CliContext): void {
  program
    .command('eval')
    .description('score a skill file on a task file with the configured target model')
    .requiredOption('--tasks <file>', 'JSONL task file')
    .requiredOption('--skill <file>', 'Markdown skill file')
    .option('--split <split>', 'all, train, val or test (as training would assign them)', 'all')
    .option('--samples <n>', 'samples per task', numberArg('int', 1, 20), 1)
    .option('--target <backend[:model]>', 'model that runs the tasks')
    .option('--optimizer <backend[:model]>', 'model that grades rubric judges')
    .option('--noise <p>', 'simulated target: probability of ignoring each instruction', numberArg('float', 0, 1))
    .option('--seed <n>', 'seed', numberArg('int'))
    .option('--json', 'print the result as JSON')
    .action(async (opts: TrainerFlags & { tasks: string; skill: string; split: string; samples: number; json?: boolean }) => {
      if (!['all', 'train', 'val', 'test'].includes(opts.split)) throw new SkillOptError('INPUT', `--split must be all, train, val or test, not "${opts.split}"`);
      const ctx = context();
      const skill = readSkillFile(opts.skill);
      const tasks = readTasks(opts.tasks, ctx.output);
      const config = applyTrainerFlags(ctx.config(), opts, (m) => ctx.output.err(`warning: ${m}`));
      const report = await runEval(
        { tasks, skillText: skill.text, skillName: skill.name, config, split: opts.split as 'all', samples: opts.samples },
        { clock: ctx.clock, env: ctx.environment.env, tmpDir: ctx.tmpDir, db: ctx.openDb() },
      );
      emit(ctx.output, opts.json, report, renderEvalReport);
    });
}

/** An evaluation for a person: the score, then each task's score and first failed check. */
export function renderEvalReport(report: EvalReport): string {
  const lines = [`score ${formatPercent(report.score)} on ${report.tasks} tasks × ${report.samples} (hard ${formatPercent(report.hard)}, soft ${formatPercent(report.soft)})`];
  for (const t of report.perTask) lines.push(`  ${t.taskId.padEnd(20)} ${(t.score * 100).toFixed(0).padStart(3)}%${t.feedback[0] ? `  ${t.feedback[0]}` : ''}`);
  if (report.unscored.length > 0) lines.push(`unscored (broken judge): ${report.unscored.join(', ')}`);
  return lines.join('\n');
}
