import { join } from 'node:path';
import { SkillOptError, formatError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import { sha256 } from '../core/hash.js';
import { abbreviate } from '../skills/text.js';
import { activeReplaySet } from '../store/tasks-repo.js';
import { listFamilies } from '../store/families-repo.js';
import { finishNight, nightScoreHistory } from '../store/nights-repo.js';
import { stageProposal } from '../store/proposals-repo.js';
import { syncSkill, type SyncedSkill } from '../skills/disk.js';
import { buildRecipe } from '../skills/adopt.js';
import { flagEdits, flagEditText } from '../skills/policy.js';
import { takeNightLock, type NightLock } from '../night/lock.js';
import { planNight } from '../night/plan.js';
import { nightCommands, nightWarnings, type NightReport, type NightSkillSection } from '../report/night-report.js';
import { renderNightMarkdown } from '../report/night-markdown.js';
import { renderNightHtml } from '../report/night-html.js';
import { runHarvest } from './run-harvest.js';
import { runMine, type MineReport } from './run-mine.js';
import { runTraining, trainerSettings } from './run-train.js';
import { looksLikePath, resolveTargets, userSkillTarget } from './skill-targets.js';
import { adoptProposal } from './decide.js';
import { writePendingFile } from './pending.js';
import type { HarvestReport } from '../harvest/harvester.js';
import type { TrainProgress } from '../train/trainer.js';
import type { SkillTarget } from '../skills/targets.js';
import type { CliContext } from './deps.js';
import type { Config } from '../config/config.js';

/** What a night needs: the composition root's dependencies (CLI, daemon and MCP server share them). */
export type NightDeps = Pick<CliContext, 'environment' | 'clock' | 'paths' | 'logger' | 'tmpDir' | 'config' | 'openDb' | 'cwd' | 'processInfo'>;

/** Progress of a night, for a TTY (the night itself never prints). */
export type NightProgress = { stage: 'harvest' | 'mine' | 'plan' | 'report' } | { stage: 'train'; skill: string; tasks: number } | { stage: 'step'; skill: string; event: TrainProgress };

/** How a night is asked for. */
export interface NightOptions {
  dryRun?: boolean;
  /** A skill name (only it trains) or a skill file path (trained as well, for this night). */
  skill?: string;
  /** Why it runs: now (CLI), schedule, catch-up, agent. */
  reason?: string;
  signal?: AbortSignal;
  onProgress?: (event: NightProgress) => void;
  /** Who holds the lock (cli, daemon, mcp). */
  holder?: string;
}

/** What a night did: the report and where it was written. */
export interface NightOutcome {
  night: number;
  status: NightReport['status'];
  dryRun: boolean;
  reportDir: string;
  files: { md: string; json: string; html: string };
  report: NightReport;
}

const SAFE = /[^A-Za-z0-9._-]+/g;
const segment = (name: string) => name.replace(SAFE, '-').replace(/^\.+/, '') || 'skill';

/**
 * One night: take the lock, harvest, mine, train each target skill whose tasks are enough, stage each
 * proposal that passed the gate, write report.md / report.json / report.html in nights/<n>/, release the lock.
 */
export async function runNight(deps: NightDeps, opts: NightOptions = {}): Promise<NightOutcome> {
  const db = deps.openDb();
  const config = deps.config();
  const now = () => deps.clock.now().toISOString();
  const dryRun = opts.dryRun ?? false;
  // Bad targets (a --skill path that does not exist, a folder, broken frontmatter) fail before any night opens.
  const extraPath = opts.skill !== undefined && looksLikePath(opts.skill) ? opts.skill : undefined;
  const targets = resolveTargets({ config, environment: deps.environment, cwd: deps.cwd, extraPath });
  const only = opts.skill === undefined ? undefined : extraPath ? userSkillTarget(extraPath, deps.cwd, deps.environment.homeDir).name : opts.skill;
  if (only !== undefined && !targets.some((t) => t.name === only)) {
    throw new SkillOptError('INPUT', `no skill named "${only}"`, { hint: `pass one of ${targets.map((t) => t.name).join(', ')}, or a skill file path, to --skill` });
  }
  const lock = takeNightLock(db, deps.processInfo, { holder: opts.holder ?? 'cli', trigger: opts.reason ?? 'now', dryRun, config: { night: config.night, budget: config.budget } }, now());
  try {
    return await nightUnderLock(deps, opts, lock.nightId, lock.recovered, targets, only);
  } finally {
    // Released whatever happened; a process that dies holding it is recovered by the next night.
    lock.release();
  }
}

async function nightUnderLock(deps: NightDeps, opts: NightOptions, night: number, recovered: NightLock['recovered'], targets: SkillTarget[], only: string | undefined): Promise<NightOutcome> {
  const db = deps.openDb();
  const config = deps.config();
  const now = () => deps.clock.now().toISOString();
  const dryRun = opts.dryRun ?? false;
  const startedAt = now();
  const started = deps.clock.now().getTime();
  const reportDir = join(deps.paths.nights, String(night));
  const skills: NightSkillSection[] = [];
  const recorded: string[] = [];
  const extraWarnings: string[] = [];
  if (recovered) extraWarnings.push(`recovered the lock of night ${recovered.nightId ?? '?'} (pid ${recovered.pid} is gone); that night is marked interrupted`);
  const spent = { tokens: 0, costUsd: 0 };
  let harvest: HarvestReport | null = null;
  let mine: MineReport | null = null;
  let error: string | null = null;
  try {
    opts.onProgress?.({ stage: 'harvest' });
    // A stop (SIGTERM to the daemon, Ctrl-C) ends the harvest between files; an interrupted night mines nothing.
    harvest = await runHarvest({ db, clock: deps.clock, environment: deps.environment, logger: deps.logger }, { enabledSources: config.harvest.sources, extraRoots: config.harvest.extraRoots, ...(opts.signal ? { signal: opts.signal } : {}) });
    opts.onProgress?.({ stage: 'mine' });
    if (!opts.signal?.aborted) mine = await runMine({ db, clock: deps.clock, logger: deps.logger }, { config: config.mine, split: trainerSettings(config).split });
    opts.onProgress?.({ stage: 'plan' });
    const synced = new Map<string, SyncedSkill | string>();
    for (const t of targets) {
      try {
        const s = syncSkill(db, t, now());
        recorded.push(...s.recorded.map((r) => `${t.name}: ${r}`));
        synced.set(t.name, s);
      } catch (e) {
        synced.set(t.name, formatError(e));
      }
    }
    const unavailable = (name: string): string | undefined => {
      const s = synced.get(name);
      if (typeof s === 'string') return s;
      if (s?.state === 'deleted') return `${s.locations[0]?.path} was deleted by hand; restore it with \`skillopt-sleep rollback ${name} --to ${s.latest.version}\`, or remove it from night.skills`;
      return undefined;
    };
    const plan = planNight({ tasks: activeReplaySet(db), familySkills: new Map(listFamilies(db).map((f) => [f.id, f.skills])), targets: targets.map((t) => ({ name: t.name, kind: t.kind, ...(unavailable(t.name) ? { unavailable: unavailable(t.name)! } : {}) })), minTasks: config.night.minTasks, ...(only !== undefined ? { only } : {}) });
    for (const planned of plan.targets) {
      const target = targets.find((t) => t.name === planned.name)!;
      const s = synced.get(planned.name);
      const section: NightSkillSection = {
        name: target.name,
        kind: target.kind,
        locations: target.locations.map((l) => ({ agent: l.agent, path: l.path })),
        action: 'skipped',
        reason: planned.reason ?? null,
        tasks: planned.counts,
        baseVersion: typeof s === 'object' ? s.latest.version : null,
        decision: 'skipped',
        decisionReason: planned.reason ?? '',
        proposalId: null,
        flagged: [],
        run: null,
        taskPrompts: {},
        history: [],
      };
      skills.push(section);
      if (planned.action !== 'train' || typeof s !== 'object' || opts.signal?.aborted) continue;
      // The budget is the night's: each skill trains on what the skills before it left.
      const left = remainingBudget(config.budget, spent, (deps.clock.now().getTime() - started) / 60_000);
      if (left.spent) {
        Object.assign(section, { reason: `the night's budget is spent (${left.spent}); it trains next night`, decisionReason: `the night's budget is spent (${left.spent})` });
        extraWarnings.push(`${target.name}: not trained, the night's budget is spent (${left.spent})`);
        continue;
      }
      opts.onProgress?.({ stage: 'train', skill: target.name, tasks: planned.tasks.length });
      const run = await runTraining(
        { kind: 'night', tasks: planned.tasks, skillName: target.name, skillText: s.latest.content, config: { ...config, budget: left.budget }, outDir: join(reportDir, segment(target.name)), nightId: night, memory: { skillKey: target.name, night } },
        { clock: deps.clock, env: deps.environment.env, tmpDir: deps.tmpDir, db, logger: deps.logger, ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.onProgress ? { onProgress: (event: TrainProgress) => opts.onProgress!({ stage: 'step', skill: target.name, event }) } : {}) },
      );
      section.action = 'trained';
      section.run = run.report;
      spent.tokens += run.report.budget.used.tokens;
      spent.costUsd += run.report.budget.used.costUsd;
      const byId = new Map(planned.tasks.map((t) => [t.id, t.prompt]));
      for (const id of run.report.steps.flatMap((x) => x.edits.flatMap((e) => e.evidence))) if (byId.has(id)) section.taskPrompts[id] = abbreviate(byId.get(id)!, 160);
      const best = run.result.best.skill;
      if (run.result.status === 'failed') Object.assign(section, { decision: 'failed', decisionReason: run.result.error?.message ?? 'training failed' });
      else if (best === s.latest.content) Object.assign(section, { decision: 'no-change', decisionReason: 'no edit passed the held-out gate; the skill stays as it is' });
      else {
        // Slow-update steps write the protected region (carried as its content); only step edits are anchor edits.
        const accepted = run.result.steps.filter((x) => x.kind === 'step').flatMap((x) => x.edits.filter((e) => e.status === 'accepted').map((e) => e.edit));
        const { recipe, reapplicable } = buildRecipe(s.latest.content, best, accepted);
        const flags = flagEdits(recipe.edits, config.night.maxEditChars);
        if (recipe.protectedContent !== null) {
          const f = flagEditText(recipe.protectedContent, config.night.maxEditChars);
          if (f.kinds.length > 0) flags.push({ edit: recipe.edits.length, kinds: f.kinds, detail: `slow-update guidance: ${f.reasons.join('; ')}` });
        }
        section.flagged = flags.map((f) => ({ ...f, content: f.edit < recipe.edits.length ? (recipe.edits[f.edit]?.content ?? '') : (recipe.protectedContent ?? '') }));
        if (dryRun) Object.assign(section, { decision: 'dry-run', decisionReason: 'dry run: nothing staged' });
        else {
          writeFileAtomic(join(reportDir, segment(target.name), 'proposed-SKILL.md'), best);
          const proposal = stageProposal(db, { nightId: night, skillId: s.skill.id, runId: run.runId, baseVersion: s.latest.version, baseSha256: s.latest.sha256, content: best, sha256: sha256(best), recipe, reapplicable, flags }, now());
          Object.assign(section, { decision: 'proposed', decisionReason: `staged: v${s.latest.version} -> proposal ${proposal.id}, waiting for adopt or reject`, proposalId: proposal.id });
          if (config.night.autoAdopt && flags.length === 0) {
            const adopted = adoptProposal(deps, proposal, 'adopted automatically (night.autoAdopt)');
            if (adopted.adopted) Object.assign(section, { decision: 'auto-adopted', decisionReason: `adopted automatically as v${adopted.version} (night.autoAdopt)` });
            else extraWarnings.push(`${target.name}: auto-adopt refused: ${adopted.reason}`);
          } else if (config.night.autoAdopt) extraWarnings.push(`${target.name}: not adopted automatically: ${flags.length} flagged edit${flags.length === 1 ? '' : 's'} need a person`);
        }
        if (run.result.best.test !== null && run.result.baseline.test !== null && run.result.best.test < run.result.baseline.test) extraWarnings.push(`${target.name}: the held-out test score fell (${run.result.baseline.test.toFixed(3)} -> ${run.result.best.test.toFixed(3)}) although val rose; adopt with care`);
      }
    }
  } catch (e) {
    error = formatError(e);
    deps.logger.error({ err: e, night }, 'night failed');
  }
  for (const section of skills) section.history = nightScoreHistory(db, section.name);
  const cancelled = opts.signal?.aborted || skills.some((x) => x.run?.status === 'cancelled');
  const status: NightReport['status'] = error ? 'failed' : cancelled ? 'interrupted' : skills.some((x) => x.run?.status === 'budget_exhausted') ? 'budget_exhausted' : 'completed';
  const report = buildReport({ night, startedAt, finishedAt: now(), minutes: (deps.clock.now().getTime() - started) / 60_000, status, dryRun, trigger: opts.reason ?? 'now', harvest, mine, db, skills, recorded, extraWarnings, error });
  opts.onProgress?.({ stage: 'report' });
  const files = { md: join(reportDir, 'report.md'), json: join(reportDir, 'report.json'), html: join(reportDir, 'report.html') };
  try {
    writeFileAtomic(files.json, `${JSON.stringify(report, null, 2)}\n`);
    writeFileAtomic(files.md, renderNightMarkdown(report));
    writeFileAtomic(files.html, renderNightHtml(report));
  } finally {
    finishNight(db, night, { status, summary: { skills: skills.map((x) => ({ name: x.name, decision: x.decision, proposalId: x.proposalId })), warnings: report.warnings.length }, reportDir, error }, now());
    // What the agent hooks read: the proposals this night staged (or superseded, or auto-adopted).
    writePendingFile(deps);
  }
  return { night, status, dryRun, reportDir, files, report };
}

/** What is left of the night's budget after the skills trained so far; `spent` names the limit reached. */
export function remainingBudget(budget: Config['budget'], used: { tokens: number; costUsd: number }, minutes: number): { budget: Config['budget']; spent: string | null } {
  const next = { ...budget };
  const reached: string[] = [];
  if (budget.maxTokens !== undefined) {
    next.maxTokens = Math.max(1, Math.floor(budget.maxTokens - used.tokens));
    if (used.tokens >= budget.maxTokens) reached.push(`${used.tokens} of ${budget.maxTokens} tokens`);
  }
  if (budget.maxCostUsd !== undefined) {
    next.maxCostUsd = Math.max(1e-9, budget.maxCostUsd - used.costUsd);
    if (used.costUsd >= budget.maxCostUsd) reached.push(`$${used.costUsd.toFixed(4)} of $${budget.maxCostUsd}`);
  }
  if (budget.maxMinutes !== undefined) {
    next.maxMinutes = Math.max(1e-6, budget.maxMinutes - minutes);
    if (minutes >= budget.maxMinutes) reached.push(`${minutes.toFixed(1)} of ${budget.maxMinutes} minutes`);
  }
  return { budget: next, spent: reached.length > 0 ? reached.join(', ') : null };
}

function buildReport(input: {
  night: number; startedAt: string; finishedAt: string; minutes: number; status: NightReport['status']; dryRun: boolean; trigger: string;
  harvest: HarvestReport | null; mine: MineReport | null; db: ReturnType<NightDeps['openDb']>; skills: NightSkillSection[]; recorded: string[]; extraWarnings: string[]; error: string | null;
}): NightReport {
  const h = input.harvest;
  const skipped = (r: { skipped: Record<string, number> }) => Object.values(r.skipped).reduce((a, b) => a + b, 0);
  const replay = activeReplaySet(input.db);
  const count = (split?: string) => replay.filter((t) => t.split === split).length;
  const totals = input.skills.map((s) => s.run?.calls.total).filter((t) => t !== undefined);
  const sum = (f: (t: (typeof totals)[number]) => number) => totals.reduce((a, t) => a + f(t), 0);
  return {
    version: 1,
    night: input.night,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    status: input.status,
    dryRun: input.dryRun,
    trigger: input.trigger,
    harvest: h
      ? { sessions: h.totals.sessionsNew + h.totals.sessionsUpdated, filesRead: h.totals.filesRead, skippedLines: skipped(h.totals), secretsRedacted: h.totals.secretsRedacted, sources: h.sources.map((s) => ({ source: s.source, filesRead: s.filesRead, sessions: s.sessionsNew + s.sessionsUpdated, skippedLines: skipped(s) })) }
      : { sessions: 0, filesRead: 0, skippedLines: 0, secretsRedacted: 0, sources: [] },
    mine: input.mine ? { sessionsRead: input.mine.sessions.read, recurringFamilies: input.mine.families.recurring, tasksNew: input.mine.tasks.new, tasksUpdated: input.mine.tasks.updated, gameable: input.mine.tasks.gameable } : { sessionsRead: 0, recurringFamilies: 0, tasksNew: 0, tasksUpdated: 0, gameable: 0 },
    replaySet: { train: count('train'), val: count('val'), test: count('test'), unsplit: count(undefined), total: replay.length },
    recorded: input.recorded,
    skills: input.skills,
    warnings: [...nightWarnings({ skills: input.skills, gameable: input.mine?.tasks.gameable ?? 0, minHoldout: 3 }), ...input.extraWarnings],
    cost: { calls: sum((t) => t.calls), cachedCalls: sum((t) => t.cachedCalls), inputTokens: sum((t) => t.inputTokens), outputTokens: sum((t) => t.outputTokens), usd: sum((t) => t.costUsd), minutes: Math.round(input.minutes * 100) / 100 },
    commands: nightCommands(input.night, input.skills),
    error: input.error,
  };
}
