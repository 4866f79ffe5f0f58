import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { applyTrainerFlags, type TrainerFlags } from '../options.js';
import { createBackend } from '../../app/backends.js';
import { runDoctor, renderDoctorReport } from '../../app/run-doctor.js';

/** `doctor`: one tiny call per configured model role. */
export function registerDoctor(program: Command, context: () => CliContext): void {
  program
    .command('doctor')
    .description('check each configured model backend with one tiny call and print what works')
    .option('--target <backend[:model]>', 'check this target instead of the configured one')
    .option('--optimizer <backend[:model]>', 'check this optimizer instead of the configured one')
    .option('--json', 'print the result as JSON')
    .action(async (opts: TrainerFlags & { json?: boolean }) => {
      const ctx = context();
      const config = applyTrainerFlags(ctx.config(), opts, (m) => ctx.output.err(`warning: ${m}`));
      const backendCtx = { env: ctx.environment.env, tmpDir: ctx.tmpDir };
      const report = await runDoctor([
        { role: 'target', backend: createBackend(config.target, 'target', backendCtx) },
        // The trainer parses every optimizer reply as JSON: check that it can answer with a schema (not for the simulator).
        { role: 'optimizer', backend: createBackend(config.optimizer, 'optimizer', backendCtx), structured: config.optimizer.backend !== 'simulated' },
      ]);
      ctx.output.out(opts.json ? JSON.stringify(report, null, 2) : renderDoctorReport(report));
      if (!report.ok) process.exitCode = 1;
    });
}
