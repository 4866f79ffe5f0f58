import { applyEdits } from '../skills/patch.js';
import { decideGate, type GateConfig, type GateDecision } from './gate.js';
import { pairObservations } from './pairing.js';
import { signFlipPValue } from './sign-flip.js';
import { mean, sampleStdDev, tQuantile } from './stats.js';
import type { Evaluation } from './evaluate.js';
import type { MergedEdit } from './merge.js';

/** What one edit is worth: the paired drop when it alone is removed, with its 95% interval and one-sided p. */
export interface Contribution {
  /** Mean paired drop (with minus without), in score points of [0, 1]. */
  mean: number;
  low: number;
  high: number;
  /** One-sided sign-flip p-value of "removing it lowers the score". */
  pValue: number;
  /** Paired units the test used. */
  n: number;
  /** The level it was tested at. */
  level: number;
  significant: boolean;
}

/**
 * The paired difference `withEdit - without` on (task, sample) pairs (or per-task means with unit 'task'),
 * with a t interval and the exact sign-flip p-value of a positive drop.
 */
export function pairedContribution(withEdit: Evaluation, without: Evaluation, unit: 'sample' | 'task', level: number): Contribution {
  const obs = pairObservations(without, withEdit);
  let diffs: number[];
  if (unit === 'sample') diffs = obs.map((o) => o.candidate - o.incumbent);
  else {
    const byTask = new Map<string, number[]>();
    for (const o of obs) byTask.set(o.taskId, [...(byTask.get(o.taskId) ?? []), o.candidate - o.incumbent]);
    diffs = [...byTask.values()].map((d) => mean(d));
  }
  const n = diffs.length;
  const m = n === 0 ? 0 : mean(diffs);
  const sd = n >= 2 ? sampleStdDev(diffs) : 0;
  const half = n >= 2 && sd > 0 ? tQuantile(0.975, n - 1) * (sd / Math.sqrt(n)) : 0;
  const pValue = n === 0 ? 1 : signFlipPValue(diffs);
  return { mean: m, low: m - half, high: m + half, pValue, n, level, significant: m > 0 && pValue <= level };
}

/** Attribution's verdict on an accepted candidate. */
export interface AttributionResult {
  contributions: Map<MergedEdit, Contribution>;
  /** The edits that earned their place (never an edit attribution rejected). */
  kept: MergedEdit[];
  skill: string;
  val: Evaluation;
  /** The kept set's own gate against the incumbent when it is smaller than the candidate; null otherwise. */
  gate: GateDecision | null;
  /** How the kept set was chosen, for the report. */
  how: 'significant_edits' | 'smallest_passing_subset' | 'whole_set' | 'none';
  note: string;
}

/**
 * Attribution as a paired test. Each edit's removal from the accepted candidate is measured on the same val
 * tasks and samples (same seeds). An edit whose removal does not lower the mean is rejected outright. Of the
 * rest, an edit stays when its removal causes a significant paired drop (level alpha / edits, Bonferroni
 * within the step); the significant edits must then pass the gate against the incumbent on their own. When
 * none is significant alone (edits that say the same thing twice), the smallest subset of the rest that
 * passes the gate is kept (subsets in size order, each at alpha / subsets). If nothing passes, nothing is
 * kept: an edit attribution rejected never ships, and the full candidate is never the fallback.
 */
export async function attributeEdits(input: {
  base: string;
  edits: readonly MergedEdit[];
  fullVal: Evaluation;
  incumbentVal: Evaluation;
  gate: GateConfig;
  /** The level the step's gate was decided at. */
  alpha: number;
  unit: 'sample' | 'task';
  evalVal: (skill: string) => Promise<Evaluation>;
}): Promise<AttributionResult> {
  const { base, edits } = input;
  const textOf = (set: readonly MergedEdit[]) => applyEdits(base, set).text;
  const level = input.alpha / edits.length;
  const contributions = new Map<MergedEdit, Contribution>();
  for (const edit of edits) {
    const without = await input.evalVal(textOf(edits.filter((e) => e !== edit)));
    contributions.set(edit, pairedContribution(input.fullVal, without, input.unit, level));
  }
  const regate = async (set: readonly MergedEdit[], alpha: number) => {
    const skill = textOf(set);
    const val = await input.evalVal(skill);
    return { skill, val, gate: decideGate(pairObservations(input.incumbentVal, val), { ...input.gate, alpha }) };
  };
  // Removing it does not lower the mean: on its own evidence it is a passenger (or worse).
  const earning = edits.filter((e) => (contributions.get(e)?.mean ?? 0) > 0);
  const passengers = edits.length - earning.length;
  const dropped = passengers > 0 ? `; ${passengers} edit(s) whose removal costs nothing dropped` : '';
  const significant = earning.filter((e) => contributions.get(e)?.significant);
  if (significant.length === edits.length) {
    return { contributions, kept: edits.slice(), skill: textOf(edits), val: input.fullVal, gate: null, how: 'significant_edits', note: `every edit's removal costs a significant drop (level ${fmt(level)})` };
  }
  let tried: MergedEdit[] | null = null;
  if (significant.length > 0) {
    const trial = await regate(significant, input.alpha);
    if (trial.gate.accepted) {
      return { contributions, kept: significant, ...trial, how: 'significant_edits', note: `kept the ${significant.length} edit(s) whose removal costs a significant drop (level ${fmt(level)})${dropped}` };
    }
    tried = significant;
  }
  // No edit is significant alone (two edits that say the same thing each cost nothing to remove): the
  // smallest subset that passes the gate against the incumbent, each subset at alpha / subsets.
  const subsets = properSubsetsBySize(edits).filter((sub) => tried === null || !sameSet(sub, tried));
  const subsetLevel = input.alpha / Math.max(1, subsets.length);
  let last: { val: Evaluation; gate: GateDecision } | null = null;
  for (const subset of subsets) {
    const trial = await regate(subset, subsetLevel);
    last = trial;
    if (trial.gate.accepted) {
      return { contributions, kept: subset, ...trial, how: 'smallest_passing_subset', note: `no edit is significant alone; kept the smallest subset that passes the gate (level ${fmt(subsetLevel)})` };
    }
  }
  // Else the edits that earn something, together (all of them: the candidate already passed at the step's level).
  if (earning.length === edits.length) {
    return { contributions, kept: earning, skill: textOf(earning), val: input.fullVal, gate: null, how: 'whole_set', note: 'no edit is significant alone and no smaller subset passes: the edits only work together' };
  }
  if (earning.length > 0 && !subsets.some((sub) => sameSet(sub, earning))) {
    const together = await regate(earning, input.alpha);
    if (together.gate.accepted) {
      return { contributions, kept: earning, ...together, how: 'whole_set', note: `no edit is significant alone and no smaller subset passes: the ${earning.length} edits that earn something are kept together${dropped}` };
    }
    last = together;
  }
  return { contributions, kept: [], skill: base, val: last?.val ?? input.incumbentVal, gate: last?.gate ?? null, how: 'none', note: `no edit is significant alone and no subset of the edits passes the gate on its own${dropped}` };
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** Proper non-empty subsets in size order, then original order (at most 14 for the budget of 4). */
function properSubsetsBySize<T>(items: readonly T[]): T[][] {
  const n = items.length;
  const out: T[][] = [];
  // Past 6 edits (a budget nobody sets) only single edits are tried, to bound the val calls.
  if (n > 6) return items.map((x) => [x]);
  for (let mask = 1; mask < (1 << n) - 1; mask++) out.push(items.filter((_, i) => mask & (1 << i)));
  return out.sort((a, b) => a.length - b.length);
}

function fmt(p: number): string {
  return p < 0.001 ? p.toExponential(1) : String(Number(p.toPrecision(3)));
}
