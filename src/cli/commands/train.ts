import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { addTrainerOptions, applyTrainerFlags, type TrainerFlags } from '../options.js';
import { readSkillFile, readTasks } from '../skill-input.js';
import { runTraining } from '../../app/run-train.js';
import { trainProgressLines } from '../progress.js';
import { createProgress } from '../output.js';
import { interruptSignal } from '../interrupt.js';
import { formatPercent } from '../../report/format.js';
import { emit } from '../output.js';
import { planLine } from '../../report/run-report.js';


/** `train`: the SkillOpt trainer as a standalone tool on any task file and skill file. */
export function registerTrain(program: Command, context: () => CliContext): void {
  addTrainerOptions(
    program
      .command('train')
      .description('train a skill file on a task file; writes best_skill.md, history.json and a report to --out')
      .requiredOption('--tasks <file>', 'JSONL task file (one task per line)')
      .requiredOption('--skill <file>', 'Markdown skill file to improve (never modified: the result goes to --out)')
      .option('--out <dir>', 'output folder', 'skillopt-train-out')
      .option('--json', 'print the result as JSON'),
  ).action(async (opts: TrainerFlags & { tasks: string; skill: string; out: string; json?: boolean }) => {
    const ctx = context();
    const skill = readSkillFile(opts.skill);
    const tasks = readTasks(opts.tasks, ctx.output);
    const config = applyTrainerFlags(ctx.config(), opts, (m) => ctx.output.err(`warning: ${m}`));
    const outDir = resolve(opts.out);
    const interrupt = interruptSignal((name) => ctx.output.err(`${name}: stopping after the calls in flight; the report will say what was skipped (again to quit at once)`));
    const progress = ctx.output.interactive && !opts.json ? trainProgressLines(createProgress(ctx.output, ctx.clock)) : undefined;
    const run = await runTraining(
      { kind: 'train', tasks, skillName: skill.name, skillText: skill.text, config, outDir },
      { clock: ctx.clock, env: ctx.environment.env, tmpDir: ctx.tmpDir, db: ctx.openDb(), logger: ctx.logger, signal: interrupt.signal, ...(progress ? { onProgress: progress } : {}) },
    ).finally(() => interrupt.dispose());
    const h = run.report.headline;
    const summary = { bestSkill: run.paths.bestSkill, report: run.paths.reportMd, reportJson: run.paths.reportJson, history: run.paths.history, status: run.report.status, stopReason: run.report.stopReason, skipped: run.report.skipped, headline: h, plan: run.report.plan, edits: run.report.edits, calls: run.report.calls.total, budget: run.report.budget, error: run.report.error, optimizerReplies: run.report.optimizerReplies, missingSamples: run.report.missingSamples, warnings: run.report.warnings };
    emit(ctx.output, opts.json, summary, () =>
      [
        `best skill: ${run.paths.bestSkill}`,
        `val:  ${formatPercent(h.baselineVal)} -> ${formatPercent(h.bestVal)}`,
        `test: ${formatPercent(h.baselineTest)} -> ${formatPercent(h.bestTest)}`,
        `edits: ${run.report.edits.accepted} accepted, ${run.report.edits.rejected} rejected, ${run.report.edits.droppedByAttribution} dropped by attribution, ${run.report.edits.unmatched} unmatched`,
        `plan: ${planLine(run.report.plan)}`,
        ...(run.report.plan.power?.message ? [`${run.report.plan.power.canDecide ? 'note' : 'cannot prove a gain yet'}: ${run.report.plan.power.message}`] : []),
        `report: ${run.paths.reportMd}`,
        ...(run.report.status !== 'completed' ? [`stopped: ${run.report.status}${run.report.stopReason ? ` (${run.report.stopReason})` : ''}`, ...run.report.skipped.map((x) => `  not done: ${x}`)] : []),
        ...(run.report.error?.hint ? [`fix: ${run.report.error.hint}`] : []),
        ...run.report.warnings.map((w) => `warning: ${w}`),
      ].join('\n'),
    );
    if (run.report.status === 'failed') process.exitCode = 1;
    // Nothing measured, or an optimizer that never gave a usable reply: the run could not have learnt anything.
    if (run.report.status === 'budget_exhausted' && Number.isNaN(h.baselineVal)) process.exitCode = 1;
    const replies = run.report.optimizerReplies;
    if (replies.total > 0 && replies.unusable === replies.total && run.report.status !== 'cancelled') process.exitCode = 1;
    if (run.report.status === 'cancelled') process.exitCode = 130;
  });
}
