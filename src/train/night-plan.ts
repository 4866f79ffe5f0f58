// How a night is laid out before it starts: how many steps, how alpha is spent, and whether the val split
// can prove anything at all. Pure functions of sizes and settings.

/** The paper's step count needs a large train split; a personal replay set still gets this many steps. */
export const MIN_STEPS_PER_EPOCH = 3;
/** Fewer rollouts than this per step give a reflection too little to read. */
export const MIN_STEP_BATCH = 3;

/** The raise aims at an edit that changes 1 in this many paired units. */
export const DETECTABLE_SHARE_INVERSE = 4;

/**
 * Train tasks rolled out per step: the paper's batch (40) when the train split is large, else small enough
 * that an epoch has MIN_STEPS_PER_EPOCH steps: min(batchSize, max(MIN_STEP_BATCH, ceil(train / 3))).
 * 9 train tasks give 3 steps of 3; 120 or more keep the paper's 40 (3 steps at 120, 10 at 400).
 */
export function stepBatchSize(trainCount: number, batchSize: number): number {
  if (trainCount <= 0) return Math.max(1, batchSize);
  return Math.max(1, Math.min(batchSize, Math.max(MIN_STEP_BATCH, Math.ceil(trainCount / MIN_STEPS_PER_EPOCH))));
}

/**
 * Alpha spending over a night's gate decisions (steps and slow updates): each decision may spend what is
 * left divided by the decisions still planned, so a step that never reaches the gate hands its share on and
 * the shares of the decisions actually taken never sum past alpha (a union bound: the night's false-accept
 * rate stays at or below alpha).
 */
export interface AlphaSpender {
  /** The level of the next decision (does not spend it). */
  next(): number;
  /** Spend the next decision's level; returns it. */
  spend(): number;
  /** A planned decision that will not happen (a skipped step): its share moves to the rest. */
  forgo(): void;
  remaining(): { alpha: number; decisions: number };
}

/** An alpha spender for `decisions` planned decisions at night-level `alpha`. */
export function createAlphaSpender(alpha: number, decisions: number): AlphaSpender {
  let left = alpha;
  let planned = Math.max(1, Math.floor(decisions));
  // Rounded down to 4 significant digits, so reports read 0.0125 and the shares still never exceed alpha.
  const next = (): number => floorSignificant(left / Math.max(1, planned), 4);
  return {
    next,
    spend() {
      const level = next();
      left = Math.max(0, left - level);
      planned = Math.max(1, planned - 1);
      return level;
    },
    forgo() {
      if (planned > 1) planned--;
    },
    remaining: () => ({ alpha: left, decisions: planned }),
  };
}

/** What the gate can prove on this val split, computed before the night. */
export interface GatePower {
  unit: 'sample' | 'task';
  valTasks: number;
  /** Samples per val task after any raise. */
  valSamples: number;
  /** Samples per val task the config asked for. */
  configuredSamples: number;
  /** Exchangeable units of the paired test (tasks x samples, or tasks). */
  units: number;
  /** The smallest one-sided sign-flip p-value those units can give: 2^-units. */
  minPValue: number;
  /** The level of the first decision (night alpha over planned decisions). */
  alphaPerDecision: number;
  decisions: number;
  alpha: number;
  canDecide: boolean;
  /** Plain words for the report and `train` output when the plan changed or cannot decide; null otherwise. */
  message: string | null;
}

/**
 * Can the paired gate reach its per-decision alpha on this val split? The sign-flip test over u units can
 * never give p below 2^-u. With a stochastic target (unit 'sample') samples are added, up to `maxValSamples`,
 * until a change on a quarter of the units could reach the level; with a deterministic one (unit 'task') samples are copies, so say how many val tasks it needs.
 */
export function planGatePower(input: { valTasks: number; valSamples: number; unit: 'sample' | 'task'; alpha: number; decisions: number; maxValSamples: number }): GatePower {
  const decisions = Math.max(1, input.decisions);
  const alphaPerDecision = input.alpha / decisions;
  const needUnits = Math.ceil(Math.log2(1 / alphaPerDecision) - 1e-12);
  const unitsFor = (samples: number) => (input.unit === 'sample' ? input.valTasks * samples : input.valTasks);
  // A stochastic target gets samples until an edit that changes a quarter of the units (the +25-point rule
  // a person would notice) could reach the level, not just until a perfect sweep could.
  const wantUnits = DETECTABLE_SHARE_INVERSE * needUnits;
  let samples = Math.max(1, input.valSamples);
  if (input.unit === 'sample' && unitsFor(samples) < wantUnits && input.valTasks > 0) {
    samples = Math.max(samples, Math.min(input.maxValSamples, Math.ceil(wantUnits / input.valTasks)));
  }
  const units = unitsFor(samples);
  const minPValue = 2 ** -units;
  const canDecide = units >= needUnits;
  const base = { unit: input.unit, valTasks: input.valTasks, valSamples: samples, configuredSamples: input.valSamples, units, minPValue, alphaPerDecision, decisions, alpha: input.alpha, canDecide };
  const spend = `alpha ${input.alpha} over ${decisions} decision(s) leaves ${fmt(alphaPerDecision)} each`;
  if (!canDecide) {
    const need =
      input.unit === 'task'
        ? `at least ${needUnits} val tasks (the target answers deterministically, so repeated samples are copies)`
        : `at least ${Math.ceil(needUnits / input.maxValSamples)} val tasks at ${input.maxValSamples} samples each`;
    const what = input.unit === 'task' ? `${input.valTasks} val task(s)` : `${input.valTasks} val task(s) x ${samples} sample(s)`;
    return {
      ...base,
      message: `this replay set cannot prove a gain yet: ${what} give a smallest possible p-value of ${fmt(minPValue)}, above the ${fmt(alphaPerDecision)} a decision may spend (${spend}); it needs ${need}, or a larger alpha`,
    };
  }
  if (samples > input.valSamples) {
    return { ...base, message: `val samples raised from ${input.valSamples} to ${samples} per task so the gate can reach its level (${input.valTasks} val tasks; ${spend})` };
  }
  return { ...base, message: null };
}

/** x rounded towards zero to `digits` significant digits. */
export function floorSignificant(x: number, digits: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return x;
  const scale = 10 ** (digits - 1 - Math.floor(Math.log10(x)));
  return Math.floor(x * scale * (1 + 1e-12)) / scale;
}

function fmt(p: number): string {
  return p < 0.001 ? p.toExponential(1) : String(Number(p.toPrecision(3)));
}
