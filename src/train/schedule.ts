/** How the per-step edit budget L_t moves over a night's steps. */
export type ScheduleKind = 'constant' | 'linear' | 'cosine';

/** An edit-budget schedule: start at `max`, decay towards `min` (constant stays at `max`). */
export interface EditBudgetSchedule {
  kind: ScheduleKind;
  max: number;
  min: number;
}

/**
 * Round to the nearest integer, with exact halves going to the even neighbour
 * (banker's rounding, as Python's `round`): 2.5 -> 2, 3.5 -> 4, -2.5 -> -2.
 * `Math.round` would send 2.5 to 3, and exact halves do occur in the schedules
 * (cosine 4->2 at T=12, call 8; linear 4->2 at T=4, call 3). Non-finite input is returned as is.
 */
export function roundHalfEven(value: number): number {
  if (!Number.isFinite(value)) return value;
  const floor = Math.floor(value);
  // Exact for doubles of this size, so a true .5 is seen as exactly 0.5.
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * The edit budget for the `call`-th step (1-based) of `totalSteps` steps.
 * With t = min(call, T) / T: linear lr = max + (min - max) * t; cosine lr = min + 0.5 * (max - min) * (1 + cos(pi * t));
 * the result is max(min, roundHalfEven(lr)). Constant, and any T <= 1, give `max`. Calls past T give the value at T.
 * A call below 1 is read as 0 (t = 0, i.e. `max`), matching a counter that has not stepped yet.
 */
export function editBudgetAt(schedule: EditBudgetSchedule, call: number, totalSteps: number): number {
  const { kind, max, min } = schedule;
  if (kind === 'constant') return max;
  if (!(totalSteps > 1)) return max;
  const step = Math.max(0, call);
  const t = Math.min(step, totalSteps) / totalSteps;
  let lr: number;
  switch (kind) {
    case 'linear':
      lr = max + (min - max) * t;
      break;
    case 'cosine':
      lr = min + 0.5 * (max - min) * (1 + Math.cos(Math.PI * t));
      break;
    default:
      kind satisfies never;
      return max;
  }
  return Math.max(min, roundHalfEven(lr));
}

/** The whole budget sequence for calls 1..totalSteps (at least one call), handy for reports and tests. */
export function editBudgetSequence(schedule: EditBudgetSchedule, totalSteps: number): number[] {
  const calls = Math.max(1, Math.floor(totalSteps));
  const out: number[] = [];
  for (let call = 1; call <= calls; call += 1) out.push(editBudgetAt(schedule, call, totalSteps));
  return out;
}
