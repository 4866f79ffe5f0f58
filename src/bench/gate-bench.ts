import type { Task } from '../tasks/types.js';
import { createSimulatedTarget } from '../simulated/target.js';
import { createSimulatedOptimizer } from '../simulated/optimizer.js';
import { renderTaskUser } from '../train/render.js';
import { evaluateSkill, type EvaluateDeps } from '../train/evaluate.js';
import { decideGate, DEFAULT_GATE_CONFIG, type GateConfig } from '../train/gate.js';
import { pairObservations } from '../train/pairing.js';
import { shortHash } from '../core/hash.js';

/**
 * 20 val tasks: 6 need the answer wrapped in <answer> tags (a skill that says so gains about +25 points
 * once the target's noise is counted: 6 x 0.9 followed x 0.95 no slip = 5.1 of 20),
 * 14 only need their content. Everything else is noise from the simulated target.
 */
function valTasks(): Task[] {
  return Array.from({ length: 20 }, (_, i): Task => {
    const term = `item${i}`;
    const checks = i < 6 ? [{ op: 'contains' as const, arg: '<answer>' }, { op: 'contains' as const, arg: term }] : [{ op: 'contains' as const, arg: term }];
    return { id: `val-${i}`, prompt: `Question ${i}: what is the code of ${term}?`, judge: { kind: 'rule', checks }, simulation: { answer: `The code of ${term} is ${1000 + i}.` } };
  });
}

const BASE = '# Skill\n\nAnswer precisely.\n';
const NO_OP = `${BASE}\nBe thorough and precise.\n`;
const HELPFUL = `${BASE}\nAlways wrap the final answer in <answer>...</answer> tags.\n`;

/** Accept rates of both gates for a no-op and a helpful edit over seeded trials. */
export async function runGateBench(options: { trials?: number; followRate?: number; slipRate?: number } = {}): Promise<string[]> {
  const trials = options.trials ?? 300;
  const followRate = options.followRate ?? 0.9;
  const slipRate = options.slipRate ?? 0.05;
  const tasks = valTasks();
  const specs = new Map(tasks.map((t) => [renderTaskUser(t), t.simulation]));
  const samples = [0, 1, 2];
  const gates: Array<[string, GateConfig]> = [
    ['paired (sample unit, default)', DEFAULT_GATE_CONFIG],
    ['paired (task unit)', { ...DEFAULT_GATE_CONFIG, unit: 'task' }],
    ['strict (paper)', { ...DEFAULT_GATE_CONFIG, mode: 'strict' }],
  ];
  const accepts = new Map(gates.map(([name]) => [name, { noop: 0, helpful: 0 }]));
  let trueGain = 0;
  for (let seed = 1; seed <= trials; seed++) {
    const deps: EvaluateDeps = {
      target: createSimulatedTarget({ followRate, slipRate, seed, lookup: (u) => specs.get(u) }),
      optimizer: createSimulatedOptimizer({ seed, uselessRate: 0, harmfulRate: 0 }),
      metric: 'hard',
      mixedWeight: 0.5,
      skillName: 'bench',
    };
    const [base, noop, helpful] = await Promise.all([BASE, NO_OP, HELPFUL].map((s) => evaluateSkill(s, shortHash(s), tasks, samples, deps)));
    trueGain += helpful!.mean - base!.mean;
    for (const [name, config] of gates) {
      const a = accepts.get(name)!;
      if (decideGate(pairObservations(base!, noop!), config).accepted) a.noop++;
      if (decideGate(pairObservations(base!, helpful!), config).accepted) a.helpful++;
    }
  }
  const lines = [
    `gate bench: ${trials} seeded trials, 20 val tasks x 3 samples, simulated target follow rate ${followRate}, slip rate ${slipRate}`,
    `  measured gain of the helpful edit: ${((trueGain / trials) * 100).toFixed(1)} points on average`,
    '  gate                            no-op false accepts   helpful (+25 pt) accepts',
  ];
  for (const [name] of gates) {
    const a = accepts.get(name)!;
    lines.push(`  ${name.padEnd(32)}${`${((a.noop / trials) * 100).toFixed(1)}%`.padStart(10)}${`${((a.helpful / trials) * 100).toFixed(1)}%`.padStart(24)}`);
  }
  return lines;
}
