import type { Task } from '../tasks/types.js';
import type { ChatRequest, ModelBackend } from '../models/types.js';
import { createSimulatedTarget } from '../simulated/target.js';
import { createSimulatedOptimizer } from '../simulated/optimizer.js';
import { HARMFUL_EDITS, USELESS_EDITS } from '../simulated/diagnoses.js';
import { behavioursIn } from '../simulated/behaviours.js';
import { renderTaskUser } from '../train/render.js';
import { simulationLookupFor } from '../simulated/lookup.js';
import { trainSkill } from '../train/trainer.js';
import { DEFAULT_TRAINER_CONFIG, type TrainerConfig } from '../train/config.js';
import { seedFrom } from '../core/rng.js';

/**
 * A personal-scale replay set of 30 tasks: 10 ask for a code "for the parser" and pass only with the answer in
 * <answer> tags (the genuine rule: about +27 points on val and test once the target's noise is counted,
 * 3 of 9 tasks x 0.85 followed x 0.95 no slip), 20 only need their content. Splits are fixed (12 train with 4
 * tagged, 9 val with 3, 9 test with 3) so every seed asks the same question; the noise is the target's and
 * the optimizer's, both reseeded per trial.
 */
export function personalTaskSet(): Task[] {
  const split = (i: number, tagged: boolean): Task['split'] => {
    const k = tagged ? i : i - 10;
    const [train, val] = tagged ? [4, 7] : [8, 14];
    return k < train ? 'train' : k < val ? 'val' : 'test';
  };
  return Array.from({ length: 30 }, (_, i): Task => {
    const tagged = i < 10;
    const term = `item${i}`;
    return tagged
      ? {
          id: `code-${i}`,
          prompt: `Lookup ${i}: give the parser the code of ${term}.`,
          judge: { kind: 'rule', checks: [{ op: 'contains', arg: '<answer>' }, { op: 'contains', arg: term }] },
          simulation: { answer: `The code of ${term} is ${1000 + i}.` },
          split: split(i, true),
        }
      : {
          id: `status-${i}`,
          prompt: `Status ${i}: what is the state of ${term}?`,
          judge: { kind: 'rule', checks: [{ op: 'contains', arg: term }] },
          simulation: { answer: `The state of ${term} is green since the last deploy.` },
          split: split(i, false),
        };
  });
}

const BASELINE_SKILL = '# Team conventions\n\n## Output\n\nAnswer precisely.\n';

/** A backend wrapper that counts calls by purpose. */
function counting(inner: ModelBackend, counts: Map<string, number>): ModelBackend {
  return {
    backend: inner.backend,
    model: inner.model,
    complete(request: ChatRequest) {
      const key = request.purpose ?? 'other';
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return inner.complete(request);
    },
  };
}

interface Arm {
  name: string;
  config: TrainerConfig;
  /** false: the target redraws its noise whenever the skill text changes (a backend without seeds). */
  sharedNoise?: boolean;
}

interface ArmStats {
  badInBest: number;
  learned: number;
  steps: number;
  gated: number;
  calls: number;
  testGain: number;
  accepted: number;
}

/**
 * For each gate, over seeded nights on the personal task set at noise 0.15 (follow 0.85, slip 0.05) with the
 * optimizer proposing useless edits at 30% and harmful ones at 10% of reflections: how often a useless or
 * harmful edit ends in the best skill, how often the genuine rule is learned (switched on for every tagged
 * test task), steps and model calls per night.
 */
export async function runTrainerBench(options: { seeds?: number; uselessRate?: number; harmfulRate?: number } = {}): Promise<string[]> {
  const seeds = options.seeds ?? 40;
  const uselessRate = options.uselessRate ?? 0.3;
  const harmfulRate = options.harmfulRate ?? 0.1;
  const tasks = personalTaskSet();
  const lookup = simulationLookupFor(tasks);
  const taggedTest = tasks.filter((t) => t.split === 'test' && t.id.startsWith('code-'));
  const base: TrainerConfig = { ...DEFAULT_TRAINER_CONFIG };
  const arms: Arm[] = [
    { name: 'paired gate + paired attribution (ours)', config: base },
    { name: 'strict gate, no attribution (paper)', config: { ...base, gate: { ...base.gate, mode: 'strict' }, attribution: false } },
    { name: 'strict gate + paired attribution', config: { ...base, gate: { ...base.gate, mode: 'strict' } } },
    { name: 'ours, target without seeds (no CRN)', config: base, sharedNoise: false },
  ];
  const stats = new Map<string, ArmStats>(arms.map((a) => [a.name, { badInBest: 0, learned: 0, steps: 0, gated: 0, calls: 0, testGain: 0, accepted: 0 }]));
  const bad = [...USELESS_EDITS, ...HARMFUL_EDITS];
  for (let trial = 1; trial <= seeds; trial++) {
    for (const arm of arms) {
      const counts = new Map<string, number>();
      const target = counting(createSimulatedTarget({ followRate: 0.85, slipRate: 0.05, seed: seedFrom('bench-target', trial), lookup, ...(arm.sharedNoise === false ? { sharedNoise: false } : {}) }), counts);
      const optimizer = counting(createSimulatedOptimizer({ seed: seedFrom('bench-optimizer', trial), uselessRate, harmfulRate }), counts);
      const result = await trainSkill(tasks, BASELINE_SKILL, { ...arm.config, seed: trial }, { target, optimizer, skillName: 'bench' });
      const s = stats.get(arm.name)!;
      const skill = result.best.skill;
      if (bad.some((b) => skill.includes(b))) s.badInBest++;
      if (taggedTest.every((t) => behavioursIn(skill, renderTaskUser(t)).some((b) => b.id === 'answer_tags'))) s.learned++;
      s.steps += result.plan.totalSteps;
      s.gated += result.steps.filter((x) => x.gate !== null).length;
      s.accepted += result.steps.filter((x) => x.action === 'accepted').length;
      s.calls += [...counts.values()].reduce((a, b) => a + b, 0);
      s.testGain += (result.best.test ?? 0) - (result.baseline.test ?? 0);
    }
  }
  const pct = (n: number) => `${((n / seeds) * 100).toFixed(1)}%`;
  const lines = [
    `trainer bench: ${seeds} seeded nights per gate on a personal replay set of 30 tasks (12 train, 9 val, 9 test), noise 0.15 (follow 0.85, slip 0.05),`,
    `  optimizer: useless edits in ${uselessRate * 100}% and harmful ones in ${harmfulRate * 100}% of reflections; the genuine rule is worth about +27 points`,
    `  ${'gate'.padEnd(42)}${'bad edit in best'.padStart(17)}${'rule learned'.padStart(14)}${'steps/night'.padStart(13)}${'gated/night'.padStart(13)}${'calls/night'.padStart(13)}${'test gain'.padStart(11)}`,
  ];
  for (const arm of arms) {
    const s = stats.get(arm.name)!;
    lines.push(
      `  ${arm.name.padEnd(42)}${pct(s.badInBest).padStart(17)}${pct(s.learned).padStart(14)}${(s.steps / seeds).toFixed(1).padStart(13)}${(s.gated / seeds).toFixed(1).padStart(13)}${(s.calls / seeds).toFixed(0).padStart(13)}${`${((s.testGain / seeds) * 100).toFixed(1)} pts`.padStart(11)}`,
    );
  }
  lines.push('  targets for ours: bad edit in best <= 5%, rule learned >= 90%');
  return lines;
}
