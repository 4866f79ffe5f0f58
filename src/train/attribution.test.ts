import { describe, it, expect } from 'vitest';
import { attributeEdits, pairedContribution } from './attribution.js';
import { evaluateSkill, type EvaluateDeps, type Evaluation } from './evaluate.js';
import { applyEdits } from '../skills/patch.js';
import { decideGate, DEFAULT_GATE_CONFIG } from './gate.js';
import { pairObservations } from './pairing.js';
import { createSimulatedTarget } from '../simulated/target.js';
import { createSimulatedOptimizer } from '../simulated/optimizer.js';
import { renderTaskUser } from './render.js';
import { shortHash } from '../core/hash.js';
import type { Task } from '../tasks/types.js';
import type { MergedEdit } from './merge.js';

// 12 val tasks: 6 need <answer> tags, 6 need only their content (which a terse answer loses).
const tasks: Task[] = Array.from({ length: 12 }, (_, i): Task => {
  const term = `item${i}`;
  const checks = i < 6 ? [{ op: 'contains' as const, arg: '<answer>' }, { op: 'contains' as const, arg: term }] : [{ op: 'contains' as const, arg: term }];
  return { id: `v${i}`, prompt: `Question ${i}: what is the code of ${term}?`, judge: { kind: 'rule', checks }, simulation: { answer: `The code of the thing called ${term} is ${1000 + i}.` } };
});
const specs = new Map(tasks.map((t) => [renderTaskUser(t), t.simulation]));
const BASE = '# Skill\n\nAnswer precisely.\n';
const edit = (content: string): MergedEdit => ({ op: 'append', content, sourceType: 'failure', support: 1, mergedFrom: 1 });
const TAGS = edit('Always wrap the final answer in <answer>...</answer> tags.');
const TAGS_AGAIN = edit('Enclose your final answer in <answer> ... </answer> tags.');
const USELESS = edit('Be thorough and precise.');
const HARMFUL = edit('Answer in as few words as possible.');

function setup(seed: number) {
  const deps: EvaluateDeps = {
    target: createSimulatedTarget({ followRate: 0.85, slipRate: 0.05, seed, lookup: (u) => specs.get(u) }),
    optimizer: createSimulatedOptimizer({ seed, uselessRate: 0, harmfulRate: 0 }),
    metric: 'hard',
    mixedWeight: 0.5,
    skillName: 't',
    seed,
  };
  const cache = new Map<string, Evaluation>();
  let evaluations = 0;
  const evalVal = async (skill: string) => {
    const hit = cache.get(skill);
    if (hit) return hit;
    evaluations++;
    const ev = await evaluateSkill(skill, shortHash(skill), tasks, [0, 1, 2, 3], deps);
    cache.set(skill, ev);
    return ev;
  };
  return { evalVal, evaluations: () => evaluations };
}

async function attribute(edits: MergedEdit[], seed = 1) {
  const { evalVal } = setup(seed);
  const incumbentVal = await evalVal(BASE);
  const fullVal = await evalVal(applyEdits(BASE, edits).text);
  const gate = decideGate(pairObservations(incumbentVal, fullVal), { ...DEFAULT_GATE_CONFIG, alpha: 0.0125 });
  const result = await attributeEdits({ base: BASE, edits, fullVal, incumbentVal, gate: DEFAULT_GATE_CONFIG, alpha: 0.0125, unit: 'sample', evalVal });
  return { gate, result };
}

describe('attributeEdits (a paired test on the simulated target, same seeds for every skill)', () => {
  it('keeps the rule that earns its place and drops the passenger riding on it, with an interval', async () => {
    for (const seed of [1, 2, 3]) {
      const { gate, result } = await attribute([TAGS, USELESS], seed);
      expect(gate.accepted).toBe(true);
      expect(result.kept).toEqual([TAGS]);
      const useless = result.contributions.get(USELESS)!;
      // Common random numbers: removing text the target does not act on changes nothing at all.
      expect(useless).toMatchObject({ mean: 0, low: 0, high: 0, pValue: 1, significant: false });
      const tags = result.contributions.get(TAGS)!;
      expect(tags.significant).toBe(true);
      expect(tags.low).toBeGreaterThan(0);
      expect(tags.low).toBeLessThanOrEqual(tags.mean);
      expect(tags.high).toBeGreaterThanOrEqual(tags.mean);
      expect(result.skill).toBe(applyEdits(BASE, [TAGS]).text);
    }
  });

  it('drops a harmful edit that rode in on a good one', async () => {
    const { result } = await attribute([TAGS, HARMFUL]);
    expect(result.kept).toEqual([TAGS]);
    expect(result.contributions.get(HARMFUL)!.mean).toBeLessThan(0);
  });

  it('keeps the smallest subset when two edits say the same thing and neither is significant alone', async () => {
    const { gate, result } = await attribute([TAGS, TAGS_AGAIN]);
    expect(gate.accepted).toBe(true);
    // Both paraphrases switch on the same behaviour: removing either costs nothing...
    expect(result.contributions.get(TAGS)!.mean).toBe(0);
    expect(result.contributions.get(TAGS_AGAIN)!.mean).toBe(0);
    // ...but one of them alone passes, so the skill gets one line, not two.
    expect(result.how).toBe('smallest_passing_subset');
    expect(result.kept).toEqual([TAGS]);
    expect(result.gate?.accepted).toBe(true);
  });

  it('ships nothing when no edit earns anything, never the full candidate', async () => {
    const { result } = await attribute([USELESS, edit('Think step by step about what the user needs.')]);
    expect(result.kept).toEqual([]);
    expect(result.how).toBe('none');
  });
});

describe('pairedContribution', () => {
  it('counts per-task means with the task unit', async () => {
    const { evalVal } = setup(4);
    const withTags = await evalVal(applyEdits(BASE, [TAGS]).text);
    const base = await evalVal(BASE);
    const bySample = pairedContribution(withTags, base, 'sample', 0.05);
    const byTask = pairedContribution(withTags, base, 'task', 0.05);
    expect(bySample.n).toBe(48);
    expect(byTask.n).toBe(12);
    expect(byTask.mean).toBeCloseTo(bySample.mean, 10);
  });
});

describe('attributeEdits when the provider fails every leave-one-out sample', () => {
  it('keeps no edit on no evidence: an empty evaluation shows no contribution', async () => {
    const { evalVal } = setup(1);
    const incumbentVal = await evalVal(BASE);
    const edits = [TAGS, USELESS];
    const fullVal = await evalVal(applyEdits(BASE, edits).text);
    // Every other skill's val samples all went missing (what the trainer hands over under rate limits).
    const empty = async (skill: string): Promise<Evaluation> => ({ ...(await evalVal(BASE)), skillHash: shortHash(skill), attempts: [], perTask: new Map(), mean: 0, hard: 0, soft: 0, missing: tasks.map((t) => ({ taskId: t.id, sampleIndex: 0, code: 'RATE_LIMITED', message: '429' })) });
    const result = await attributeEdits({ base: BASE, edits, fullVal, incumbentVal, gate: DEFAULT_GATE_CONFIG, alpha: 0.0125, unit: 'sample', evalVal: empty });
    for (const e of edits) expect(result.contributions.get(e)?.significant).toBe(false);
    expect(result.kept).toEqual([]);
  });
});
