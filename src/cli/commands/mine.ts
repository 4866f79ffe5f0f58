import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { runMine } from '../../app/run-mine.js';
import { renderMineReport } from '../../mine/report.js';
import { createRunModels } from '../../app/backends.js';
import { trainerSettings } from '../../app/run-train.js';
import { applyTrainerFlags } from '../options.js';
import { emit } from '../output.js';
import { withWriteLock } from '../../store/write-lock.js';

/** `mine`: turn harvested sessions into recurring replay tasks. */
export function registerMine(program: Command, context: () => CliContext): void {
  program
    .command('mine')
    .description('cluster harvested prompts into recurring task families and write replay tasks with judges (no model call unless --with-model)')
    .option('--with-model', 'let the configured optimizer write each new family\'s prompt, context and judge (a model call per family)')
    .option('--optimizer <backend[:model]>', 'with --with-model: the model to use instead of the configured optimizer')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { withModel?: boolean; optimizer?: string; json?: boolean }) => {
      const ctx = context();
      let config = ctx.config();
      if (opts.optimizer) config = applyTrainerFlags(config, { optimizer: opts.optimizer }, (m) => ctx.output.err(`warning: ${m}`));
      const db = ctx.openDb();
      const optimizer = opts.withModel ? createRunModels(config, { env: ctx.environment.env, tmpDir: ctx.tmpDir, clock: ctx.clock, db }).optimizer : undefined;
      const report = await withWriteLock(ctx.paths.writeLock, 'mine', { pid: process.pid, clock: ctx.clock }, () =>
        runMine({ db, clock: ctx.clock, logger: ctx.logger, ...(optimizer ? { optimizer } : {}) }, { config: config.mine, split: trainerSettings(config).split }),
      );
      emit(ctx.output, opts.json, report, renderMineReport);
    });
}
