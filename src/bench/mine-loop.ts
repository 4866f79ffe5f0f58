import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixedClock } from '../core/clock.js';
import { defaultConfig } from '../config/config.js';
import { runHarvest } from '../app/run-harvest.js';
import { runMine, type MineReport } from '../app/run-mine.js';
import { runTraining } from '../app/run-train.js';
import { openDatabase } from '../store/db.js';
import { listPendingSessions } from '../store/families-repo.js';
import { activeReplaySet, listTasks } from '../store/tasks-repo.js';
import { classifyPrompts } from '../mine/labels.js';
import { createSimulatedTarget } from '../simulated/target.js';
import { createSimulatedOptimizer } from '../simulated/optimizer.js';
import { simulationLookupFor } from '../simulated/lookup.js';
import { createOpenAIBackend } from '../models/openai.js';
import { renderTargetSystem, renderTaskUser } from '../train/render.js';
import type { Task } from '../tasks/types.js';
import { followsRules, generateHistory, loadPhrasings, writeHistory, type FamilyKind, type Instance } from './history.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/mine-loop/', import.meta.url));

/** The people of the benchmark and their recurring families. */
const PEOPLE: Array<[string, FamilyKind[]]> = [
  ['ana', ['changelog', 'commit']],
  ['bo', ['changelog', 'trip']],
  ['chen', ['commit', 'trip', 'changelog']],
];

/** What one run of the benchmark measured. */
export interface MineLoopFigures {
  phrasings: string;
  followUps: { tp: number; fp: number; fn: number; precision: number; recall: number };
  /** Follow-up turns that became tasks in the replay set (must be 0). */
  followUpTasks: number;
  judges: { grounded: number; families: number; checks: number; dropped: number; ungroundedShipped: number };
  /**
   * Per recurring family: future instances following the true rules before any night, after each night (night 2
   * starts from night 1's skill, with its rejected-edit memory), and under a skill that states the true rules
   * (the ceiling the target's own noise allows). `waiting`: instances it still needs before it can be held out.
   */
  families: Array<{ person: string; kind: FamilyKind; tasks: number; future: number; before: number; nights: number[]; ceiling: number; mined: Array<{ tasks: number; waitingFor?: number }> }>;
  waiting: number;
}

/** A chat-completions server on 127.0.0.1 answered by the simulator (target by model id prefix, else optimizer). */
async function startSimServer(lookupTasks: () => readonly Task[]): Promise<{ url: string; close: () => Promise<void> }> {
  const optimizer = createSimulatedOptimizer({ seed: 11, uselessRate: 0.2, harmfulRate: 0.05 });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; seed?: number; messages: Array<{ role: string; content: string }> };
        const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
        const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
        const target = createSimulatedTarget({ followRate: 0.97, slipRate: 0.01, seed: 7, lookup: simulationLookupFor(lookupTasks()) });
        // The request seed the trainer sends per (task, sample) picks the target's noise, as a seeded real model's
        // sampling: without it every sample of a task would draw the same noise and repeat the same slip.
        const reply = await (body.model.startsWith('sim-target') ? target : optimizer).complete({ system, user, ...(typeof body.seed === 'number' ? { seed: body.seed } : {}) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 0, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: reply.text }, finish_reason: 'stop' }], usage: { prompt_tokens: reply.usage.input, completion_tokens: reply.usage.output, total_tokens: reply.usage.input + reply.usage.output } }));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/v1`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

function futureTask(instance: Instance, i: number): Task {
  return { id: `future-${instance.kind}-${i}-${instance.n}`, prompt: instance.prompt, judge: { kind: 'rule', checks: [] }, simulation: { answer: instance.plain } };
}

/**
 * harvest -> mine -> one night per person through the real `openai` client against a local simulator server,
 * then each family's future instances scored with the true rules before and after. Also follow-up
 * classification against the generator's labels and the judges' grounding.
 */
/** The phrasing lists (fixtures/mine-loop/phrasings-<name>.json): tuned on, looked at to diagnose, and two written blind. */
export type PhrasingList = 'tune' | 'holdout' | 'blind' | 'blind2' | 'blind3';
const PHRASING_LISTS: readonly PhrasingList[] = ['tune', 'holdout', 'blind', 'blind2', 'blind3'];

export async function runMineLoop(opts: { phrasings: PhrasingList; instances?: number; future?: number; people?: number; seed?: number; batchSize?: number; epochs?: number; nights?: number; cast?: Array<[string, FamilyKind[]]> }): Promise<MineLoopFigures> {
  const phrasings = loadPhrasings(join(FIXTURES, `phrasings-${opts.phrasings}.json`));
  const clock = fixedClock('2026-03-01T03:00:00Z');
  let lookup: Task[] = [];
  const server = await startSimServer(() => lookup);
  const figures: MineLoopFigures = { phrasings: opts.phrasings, followUps: { tp: 0, fp: 0, fn: 0, precision: 0, recall: 0 }, followUpTasks: 0, judges: { grounded: 0, families: 0, checks: 0, dropped: 0, ungroundedShipped: 0 }, families: [], waiting: 0 };
  const env = { OPENAI_API_KEY: 'sk-local-bench' };
  try {
    for (const [person, kinds] of opts.cast ?? PEOPLE.slice(0, opts.people ?? PEOPLE.length)) {
      const home = mkdtempSync(join(tmpdir(), `sos-mine-loop-${person}-`));
      try {
        const { history, plans } = generateHistory(person, kinds, phrasings, { seed: opts.seed ?? 1, instances: opts.instances ?? 14, future: opts.future ?? DEFAULT_FUTURE, oneoffs: 6, startMs: Date.parse('2026-02-01T09:00:00Z') });
        writeHistory(home, plans);
        const db = openDatabase(':memory:');
        await runHarvest({ db, clock, environment: { env: {}, platform: 'linux', homeDir: home } }, { enabledSources: ['claude-code', 'codex', 'copilot-cli'] });
        // Follow-up classification, turn by turn, against the generator's labels.
        const truth = new Map(history.sessions.map((s) => [s.id, s.turns]));
        const followUpTexts = new Set(history.sessions.flatMap((s) => s.turns.filter((t) => t.role === 'follow-up').map((t) => t.text.trim())));
        for (const pending of listPendingSessions(db)) {
          if (!pending.digest) continue;
          const roles = classifyPrompts(pending.digest);
          const turns = [...truth.values()].find((ts) => ts[0] && pending.digest?.prompts[0]?.text.includes(ts[0].text.slice(0, 40).trim()));
          if (!turns) continue;
          for (const role of roles) {
            const text = pending.digest.prompts[role.index]?.text.trim() ?? '';
            const label = turns.find((t) => t.text.trim() === text || text.endsWith(t.text.trim()))?.role;
            if (!label) continue;
            const said = role.role === 'feedback';
            if (process.env.MINE_LOOP_DEBUG && said !== (label === 'follow-up')) process.stderr.write(`MISREAD ${person} truth=${label} read=${role.role} (${role.reason}) ${JSON.stringify(text)} after ${JSON.stringify(pending.digest.prompts[role.index - 1]?.text ?? '')}\n`);
            if (said && label === 'follow-up') figures.followUps.tp++;
            else if (said && label === 'task') figures.followUps.fp++;
            else if (!said && label === 'follow-up') figures.followUps.fn++;
          }
        }
        const report: MineReport = await runMine({ db, clock });
        figures.waiting += report.waiting.length;
        if (process.env.MINE_LOOP_DEBUG) for (const f of report.touched) process.stderr.write(`FAMILY ${person} ${JSON.stringify(f).slice(0, 1500)}\n`);
        const stored = listTasks(db);
        figures.followUpTasks += stored.filter((t) => followUpTexts.has(t.prompt.trim())).length;
        const recurring = report.touched;
        figures.judges.families += recurring.length;
        figures.judges.grounded += recurring.filter((f) => f.judge === 'grounded').length;
        figures.judges.checks += recurring.reduce((n, f) => n + f.checks.length, 0);
        figures.judges.dropped += recurring.reduce((n, f) => n + f.dropped.length, 0);
        const tasks = activeReplaySet(db);
        // A check from the person's words must pass an accepted answer and fail a corrected one (content anchors come from the request, not their words).
        figures.judges.ungroundedShipped += stored.filter((t) => t.status === 'active' && (t.provenance.grounding ?? []).some((g) => !g.describe.startsWith('mentions ') && (g.passes.length === 0 || g.fails.length === 0))).length;

        const future = Object.entries(history.future).flatMap(([, instances]) => instances.map((inst, i) => ({ inst, task: futureTask(inst, i) })));
        lookup = [...tasks, ...future.map((f) => f.task)];
        const config = defaultConfig();
        config.target = { ...config.target, backend: 'openai', model: 'sim-target-1', baseURL: server.url };
        config.optimizer = { ...config.optimizer, backend: 'openai', model: 'sim-optimizer-1', baseURL: server.url };
        // A personal replay set is small: a batch of 12 gives a night several steps (DESIGN, trainer step 2).
        config.trainer.batchSize = opts.batchSize ?? 12;
        // A family's judge has several rules: the mixed metric credits an edit that fixes one of them.
        config.trainer.gateMetric = 'mixed';
        config.trainer.epochs = opts.epochs ?? 1;
        if (process.env.MINE_LOOP_DEBUG) for (const t of tasks) process.stderr.write(`TASK ${person} ${t.family} ${t.split} ${JSON.stringify(t.prompt.slice(0, 90))} ${JSON.stringify(t.judge).slice(0, 300)}\n`);
        const base = '# Work skill\n\nHelp with the person\'s coding chores.\n';
        const skills: string[] = [];
        let learned = base;
        if (tasks.some((t) => t.split === 'val') && tasks.some((t) => t.split === 'train')) {
          for (let night = 1; night <= (opts.nights ?? 1); night++) {
            const out = join(home, `out-${night}`);
            const run = await runTraining({ kind: 'night', tasks, skillName: person, skillText: learned, config, outDir: out }, { clock, env, tmpDir: join(home, 'tmp'), db });
            learned = run.result.best.skill;
            skills.push(learned);
            if (process.env.MINE_LOOP_DEBUG) process.stderr.write(`${person} learned (night ${night}):\n${learned}\n${JSON.stringify(run.report.headline)}\n`);
          }
        }
        const target = createOpenAIBackend({ model: 'sim-target-1', baseURL: server.url }, { env });
        const score = async (skill: string, kind: FamilyKind, label: string) => {
          const mine = future.filter((f) => f.inst.kind === kind);
          let ok = 0;
          for (const { inst, task } of mine) {
            const reply = await target.complete({ system: renderTargetSystem(skill), user: renderTaskUser(task) });
            if (followsRules(reply.text, inst)) ok++;
            else if (process.env.MINE_LOOP_DEBUG && label !== 'before') process.stderr.write(`MISS ${person}/${kind} ${label} ${JSON.stringify(inst.prompt)} -> ${JSON.stringify(reply.text)}\n`);
          }
          return mine.length === 0 ? 0 : ok / mine.length;
        };
        const kindByPrompt = new Map(history.sessions.flatMap((x) => (x.kind ? [[x.turns[0]?.text.trim() ?? '', x.kind] as const] : [])));
        const waitingFamilies = new Map(report.waiting.map((w) => [w.family, w]));
        for (const kind of kinds) {
          const before = await score(base, kind, 'before');
          const nights: number[] = [];
          for (let n = 0; n < (opts.nights ?? 1); n++) nights.push(await score(skills[n] ?? base, kind, `night ${n + 1}`));
          // The families the miner made of this kind's requests (one, unless it split them), and those waiting.
          const mined = new Map<string, number>();
          for (const t of tasks) if (t.family && kindByPrompt.get(t.prompt.trim()) === kind) mined.set(t.family, (mined.get(t.family) ?? 0) + 1);
          const fragments = [...mined].sort((a, b) => b[1] - a[1]).map(([id, n]) => { const w = waitingFamilies.get(id); return w ? { tasks: n, waitingFor: w.need - w.instances } : { tasks: n }; });
          figures.families.push({ person, kind, tasks: tasks.length, future: future.filter((f) => f.inst.kind === kind).length, before, nights, ceiling: await score(ORACLE_SKILL, kind, 'ceiling'), mined: fragments });
        }
      } finally {
        if (!process.env.MINE_LOOP_KEEP) rmSync(home, { recursive: true, force: true });
      }
    }
  } finally {
    await server.close();
  }
  const f = figures.followUps;
  f.precision = f.tp + f.fp === 0 ? 1 : f.tp / (f.tp + f.fp);
  f.recall = f.tp + f.fn === 0 ? 1 : f.tp / (f.tp + f.fn);
  return figures;
}

/** The default number of future instances per family: one miss moves a figure by 5 points, not 17 (scoring them is cheap). */
export const DEFAULT_FUTURE = 20;

/** A skill that states every family's true rules in words the target follows: the ceiling its noise allows. */
const ORACLE_SKILL = '# Work skill\n\nUse the imperative mood.\n\nEnd each entry with the PR number in parentheses.\n\nNo trailing period.\n\nUse metric units.\n';

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Seeds the bench runs each phrasing list over (MINE_LOOP_SEEDS=1,2,3 by default): a figure is the worst of them. */
function benchSeeds(env: NodeJS.ProcessEnv): number[] {
  const seeds = (env.MINE_LOOP_SEEDS ?? '1,2,3').split(',').map((x) => Number(x.trim())).filter((x) => Number.isInteger(x));
  return seeds.length > 0 ? seeds : [1, 2, 3];
}

/** `MINE_LOOP_LISTS=tune,blind2` runs only those phrasing lists (default: all four). */
function benchLists(env: NodeJS.ProcessEnv): PhrasingList[] {
  const asked = (env.MINE_LOOP_LISTS ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const unknown = asked.filter((l) => !(PHRASING_LISTS as readonly string[]).includes(l));
  if (unknown.length > 0) throw new Error(`MINE_LOOP_LISTS names no phrasing list "${unknown.join('", "')}": choose from ${PHRASING_LISTS.join(', ')} (fixtures/mine-loop/phrasings-<name>.json)`);
  return asked.length === 0 ? [...PHRASING_LISTS] : PHRASING_LISTS.filter((l) => asked.includes(l));
}

/**
 * `npm run bench -- mine-loop`: on the tuning phrasings and on the held-out ones, over several seeds, two nights
 * each (night 2 starts from night 1's skill); per family the minimum over seeds, before, after each night and the
 * ceiling a skill stating the true rules reaches through the same noisy target.
 */
export async function runMineLoopBench(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const seeds = benchSeeds(env);
  const lines = [`mine-loop: harvest -> mine -> 2 nights on generated histories (3 people, 7 recurring families, ${DEFAULT_FUTURE} future instances each, scored with the true rules), seeds ${seeds.join(',')}: per family the minimum over seeds; the ceiling is a skill stating the true rules, through the same noisy target`];
  for (const phrasings of benchLists(env)) {
    const runs: MineLoopFigures[] = [];
    for (const seed of seeds) runs.push(await runMineLoop({ phrasings, seed, nights: 2 }));
    const sum = (f: (x: MineLoopFigures) => number) => runs.reduce((n, x) => n + f(x), 0);
    const tp = sum((x) => x.followUps.tp);
    const fp = sum((x) => x.followUps.fp);
    const fn = sum((x) => x.followUps.fn);
    lines.push(`  phrasings ${phrasings}: follow-up precision ${pct(tp + fp === 0 ? 1 : tp / (tp + fp))}, recall ${pct(tp + fn === 0 ? 1 : tp / (tp + fn))} (tp ${tp}, fp ${fp}, fn ${fn}); follow-ups mined as tasks: ${sum((x) => x.followUpTasks)}`);
    lines.push(`    judges grounded ${sum((x) => x.judges.grounded)}/${sum((x) => x.judges.families)} recurring families (the rest have no feedback), ${sum((x) => x.judges.checks)} checks kept, ${sum((x) => x.judges.dropped)} dropped; shipped checks from the person's words not grounded: ${sum((x) => x.judges.ungroundedShipped)}`);
    const keys = (runs[0]?.families ?? []).map((f) => `${f.person}/${f.kind}`);
    const rows = keys.map((key) => {
      const per = runs.map((r) => r.families.find((f) => `${f.person}/${f.kind}` === key)).filter((f): f is MineLoopFigures['families'][number] => f !== undefined);
      const min = (g: (f: MineLoopFigures['families'][number]) => number) => Math.min(...per.map(g));
      const max = (g: (f: MineLoopFigures['families'][number]) => number) => Math.max(...per.map(g));
      const split = per.some((f) => f.mined.length > 1);
      const waiting = per.flatMap((f) => f.mined.filter((m) => m.waitingFor !== undefined));
      const mean = (g: (f: MineLoopFigures['families'][number]) => number) => per.reduce((n, f) => n + g(f), 0) / Math.max(1, per.length);
      const atCeiling = per.every((f) => (f.nights[1] ?? 0) >= f.ceiling);
      return { key, before: max((f) => f.before), n1: min((f) => f.nights[0] ?? 0), n2: min((f) => f.nights[1] ?? 0), ceiling: min((f) => f.ceiling), pooled: mean((f) => f.nights[1] ?? 0), pooledCeiling: mean((f) => f.ceiling), kept: per.every((f) => (f.nights[1] ?? 0) >= (f.nights[0] ?? 0)), atCeiling, split, waiting };
    });
    for (const r of rows) {
      const notes = [r.split ? 'split into several families on some seed' : '', r.waiting.length > 0 ? `${r.waiting.length} part(s) waiting for ${r.waiting.map((w) => w.waitingFor).join('/')} more instance(s)` : ''].filter(Boolean).join('; ');
      lines.push(`    ${r.key}: ${pct(r.before)} -> night 1 ${pct(r.n1)} -> night 2 ${pct(r.n2)} (ceiling ${pct(r.ceiling)}; pooled over seeds ${pct(r.pooled)} of ${pct(r.pooledCeiling)})${notes ? `; ${notes}` : ''}`);
    }
    lines.push(`    families at >= 80% on every seed: night 1 ${rows.filter((r) => r.n1 >= 0.8).length}/${rows.length}, night 2 ${rows.filter((r) => r.n2 >= 0.8).length}/${rows.length}; at the ceiling on every seed: ${rows.filter((r) => r.atCeiling).length}/${rows.length}; night 2 >= night 1 on every seed: ${rows.filter((r) => r.kept).length}/${rows.length}; before <= 20% on every seed: ${rows.filter((r) => r.before <= 0.2).length}/${rows.length}`);
  }
  // The README's flow on a history with one recurring family: learns, or says it waits and for how many more.
  for (const instances of [20, 3]) {
    const f = await runMineLoop({ phrasings: 'holdout', seed: 1, nights: 1, instances, cast: [['dana', ['changelog']]] });
    const fam = f.families[0];
    const parts = (fam?.mined ?? []).map((m) => (m.waitingFor === undefined ? `${m.tasks} tasks held out by time` : `${m.tasks} tasks waiting for ${m.waitingFor} more instance(s)`));
    lines.push(`  one-family history (holdout phrasings, ${instances} changelog requests): ${fam ? `${pct(fam.before)} -> ${pct(fam.nights[0] ?? 0)} (ceiling ${pct(fam.ceiling)}); mined as ${parts.join(' + ') || 'nothing'}` : 'no family'}`);
  }
  return lines;
}
