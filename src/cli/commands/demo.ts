import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { addTrainerOptions, applyTrainerFlags, type TrainerFlags } from '../options.js';
import { numberArg } from '../number-arg.js';
import { runDemo, type DemoResult } from '../../app/demo.js';
import { interruptSignal } from '../interrupt.js';
import { formatPercent } from '../../report/format.js';
import { createProgress, emit } from '../output.js';

const pct = (x: number | null) => formatPercent(x).padStart(6);

/** `demo`: the whole loop offline on bundled personas. */
export function registerDemo(program: Command, context: () => CliContext): void {
  addTrainerOptions(
    program
      .command('demo')
      .description('run nights on bundled persona task sets with the simulated models (no API key) until val stops improving')
      .option('--persona <name...>', 'personas to run (default: all bundled)')
      .option('--nights <n>', 'most nights per persona', numberArg('int', 1, 20), 6)
      .option('--json', 'print the result as JSON'),
  ).action(async (opts: TrainerFlags & { persona?: string[]; nights: number; json?: boolean }) => {
    const ctx = context();
    const config = applyTrainerFlags(ctx.config(), opts, (m) => ctx.output.err(`warning: ${m}`));
    const progress = createProgress(ctx.output, ctx.clock, { quiet: opts.json });
    const interrupt = interruptSignal((name) => ctx.output.err(`${name}: stopping the demo after the calls in flight`));
    const result = await runDemo(
      {
        ...(opts.persona ? { personas: opts.persona } : {}),
        maxNights: opts.nights,
        stateDir: ctx.paths.home,
        config,
        ...(opts.json || !ctx.output.interactive
          ? {}
          : { onNight: (p, n) => progress.line(`${p} night ${n.night}: val ${pct(n.valBefore)} -> ${pct(n.valAfter)}, ${n.accepted} accepted, ${n.rejected} rejected`) }),
      },
      { clock: ctx.clock, environment: ctx.environment, env: ctx.environment.env, tmpDir: ctx.tmpDir, logger: ctx.logger, signal: interrupt.signal },
    ).finally(() => interrupt.dispose());
    emit(ctx.output, opts.json, result, renderDemo);
  });
}

/** The demo summary for a person. */
export function renderDemo(result: DemoResult): string {
  const lines = [
    'persona                 tasks nights  val before -> after   test before -> after   edits acc/rej/unm  harmful proposed/accepted  calls  tokens',
  ];
  for (const p of result.personas) {
    const acc = p.nights.reduce((a, n) => a + n.accepted, 0);
    const rej = p.nights.reduce((a, n) => a + n.rejected, 0);
    const unm = p.nights.reduce((a, n) => a + n.unmatched, 0);
    lines.push(
      `${p.persona.padEnd(23)} ${String(p.tasks).padStart(5)} ${String(p.nights.length).padStart(6)}  ${pct(p.baseline.val)} -> ${pct(p.final.val)}     ${pct(p.baseline.test)} -> ${pct(p.final.test)}      ${`${acc}/${rej}/${unm}`.padStart(9)}  ${`${p.harmful.proposed}/${p.harmful.accepted}`.padStart(16)}          ${String(p.calls).padStart(5)} ${String(p.tokens).padStart(7)}`,
    );
  }
  lines.push('');
  for (const p of result.personas) {
    const lastNight = p.nights[p.nights.length - 1];
    lines.push(`${p.persona}: best skill ${p.bestSkill}${lastNight ? `; last report ${lastNight.report}` : ''}`);
    if (p.harmful.proposed > 0) lines.push(`  the gate saw ${p.harmful.proposed} harmful edit proposal(s) and accepted ${p.harmful.accepted}`);
    if (p.pipeline) {
      const q = p.pipeline;
      lines.push(`  from transcripts: harvested ${q.sessions} Claude Code and Codex sessions (${q.skippedLines} bad lines skipped, ${q.ownReplaysSkipped} own replays left out), mined ${q.recurringFamilies} recurring families into ${q.tasks} tasks`);
    }
  }
  lines.push('', `Models: simulated (offline). State: ${result.stateDir}`);
  return lines.join('\n');
}
