import type { GateDecision } from './gate.js';
import type { MergedEdit } from './merge.js';
import type { Edit, EditOutcome } from '../skills/types.js';
import type { Evaluation } from './evaluate.js';
import type { GatePower } from './night-plan.js';

/** How the run was laid out before it started (steps sized to the replay set, alpha spread over decisions). */
export interface TrainPlan {
  /** Train tasks rolled out per step. */
  batchSize: number;
  stepsPerEpoch: number;
  totalSteps: number;
  /** Gate decisions the night's alpha is spread over (steps and slow updates). */
  decisions: number;
  /** What the paired gate can prove on this val split; null in strict mode. */
  power: GatePower | null;
}

/** What happened to one edit in a step. */
export interface EditRecord {
  edit: Edit;
  sourceType: 'failure' | 'success';
  support: number;
  status: 'accepted' | 'rejected' | 'undecided' | 'unmatched' | 'clipped' | 'dropped_by_attribution';
  outcome?: EditOutcome;
  /** Measured drop in val score when this edit alone is removed from the accepted candidate. */
  contribution?: number;
  /** The paired test behind `contribution`: 95% interval, one-sided p-value, the level it faced, paired units. */
  contributionTest?: { low: number; high: number; pValue: number; level: number; n: number };
}

/** What a step did. */
export type StepAction = 'accepted' | 'rejected' | 'undecided' | 'skipped_no_edits' | 'skipped_no_change' | 'stopped';

/** One training step (or an epoch-end slow update), as reports show it. */
export interface StepRecord {
  epoch: number;
  step: number;
  kind: 'step' | 'slow_update';
  action: StepAction;
  budget: number | null;
  rollout: { n: number; failed: number; score: number } | null;
  reflections: { calls: number; unusable: number; proposed: number; problems: string[]; firstUnusable?: string };
  merged: number;
  edits: EditRecord[];
  gate: GateDecision | null;
  /** The gate re-run on the candidate after attribution dropped edits. */
  gateAfterAttribution: GateDecision | null;
  valAfter: number;
  skillHash: string;
  note?: string;
}

/** Scores of a skill on val and test. */
export interface SplitScores {
  val: number;
  test: number | null;
}

/** The result of one training run (a night, or `train`). */
export interface TrainResult {
  status: 'completed' | 'budget_exhausted' | 'cancelled' | 'failed';
  stopReason: string | null;
  error: { code: string; message: string; hint?: string } | null;
  splits: { train: string[]; val: string[]; test: string[] };
  baseline: SplitScores & { skill: string };
  best: SplitScores & { skill: string; step: number };
  steps: StepRecord[];
  plan: TrainPlan;
  /** What a run that stopped early did not do (empty when it completed). */
  skipped: string[];
  metaNotes: string;
  evaluations: { baselineVal: Evaluation; bestVal: Evaluation; baselineTest: Evaluation | null; bestTest: Evaluation | null };
}

/** Re-exported for callers that only import types. */
export type { MergedEdit };
