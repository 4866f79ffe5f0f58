import { shortHash } from '../core/hash.js';
import type { StepRecord } from './types.js';

/**
 * The record of a step or slow update that proposed nothing (yet): no rollout, no reflection, no edit, no gate; its
 * val and skill are the incumbent's. Each caller fills in what it did.
 */
export function emptyStep(at: { epoch: number; step: number; kind: StepRecord['kind']; valAfter: number; skill: string }): StepRecord {
  return {
    epoch: at.epoch,
    step: at.step,
    kind: at.kind,
    action: 'skipped_no_edits',
    budget: null,
    rollout: null,
    reflections: { calls: 0, unusable: 0, proposed: 0, problems: [] },
    merged: 0,
    edits: [],
    gate: null,
    gateAfterAttribution: null,
    valAfter: at.valAfter,
    skillHash: shortHash(at.skill),
  };
}
