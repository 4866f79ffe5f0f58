import type { Edit } from '../skills/types.js';

/** Why an edit was rejected: the gate, attribution (no measurable contribution), a policy flag, the person at review, or a contradiction. */
export type RejectionReason = 'gate' | 'no_contribution' | 'policy' | 'review' | 'contradiction';

/** A rejected edit remembered from an earlier night (or earlier in this one). */
export interface RememberedRejection {
  edit: Edit;
  reason: RejectionReason;
  /** Val points the edit cost when it was measured (positive: it lowered the score); null when not measured. */
  scoreDrop: number | null;
  night: number | null;
  at: string;
}

/** A new entry for the memory; the composition root adds the skill key, night, run and time. */
export interface RejectionEntry {
  edit: Edit;
  reason: RejectionReason;
  scoreDrop: number | null;
}

/**
 * The rejected-edit memory across nights, as the trainer sees it (SQLite behind it in the app; pure train/
 * code never imports the store). `recent` is read once per run, before the first step; `add` is called as
 * edits are rejected, so a run that stops early still remembers what it learnt.
 */
export interface RejectedEditMemory {
  recent(): readonly RememberedRejection[];
  add(entries: readonly RejectionEntry[]): void;
}
