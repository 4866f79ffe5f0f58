import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { runHarvest } from '../../app/run-harvest.js';
import { renderHarvestReport, renderSession, renderSessionList, toSessionJson } from '../../harvest/render.js';
import { getSession, listSessions } from '../../store/sessions-repo.js';
import { SOURCE_NAMES } from '../../harvest/sources/index.js';
import { SkillOptError } from '../../core/errors.js';
import { numberArg } from '../number-arg.js';
import { createProgress, emit } from '../output.js';
import { withWriteLock } from '../../store/write-lock.js';
import type { SourceName } from '../../harvest/types.js';

/** `harvest` and `sessions`: read transcripts into the store, and show what was read. */
export function registerHarvest(program: Command, context: () => CliContext): void {
  program
    .command('harvest')
    .description('read new transcript lines from Claude Code, Codex, Copilot Chat, Copilot CLI and Gemini CLI into the store (incremental, redacted)')
    .option('--source <name>', `one source only: ${SOURCE_NAMES.join(', ')}`)
    .option('--project <dir>', 'only sessions run in this folder or below it')
    .option('--since <date>', 'only files changed since this date (YYYY-MM-DD or an ISO date-time, UTC)')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { source?: string; project?: string; since?: string; json?: boolean }) => {
      const ctx = context();
      // From the validated-config cache when config.json did not change: the zod schemas stay unloaded (13 MB).
      await ctx.prepareConfig?.();
      const config = ctx.config();
      if (opts.project && !existsSync(resolve(opts.project))) {
        ctx.output.err(`warning: --project ${opts.project} is not a folder on this machine; only sessions recorded under that path are kept`);
      }
      // On a terminal, one self-overwriting progress line on stderr; nothing when piped.
      const reporter = createProgress(ctx.output, ctx.clock);
      const progress = ctx.output.interactive
        ? (p: { source: string; done: number; total: number; bytesRead: number }) =>
            reporter.status(`${p.source}: ${p.done}/${p.total} files, ${(p.bytesRead / 1e6).toFixed(1)} MB read`, p.done === p.total)
        : undefined;
      const db = ctx.openDb();
      // One writer at a time: a second harvest (or the daemon's) is told plainly, with the other's pid.
      const report = await withWriteLock(ctx.paths.writeLock, 'harvest', { pid: process.pid, clock: ctx.clock }, () =>
        runHarvest(
          { db, environment: ctx.environment, clock: ctx.clock, logger: ctx.logger },
          { source: opts.source, project: opts.project, since: opts.since, cwd: process.cwd(), enabledSources: config.harvest.sources, extraRoots: config.harvest.extraRoots as Partial<Record<SourceName, string[]>>, onProgress: progress },
        ),
      );
      reporter.done();
      emit(ctx.output, opts.json, report, renderHarvestReport);
    });

  const sessions = program.command('sessions').description('list and show harvested session digests');
  sessions
    .command('list')
    .description('list harvested sessions, newest first')
    .option('--source <name>', 'one source only')
    .option('--project <dir>', 'sessions in this folder or below it')
    .option('--limit <n>', 'most sessions to list', numberArg('int', 1), 50)
    .option('--json', 'print as JSON')
    .action((opts: { source?: string; project?: string; limit: number; json?: boolean }) => {
      const ctx = context();
      if (opts.source && !SOURCE_NAMES.includes(opts.source as SourceName)) {
        throw new SkillOptError('INPUT', `unknown source "${opts.source}"`, { hint: `choose from: ${SOURCE_NAMES.join(', ')}` });
      }
      const records = listSessions(ctx.openDb({ readonly: true }), { ...(opts.source ? { source: opts.source as SourceName } : {}), ...(opts.project ? { project: opts.project } : {}), limit: opts.limit });
      emit(ctx.output, opts.json, records.map(toSessionJson), () => renderSessionList(records));
    });
  sessions
    .command('show <id>')
    .description('show one session digest (row id, session id, or a unique prefix of it)')
    .option('--json', 'print as JSON')
    .action((id: string, opts: { json?: boolean }) => {
      const ctx = context();
      const record = getSession(ctx.openDb({ readonly: true }), id);
      if (!record) throw new SkillOptError('NOT_FOUND', `no harvested session matches "${id}"`, { hint: 'run `skillopt-sleep sessions list` to see the ids' });
      emit(ctx.output, opts.json, toSessionJson(record), () => renderSession(record));
    });
}
