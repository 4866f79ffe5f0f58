// What every renderer of the morning report shows, computed once from the report (pure).
import type { NightReport, NightSkillSection } from './night-report.js';
import { formatPercent } from './format.js';

/** One edit as the report lists it. */
export interface EditView {
  step: number;
  op: string;
  anchor?: string;
  content: string;
  rationale: string;
  support: number;
  sourceType: string;
  evidence: Array<{ id: string; prompt: string }>;
  contribution?: number;
  scoreDrop?: number;
  unmatched?: string;
  flagged?: string;
}

/** A skill's headline and lists, ready to print. */
export interface SkillView {
  name: string;
  headline: string;
  decision: string;
  applied: EditView[];
  rejected: EditView[];
  dropped: EditView[];
  unmatched: EditView[];
  perTask: Array<{ taskId: string; before: number; after: number; delta: number }>;
}

/** Signed change in points: +12.5 pts. */
export const signedPts = (x: number | null): string => (x === null || Number.isNaN(x) ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`);

const DECISION: Record<NightSkillSection['decision'], string> = {
  proposed: 'proposal staged, waiting for your decision',
  'auto-adopted': 'adopted automatically',
  'no-change': 'no change: nothing passed the gate',
  failed: 'training failed',
  'dry-run': 'dry run: nothing staged',
  skipped: 'skipped',
};

/** The headline, the decision and every edit list of one skill. */
export function skillView(s: NightSkillSection): SkillView {
  const r = s.run;
  const flaggedBy = new Map(s.flagged.map((f) => [f.content, f.detail]));
  const edits = (status: string): EditView[] =>
    (r?.steps ?? []).flatMap((step) =>
      step.edits
        .filter((e) => e.status === status)
        .map((e) => ({
          step: step.step,
          op: e.op,
          ...(e.anchor !== undefined ? { anchor: e.anchor } : {}),
          content: e.content ?? '',
          rationale: e.rationale ?? '',
          support: e.support,
          sourceType: e.sourceType,
          evidence: e.evidence.map((id) => ({ id, prompt: s.taskPrompts[id] ?? '' })),
          ...(e.contribution !== undefined ? { contribution: e.contribution } : {}),
          ...(status === 'rejected' && step.gate ? { scoreDrop: step.gate.meanDelta } : {}),
          ...(e.unmatched ? { unmatched: e.unmatched } : {}),
          ...(flaggedBy.has(e.content ?? '') && status === 'accepted' ? { flagged: flaggedBy.get(e.content ?? '')! } : {}),
        })),
    );
  const applied = edits('accepted').sort((a, b) => Number(b.flagged !== undefined) - Number(a.flagged !== undefined));
  const headline = r
    ? `held-out test ${formatPercent(r.headline.baselineTest)} -> ${formatPercent(r.headline.bestTest)} (${signedPts(r.headline.testDelta)}, ${r.splits.test.length} tasks x ${r.settings.testSamples}); val ${formatPercent(r.headline.baselineVal)} -> ${formatPercent(r.headline.bestVal)} (${r.splits.val.length} tasks)`
    : (s.reason ?? 'not trained');
  return {
    name: s.name,
    headline,
    decision: `${DECISION[s.decision]}${s.decisionReason && s.decision !== 'skipped' ? ` (${s.decisionReason})` : ''}`,
    applied,
    rejected: edits('rejected'),
    dropped: edits('dropped_by_attribution'),
    unmatched: edits('unmatched'),
    perTask: (r?.testPerTask ?? []).map((t) => ({ taskId: t.taskId, before: t.baseline, after: t.best, delta: t.best - t.baseline })).sort((a, b) => a.delta - b.delta || a.taskId.localeCompare(b.taskId)),
  };
}

/** One line per night figure a person scans first. */
export function nightFacts(r: NightReport): string[] {
  return [
    `harvested ${r.harvest.sessions} session${r.harvest.sessions === 1 ? '' : 's'} from ${r.harvest.filesRead} file${r.harvest.filesRead === 1 ? '' : 's'} (${r.harvest.skippedLines} malformed lines skipped, ${r.harvest.secretsRedacted} secrets redacted)`,
    `mined ${r.mine.sessionsRead} sessions: ${r.mine.recurringFamilies} recurring families, ${r.mine.tasksNew} new and ${r.mine.tasksUpdated} updated tasks`,
    `replay set: ${r.replaySet.total} active tasks (train ${r.replaySet.train}, val ${r.replaySet.val}, test ${r.replaySet.test}${r.replaySet.unsplit > 0 ? `, unsplit ${r.replaySet.unsplit}` : ''})`,
    `cost: ${r.cost.calls} model calls (${r.cost.cachedCalls} cached), ${r.cost.inputTokens + r.cost.outputTokens} tokens, ${r.cost.minutes.toFixed(2)} minutes, $${r.cost.usd.toFixed(4)}`,
  ];
}
