import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig, type Config } from '../core/config.js';
import { SkillOptError } from '../core/errors.js';
import { ensurePrivateDir } from '../core/fs.js';
import { openDatabase } from '../store/db.js';
import { loadTaskFile } from '../tasks/task-file.js';
import { HARMFUL_EDITS } from '../models/simulated/diagnoses.js';
import { runTraining, type TrainRunDeps, type TrainRunOutput } from './train-run.js';

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
  tasks: number;
  baseline: { val: number; test: number | null };
  final: { val: number; test: number | null };
  nights: DemoNight[];
  harmful: { proposed: number; accepted: number };
  calls: number;
  tokens: number;
  bestSkill: string;
}

/** The demo's result. */
export interface DemoResult {
  personas: DemoPersona[];
  stateDir: string;
}

/** List the bundled personas. */
export function listPersonas(dir = PERSONAS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'tasks.jsonl')))
    .map((d) => d.name)
    .sort();
}

/**
 * Run nights on each persona with the configured (by default simulated) backends until a night no longer
 * raises the val score, carrying the skill and the optimizer's notes from night to night.
 */
export async function runDemo(input: { personas?: string[]; maxNights: number; stateDir: string; config: Config; onNight?: (persona: string, night: DemoNight) => void }, deps: TrainRunDeps): Promise<DemoResult> {
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
      const loaded = loadTaskFile(join(PERSONAS_DIR, persona, 'tasks.jsonl'));
      if (loaded.problems.length > 0) throw new SkillOptError('INPUT', `persona ${persona} has invalid tasks: ${loaded.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}`);
      let skill = readFileSync(join(PERSONAS_DIR, persona, 'skill.md'), 'utf8');
      const config = withScenario(input.config, join(PERSONAS_DIR, persona, 'scenario.json'));
      const personaDir = join(demoDir, persona);
      rmSync(personaDir, { recursive: true, force: true });
      const nights: DemoNight[] = [];
      let first: TrainRunOutput | null = null;
      let last: TrainRunOutput | null = null;
      let metaNotes = '';
      for (let night = 1; night <= input.maxNights; night++) {
        const run = await runTraining(
          { kind: 'demo', tasks: loaded.tasks, skillName: persona, skillText: skill, config, outDir: join(personaDir, `night-${night}`), carry: { metaNotes } },
          { ...deps, db },
        );
        first ??= run;
        last = run;
        const r = run.report;
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
          gateTrials: r.steps.filter((s) => s.gate).map((s) => ({ step: s.step, kind: s.kind, accepted: s.gate!.accepted, reason: s.gate!.reason })),
          calls: r.calls.total.calls,
          tokens: r.calls.total.inputTokens + r.calls.total.outputTokens,
          report: run.paths.reportMd,
        };
        nights.push(summary);
        input.onNight?.(persona, summary);
        skill = run.result.best.skill;
        metaNotes = run.result.metaNotes;
        if (run.result.status !== 'completed') break;
        if (deps.signal?.aborted) break;
        if (!(summary.valAfter > summary.valBefore)) break;
      }
      const allEdits = nights.length > 0 && last && first ? collectEdits(personaDir, nights.length) : [];
      const harmful = allEdits.filter((e) => HARMFUL_EDITS.some((h) => (e.content ?? '').includes(h.replace(/\.$/, ''))));
      out.push({
        persona,
        tasks: loaded.tasks.length,
        baseline: { val: first?.report.headline.baselineVal ?? 0, test: first?.report.headline.baselineTest ?? null },
        final: { val: last?.report.headline.bestVal ?? 0, test: last?.report.headline.bestTest ?? null },
        nights,
        harmful: { proposed: harmful.length, accepted: harmful.filter((e) => e.status === 'accepted').length },
        calls: nights.reduce((a, n) => a + n.calls, 0),
        tokens: nights.reduce((a, n) => a + n.tokens, 0),
        bestSkill: last?.paths.bestSkill ?? '',
      });
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

function collectEdits(personaDir: string, nights: number): Array<{ content?: string; status: string }> {
  const out: Array<{ content?: string; status: string }> = [];
  for (let n = 1; n <= nights; n++) {
    const report = JSON.parse(readFileSync(join(personaDir, `night-${n}`, 'report.json'), 'utf8')) as { steps: Array<{ edits: Array<{ content?: string; status: string }> }> };
    for (const s of report.steps) out.push(...s.edits);
  }
  return out;
}
