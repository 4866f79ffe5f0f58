import type { GateConfig } from './gate.js';
import type { ScheduleKind } from './schedule.js';
import type { GateMetric } from './evaluate.js';
import { DEFAULT_SPLIT_CONFIG, type SplitConfig } from '../tasks/splits.js';

/** Every number of the trainer; defaults follow the paper where it has one. */
export interface TrainerConfig {
  epochs: number;
  batchSize: number;
  minibatchSize: number;
  failureOnly: boolean;
  schedule: { kind: ScheduleKind; max: number; min: number };
  gate: GateConfig;
  gateMetric: GateMetric;
  mixedWeight: number;
  /** Samples per val/test task; the gate pairs incumbent and candidate on the same indices. */
  valSamples: number;
  testSamples: number;
  attribution: boolean;
  slowUpdate: boolean;
  slowUpdateSamples: number;
  metaNotes: boolean;
  split: SplitConfig;
  seed: number;
  /** Per-step cap on reflection replies kept per minibatch (the analyst cap; the schedule clips after merging). */
  maxEditsPerReflection: number;
  /** Share of val pairs that may be missing (calls that kept failing) before a gate decision is "undecided". */
  maxMissingShare?: number;
}

/** The defaults (paper values where they exist; our paired gate and attribution on). */
export const DEFAULT_TRAINER_CONFIG: TrainerConfig = {
  epochs: 1,
  batchSize: 40,
  minibatchSize: 8,
  failureOnly: false,
  schedule: { kind: 'cosine', max: 4, min: 2 },
  gate: { mode: 'paired', alpha: 0.05, minDelta: 0, noRegression: false, regressionTolerance: 0 },
  gateMetric: 'hard',
  mixedWeight: 0.5,
  valSamples: 3,
  testSamples: 3,
  attribution: true,
  slowUpdate: true,
  slowUpdateSamples: 20,
  metaNotes: true,
  split: DEFAULT_SPLIT_CONFIG,
  seed: 42,
  maxEditsPerReflection: 4,
};
