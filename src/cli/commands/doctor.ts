import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { applyTrainerFlags, type TrainerFlags } from '../options.js';
import { createBackend } from '../../app/backends.js';
import { runDoctor, renderDoctorReport } from '../../app/run-doctor.js';
import { emit } from '../output.js';
import { listSessions } from '../../store/sessions-repo.js';
import { SOURCE_NAMES } from '../../harvest/sources/index.js';
import { driftBySource, renderDriftSection } from '../../harvest/drift.js';

/** `doctor`: one tiny call per configured model role. */
export function registerDoctor(program: Command, context: () => CliContext): void {
  program
    .command('doctor')
    .description('check each configured model backend with one tiny call and print what works; show the transcript format drift harvest has seen')
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
      // Format drift of what is already stored: agent versions, unknown record types, sessions without a prompt.
      const harvestDrift = driftBySource(listSessions(ctx.openDb(), { includeOwnReplays: true }), SOURCE_NAMES);
      emit(ctx.output, opts.json, { ...report, harvestDrift }, () => `${renderDoctorReport(report)}\n\n${renderDriftSection(harvestDrift)}`);
      if (!report.ok) process.exitCode = 1;
    });
}
