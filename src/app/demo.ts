import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig, type Config } from '../config/config.js';
import { SkillOptError } from '../core/errors.js';
import { ensurePrivateDir } from '../core/fs.js';
import type { Task } from '../tasks/types.js';
import type { Environment } from '../core/paths.js';
import { openDatabase, type Db } from '../store/db.js';
import { activeReplaySet } from '../store/tasks-repo.js';
import { loadTaskFile } from '../tasks/task-file.js';
import { runHarvest } from './run-harvest.js';
import { runMine } from './run-mine.js';
import { HARMFUL_EDITS } from '../simulated/diagnoses.js';
import { runTraining, type TrainRunDeps, type TrainRunOutput } from './run-train.js';

/** What the demo needs: a training run's dependencies and the environment a persona's sandbox derives from. */
export type DemoDeps = TrainRunDeps & { environment: Environment };

/** The bundled persona fixtures (shipped with the package). */
export const PERSONAS_DIR = fileURLToPath(new URL('../../fixtures/personas/', import.meta.url));

/** One night of a persona in the demo. */
export interface DemoNight {
  night: number;
  valBefore: number;
  valAfter: number;
  testBefore: number | null;
  testAfter: number | null;
  accepted: number;
  rejected: number;
  unmatched: number;
  droppedByAttribution: number;
  gateTrials: Array<{ step: number; kind: string; accepted: boolean; reason: string }>;
  calls: number;
  tokens: number;
  report: string;
}

/** What the demo shows for one persona. */
export interface DemoPersona {
  persona: string;
  /** Where its tasks came from: a bundled task file, or mined from transcripts by harvest and mine. */
  from: 'task-file' | 'transcripts';
  tasks: number;
  baseline: { val: number; test: number | null };
  final: { val: number; test: number | null };
  nights: DemoNight[];
  harmful: { proposed: number; accepted: number };
  calls: number;
  tokens: number;
  bestSkill: string;
  /** For personas mined from transcripts: what harvest and mine did. */
  pipeline?: { sessions: number; skippedLines: number; recurringFamilies: number; tasks: number; ownReplaysSkipped: number };
}

/** The demo's result. */
export interface DemoResult {
  personas: DemoPersona[];
  stateDir: string;
}

/** Transcript personas: a developer's Claude Code and Codex sessions, harvested and mined into tasks. */
const TRANSCRIPT_PERSONAS: Readonly<Record<string, { roots: Record<'claude-code' | 'codex', string[]>; skill: string }>> = {
  'developer-transcripts': {
    roots: {
      'claude-code': [fileURLToPath(new URL('../../fixtures/mine/persona/claude-code/', import.meta.url))],
      codex: [fileURLToPath(new URL('../../fixtures/mine/persona/codex/', import.meta.url))],
    },
    skill: '---\nname: learned-preferences\ndescription: What I keep asking coding agents for.\n---\n# Learned preferences\n\nHelp with coding tasks.\n',
  },
};

/** List the bundled personas: task-file personas, then transcript personas. */
export function listPersonas(dir = PERSONAS_DIR): string[] {
  const fromFiles = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'tasks.jsonl')))
    .map((d) => d.name)
    .sort();
  return [...fromFiles, ...Object.keys(TRANSCRIPT_PERSONAS)];
}

interface NightsInput {
  persona: string;
  tasks: readonly Task[];
  skill: string;
  config: Config;
  dir: string;
  maxNights: number;
  onNight?: ((persona: string, night: DemoNight) => void) | undefined;
}

/** Carry a skill through nights until one no longer raises val; summarise what happened. */
async function runNights(input: NightsInput, deps: TrainRunDeps & { db: Db }): Promise<Omit<DemoPersona, 'from' | 'pipeline'>> {
  rmSync(input.dir, { recursive: true, force: true });
  const nights: DemoNight[] = [];
  const edits: Array<{ content?: string; status: string }> = [];
  let first: TrainRunOutput | null = null;
  let last: TrainRunOutput | null = null;
  let skill = input.skill;
  let metaNotes = '';
  for (let night = 1; night <= input.maxNights; night++) {
    const run = await runTraining(
      { kind: 'demo', tasks: input.tasks, skillName: input.persona, skillText: skill, config: input.config, outDir: join(input.dir, `night-${night}`), carry: { metaNotes } },
      deps,
    );
    first ??= run;
    last = run;
    const r = run.report;
    for (const step of r.steps) edits.push(...step.edits);
    const summary: DemoNight = {
      night,
      valBefore: r.headline.baselineVal,
      valAfter: r.headline.bestVal,
      testBefore: r.headline.baselineTest,
      testAfter: r.headline.bestTest,
      accepted: r.edits.accepted,
      rejected: r.edits.rejected,
      unmatched: r.edits.unmatched,
      droppedByAttribution: r.edits.droppedByAttribution,
      gateTrials: r.steps.flatMap((s) => (s.gate ? [{ step: s.step, kind: s.kind, accepted: s.gate.accepted, reason: s.gate.reason }] : [])),
      calls: r.calls.total.calls,
      tokens: r.calls.total.inputTokens + r.calls.total.outputTokens,
      report: run.paths.reportMd,
    };
    nights.push(summary);
    input.onNight?.(input.persona, summary);
    skill = run.result.best.skill;
    metaNotes = run.result.metaNotes;
    if (run.result.status !== 'completed' || deps.signal?.aborted) break;
    if (!(summary.valAfter > summary.valBefore)) break;
  }
  const harmful = edits.filter((e) => HARMFUL_EDITS.some((h) => (e.content ?? '').includes(h.replace(/\.$/, ''))));
  return {
    persona: input.persona,
    tasks: input.tasks.length,
    baseline: { val: first?.report.headline.baselineVal ?? 0, test: first?.report.headline.baselineTest ?? null },
    final: { val: last?.report.headline.bestVal ?? 0, test: last?.report.headline.bestTest ?? null },
    nights,
    harmful: { proposed: harmful.length, accepted: harmful.filter((e) => e.status === 'accepted').length },
    calls: nights.reduce((a, n) => a + n.calls, 0),
    tokens: nights.reduce((a, n) => a + n.tokens, 0),
    bestSkill: last?.paths.bestSkill ?? '',
  };
}

/**
 * Harvest a transcript persona's sessions into a fresh store, mine its recurring requests (heuristic judges
 * from the user's own corrections; no model call), and return the replay set with what each stage did.
 */
async function mineTranscriptPersona(name: string, dir: string, deps: DemoDeps): Promise<{ db: Db; tasks: Task[]; pipeline: NonNullable<DemoPersona['pipeline']> }> {
  const persona = TRANSCRIPT_PERSONAS[name];
  if (!persona) throw new SkillOptError('INPUT', `unknown transcript persona "${name}"`);
  rmSync(dir, { recursive: true, force: true });
  ensurePrivateDir(dir);
  const db = openDatabase(join(dir, 'sleep.db'));
  // An empty HOME and no env: only the persona's folders are read, never the machine's own transcripts.
  const environment: Environment = { env: {}, platform: deps.environment.platform, homeDir: join(dir, 'home') };
  const harvest = await runHarvest({ db, clock: deps.clock, environment }, { enabledSources: ['claude-code', 'codex'], extraRoots: persona.roots });
  const mined = await runMine({ db, clock: deps.clock }, {});
  const tasks = activeReplaySet(db);
  const skippedLines = Object.values(harvest.totals.skipped).reduce((a, b) => a + b, 0);
  return {
    db,
    tasks,
    pipeline: {
      sessions: harvest.totals.sessionsNew + harvest.totals.sessionsUpdated,
      skippedLines,
      recurringFamilies: mined.families.recurring,
      tasks: tasks.length,
      ownReplaysSkipped: mined.sessions.skipped['own_replay'] ?? 0,
    },
  };
}

/**
 * Run nights on each persona with the configured (by default simulated) backends until a night no longer
 * raises the val score, carrying the skill and the optimizer's notes from night to night. Task-file personas
 * start from their bundled tasks; transcript personas start from raw Claude Code and Codex sessions,
 * which are harvested and mined first.
 */
export async function runDemo(input: { personas?: string[]; maxNights: number; stateDir: string; config: Config; onNight?: (persona: string, night: DemoNight) => void }, deps: DemoDeps): Promise<DemoResult> {
  const available = listPersonas();
  const personas = input.personas && input.personas.length > 0 ? input.personas : available;
  for (const p of personas) {
    if (!available.includes(p)) throw new SkillOptError('INPUT', `unknown persona "${p}"`, { hint: `choose from: ${available.join(', ')}` });
  }
  // The demo owns this folder: outputs are rewritten each run; the replay cache in demo.db is kept.
  const demoDir = join(input.stateDir, 'demo');
  ensurePrivateDir(demoDir);
  const db = deps.db ?? openDatabase(join(demoDir, 'demo.db'));
  const out: DemoPersona[] = [];
  try {
    for (const persona of personas) {
      if (deps.signal?.aborted) break;
      const nights = { persona, dir: join(demoDir, persona), maxNights: input.maxNights, onNight: input.onNight };
      const transcripts = TRANSCRIPT_PERSONAS[persona];
      if (transcripts) {
        const mined = await mineTranscriptPersona(persona, join(demoDir, `${persona}-store`), deps);
        try {
          const result = await runNights({ ...nights, tasks: mined.tasks, skill: transcripts.skill, config: input.config }, { ...deps, db: mined.db });
          out.push({ ...result, from: 'transcripts', pipeline: mined.pipeline });
        } finally {
          mined.db.close();
        }
        continue;
      }
      const loaded = loadTaskFile(join(PERSONAS_DIR, persona, 'tasks.jsonl'));
      if (loaded.problems.length > 0) throw new SkillOptError('INPUT', `persona ${persona} has invalid tasks: ${loaded.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}`);
      const skill = readFileSync(join(PERSONAS_DIR, persona, 'skill.md'), 'utf8');
      const config = withScenario(input.config, join(PERSONAS_DIR, persona, 'scenario.json'));
      const result = await runNights({ ...nights, tasks: loaded.tasks, skill, config }, { ...deps, db });
      out.push({ ...result, from: 'task-file' });
    }
  } finally {
    if (!deps.db) db.close();
  }
  return { personas: out, stateDir: demoDir };
}

/**
 * A persona may pin simulator settings (e.g. the harmful-edit scenario makes the simulated optimizer
 * prone to harmful proposals) so what it demonstrates does not hinge on a seed. Only simulated roles.
 */
function withScenario(config: Config, path: string): Config {
  if (!existsSync(path)) return config;
  const scenario = JSON.parse(readFileSync(path, 'utf8')) as { target?: { simulated?: object }; optimizer?: { simulated?: object } };
  const next = structuredClone(config);
  if (next.target.backend === 'simulated' && scenario.target?.simulated) next.target.simulated = { ...next.target.simulated, ...scenario.target.simulated };
  if (next.optimizer.backend === 'simulated' && scenario.optimizer?.simulated) next.optimizer.simulated = { ...next.optimizer.simulated, ...scenario.optimizer.simulated };
  const parsed = parseConfig(next);
  if (!parsed.ok) throw new SkillOptError('INPUT', `${path} has invalid settings: ${parsed.errors.join('; ')}`);
  return parsed.config;
}
