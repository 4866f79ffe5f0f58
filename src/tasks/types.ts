import type { Judge } from '../judges/types.js';

/** Which held-out role a task plays. */
export type Split = 'train' | 'val' | 'test';

/** What the simulated target needs to act out a task: never shown to the optimizer. */
export interface SimulationSpec {
  /** The plain answer the target gives before any skill instruction changes it. */
  answer: string;
  /** A tool the task would use (the `call a tool first` behaviour calls it). */
  tool?: string;
  /** A structured form of the answer (the `JSON only` behaviour prints it). */
  json?: Record<string, unknown>;
  /** Sources the answer rests on (the `cite sources` behaviour lists them). */
  sources?: string[];
  /** Extra per-task baseline slip probability (some tasks are harder). */
  difficulty?: number;
}

/** One replayable task. */
export interface Task {
  id: string;
  prompt: string;
  context?: string;
  judge: Judge;
  split?: Split;
  tags?: string[];
  simulation?: SimulationSpec;
  /** real = mined from the user's sessions; dream = a synthetic variant (train only). */
  origin?: 'real' | 'dream';
  family?: string;
}
