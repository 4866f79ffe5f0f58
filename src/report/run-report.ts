import type { TrainResult, StepRecord, EditRecord } from '../train/types.js';
import type { TrainerConfig } from '../train/config.js';
import type { LedgerSummary, BudgetSnapshot } from '../models/decorators/index.js';
import { diffSkills } from '../skills/diff.js';
import { formatPercent } from './format.js';

/** The machine-readable report of one run (report.json); the Markdown report renders this. */
export interface RunReport {
  version: 1;
  kind: 'night' | 'train' | 'demo';
  skillName: string;
  startedAt: string;
  finishedAt: string;
  status: TrainResult['status'];
  stopReason: string | null;
  error: TrainResult['error'];
  skipped: string[];
  headline: { baselineVal: number; bestVal: number; baselineTest: number | null; bestTest: number | null; testDelta: number | null };
  splits: TrainResult['splits'];
  /** Steps sized to the replay set, alpha spread over the night's decisions, and what the gate can prove. */
  plan: TrainResult['plan'];
  settings: { gate: TrainerConfig['gate']; gateMetric: TrainerConfig['gateMetric']; schedule: TrainerConfig['schedule']; valSamples: number; testSamples: number; attribution: boolean; epochs: number };
  edits: { accepted: number; rejected: number; unmatched: number; clipped: number; droppedByAttribution: number };
  steps: Array<{
    epoch: number;
    step: number;
    kind: StepRecord['kind'];
    action: StepRecord['action'];
    budget: number | null;
    rollout: StepRecord['rollout'];
    reflections: StepRecord['reflections'];
    gate: null | { accepted: boolean; reason: string; incumbent: number; candidate: number; meanDelta: number; pValue: number | null; perTask: Array<{ taskId: string; delta: number }> };
    edits: Array<{ op: string; anchor?: string; content?: string; status: EditRecord['status']; support: number; sourceType: string; contribution?: number; contributionTest?: EditRecord['contributionTest']; evidence: string[]; rationale?: string; unmatched?: string }>;
    note?: string;
  }>;
  testPerTask: Array<{ taskId: string; baseline: number; best: number }>;
  calls: LedgerSummary;
  cache: { hits: number; misses: number };
  budget: BudgetSnapshot;
  diff: string;
  bestSkill: string;
  metaNotes: string;
  /** Reflection and slow-update replies, and how many could not be used (prose instead of JSON, failed calls). */
  optimizerReplies: { total: number; unusable: number; firstUnusable?: string };
  /** Samples whose call kept failing (rate limits, outages) and were left out of the scores. */
  missingSamples: number;
  /** What a person must read even when the run completed. */
  warnings: string[];
}

/** What the report must say even when the run completed: unusable optimizer replies, missing samples, undecided gates. */
export function runWarnings(result: TrainResult): { optimizerReplies: RunReport['optimizerReplies']; missingSamples: number; warnings: string[] } {
  const total = result.steps.reduce((n, s) => n + s.reflections.calls, 0);
  const unusable = result.steps.reduce((n, s) => n + s.reflections.unusable, 0);
  const firstUnusable = result.steps.map((s) => s.reflections.firstUnusable).find((h) => h !== undefined);
  const e = result.evaluations;
  // The best skill may be the baseline: count each evaluation once.
  const distinct = new Set([e.baselineVal, e.bestVal, e.baselineTest, e.bestTest].filter((ev) => ev !== null));
  const missingSamples = [...distinct].reduce((n, ev) => n + (ev.missing?.length ?? 0), 0);
  const undecided = result.steps.filter((s) => s.action === 'undecided').length;
  const warnings: string[] = [];
  if (unusable > 0) {
    warnings.push(
      `${unusable} of ${total} optimizer replies were not usable${firstUnusable ? `; the first began: "${firstUnusable}"` : ''} (check that the optimizer model can answer in JSON: run \`skillopt-sleep doctor\`)`,
    );
  }
  if (missingSamples > 0) warnings.push(`${missingSamples} sample(s) went missing after retries (rate limits or outages) and were left out of the scores`);
  if (undecided > 0) warnings.push(`${undecided} gate decision(s) were undecided: too many val samples were missing to accept or reject`);
  return { optimizerReplies: { total, unusable, ...(firstUnusable !== undefined ? { firstUnusable } : {}) }, missingSamples, warnings };
}

/** Build the report from a run's result and its accounting. */
export function buildRunReport(input: {
  kind: RunReport['kind'];
  skillName: string;
  startedAt: string;
  finishedAt: string;
  result: TrainResult;
  config: TrainerConfig;
  calls: LedgerSummary;
  cache: { hits: number; misses: number };
  budget: BudgetSnapshot;
}): RunReport {
  const { result } = input;
  const all = result.steps.flatMap((s) => s.edits);
  const count = (status: EditRecord['status']) => all.filter((e) => e.status === status).length;
  const baseTest = result.evaluations.baselineTest?.perTask;
  const bestTest = result.evaluations.bestTest?.perTask;
  return {
    version: 1,
    kind: input.kind,
    skillName: input.skillName,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    status: result.status,
    stopReason: result.stopReason,
    error: result.error,
    skipped: result.skipped,
    headline: {
      baselineVal: result.baseline.val,
      bestVal: result.best.val,
      baselineTest: result.baseline.test,
      bestTest: result.best.test,
      testDelta: result.baseline.test !== null && result.best.test !== null ? result.best.test - result.baseline.test : null,
    },
    splits: result.splits,
    plan: result.plan,
    settings: {
      gate: input.config.gate,
      gateMetric: input.config.gateMetric,
      schedule: input.config.schedule,
      valSamples: result.plan.power?.valSamples ?? input.config.valSamples,
      testSamples: input.config.testSamples,
      attribution: input.config.attribution,
      epochs: input.config.epochs,
    },
    edits: { accepted: count('accepted'), rejected: count('rejected'), unmatched: count('unmatched'), clipped: count('clipped'), droppedByAttribution: count('dropped_by_attribution') },
    steps: result.steps.map((s) => ({
      epoch: s.epoch,
      step: s.step,
      kind: s.kind,
      action: s.action,
      budget: s.budget,
      rollout: s.rollout,
      reflections: s.reflections,
      gate: s.gate
        ? { accepted: s.gate.accepted, reason: s.gate.reason, incumbent: s.gate.incumbentMean, candidate: s.gate.candidateMean, meanDelta: s.gate.meanDelta, pValue: s.gate.pValue, perTask: s.gate.perTask.map((t) => ({ taskId: t.taskId, delta: t.delta })) }
        : null,
      edits: s.edits.map((e) => ({
        op: e.edit.op,
        ...(e.edit.anchor !== undefined ? { anchor: e.edit.anchor } : {}),
        ...(e.edit.content !== undefined ? { content: e.edit.content } : {}),
        status: e.status,
        support: e.support,
        sourceType: e.sourceType,
        ...(e.contribution !== undefined ? { contribution: e.contribution } : {}),
        ...(e.contributionTest !== undefined ? { contributionTest: e.contributionTest } : {}),
        evidence: e.edit.evidence ?? [],
        ...(e.edit.rationale ? { rationale: e.edit.rationale } : {}),
        ...(e.outcome?.status === 'unmatched' ? { unmatched: `${e.outcome.reason}: ${e.outcome.detail}` } : {}),
      })),
      ...(s.note ? { note: s.note } : {}),
    })),
    testPerTask: baseTest && bestTest ? [...baseTest.keys()].map((id) => ({ taskId: id, baseline: baseTest.get(id) ?? 0, best: bestTest.get(id) ?? 0 })) : [],
    calls: input.calls,
    cache: input.cache,
    budget: input.budget,
    diff: diffSkills(result.baseline.skill, result.best.skill),
    bestSkill: result.best.skill,
    metaNotes: result.metaNotes,
    ...runWarnings(result),
  };
}

const signedPts = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`);
const cell = (text: string, max = 90) => {
  const one = text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};

/** "contribution +25.0 pts (95% CI +18.1 to +31.9, p 0.0001)" for an edit attribution measured. */
function contributionText(e: RunReport['steps'][number]['edits'][number]): string {
  if (e.contribution === undefined) return '';
  const t = e.contributionTest;
  const ci = t ? ` (95% CI ${signedPts(t.low)} to ${signedPts(t.high)}, p ${t.pValue < 0.001 ? t.pValue.toExponential(1) : t.pValue.toFixed(3)} vs level ${t.level.toPrecision(2)}, ${t.n} pairs)` : '';
  return ` · contribution ${signedPts(e.contribution)}${ci}`;
}

/** One sentence on how the night was laid out. */
export function planLine(plan: RunReport['plan']): string {
  const steps = `${plan.totalSteps} step(s) of ${plan.batchSize} train task(s)`;
  const p = plan.power;
  if (!p) return `${steps}; strict gate (no alpha to spend)`;
  const lvl = (x: number) => (x < 0.001 ? x.toExponential(1) : String(Number(x.toPrecision(3))));
  return `${steps}; alpha ${p.alpha} spread over ${plan.decisions} gate decision(s) (${lvl(p.alphaPerDecision)} for the first); ${p.units} paired ${p.unit === 'sample' ? 'samples' : 'tasks'} allow p down to ${lvl(p.minPValue)}`;
}

/** Render the report as Markdown for a person. */
export function renderRunMarkdown(r: RunReport): string {
  const lines: string[] = [];
  lines.push(`# skillopt-sleep ${r.kind} report: ${r.skillName}`, '');
  lines.push(`${r.startedAt} to ${r.finishedAt} · status **${r.status}**${r.stopReason ? ` (${r.stopReason})` : ''}`, '');
  if (r.error) lines.push(`> **Error ${r.error.code}:** ${r.error.message}${r.error.hint ? `\n> Fix: ${r.error.hint}` : ''}`, '');
  if (r.skipped.length > 0) lines.push('**Stopped early; not done:**', ...r.skipped.map((x) => `- ${x}`), '');
  if (r.plan.power?.message) lines.push(`> **${r.plan.power.canDecide ? 'Note' : 'Cannot prove a gain yet'}:** ${r.plan.power.message}`, '');
  for (const w of r.warnings ?? []) lines.push(`> **Warning:** ${w}`, '');
  lines.push('## Held-out scores', '', '| split | baseline | best skill | change |', '|---|---|---|---|');
  lines.push(`| val (${r.splits.val.length} tasks × ${r.settings.valSamples}) | ${formatPercent(r.headline.baselineVal)} | ${formatPercent(r.headline.bestVal)} | ${signedPts(r.headline.bestVal - r.headline.baselineVal)} |`);
  lines.push(`| **test** (${r.splits.test.length} tasks × ${r.settings.testSamples}) | ${formatPercent(r.headline.baselineTest)} | ${formatPercent(r.headline.bestTest)} | **${signedPts(r.headline.testDelta)}** |`, '');
  lines.push(`Train ${r.splits.train.length} tasks. Gate: ${r.settings.gate.mode}${r.settings.gate.mode === 'paired' ? ` (alpha ${r.settings.gate.alpha}, unit ${r.settings.gate.unit ?? 'sample'})` : ''}; metric ${r.settings.gateMetric}; schedule ${r.settings.schedule.kind} ${r.settings.schedule.max}→${r.settings.schedule.min}.`, '');
  lines.push(`Plan: ${planLine(r.plan)}.`, '');
  lines.push(`Edits: ${r.edits.accepted} accepted, ${r.edits.rejected} rejected by the gate, ${r.edits.droppedByAttribution} dropped by attribution, ${r.edits.unmatched} unmatched, ${r.edits.clipped} clipped by the budget.`, '');
  lines.push('## Steps', '', '| step | kind | action | L_t | train fail | gate |', '|---|---|---|---|---|---|');
  for (const s of r.steps) {
    lines.push(`| ${s.step} | ${s.kind} | ${s.action} | ${s.budget ?? '-'} | ${s.rollout ? `${s.rollout.failed}/${s.rollout.n}` : '-'} | ${s.gate ? cell(s.gate.reason, 140) : (s.note ?? '-')} |`);
  }
  lines.push('');
  const trials = r.steps.filter((s) => s.gate && s.gate.perTask.length > 0);
  if (trials.length > 0) {
    lines.push('## Gate trials: per-task val deltas (candidate - incumbent)', '');
    for (const s of trials) {
      const g = s.gate!;
      const deltas = g.perTask.map((t) => `${t.taskId} ${t.delta > 0 ? '+' : ''}${t.delta.toFixed(2)}`).join(', ');
      lines.push(`- step ${s.step} (${s.kind}) ${g.accepted ? 'accepted' : 'rejected'}: ${formatPercent(g.incumbent)} -> ${formatPercent(g.candidate)}${g.pValue !== null ? `, p ${g.pValue < 0.001 ? g.pValue.toExponential(1) : g.pValue.toFixed(3)}` : ''}; ${deltas}`);
    }
    lines.push('');
  }
  const byStatus = (status: string) => r.steps.flatMap((s) => s.edits.filter((e) => e.status === status).map((e) => ({ step: s.step, e })));
  const section = (title: string, status: string, extra: (e: RunReport['steps'][number]['edits'][number]) => string) => {
    const items = byStatus(status);
    lines.push(`## ${title} (${items.length})`, '');
    if (items.length === 0) lines.push('(none)');
    for (const { step, e } of items) {
      lines.push(`- step ${step} · \`${e.op}\`${e.anchor ? ` after/at ${JSON.stringify(cell(e.anchor, 50))}` : ''}: ${JSON.stringify(cell(e.content ?? '', 160))}${extra(e)}`);
      if (e.evidence.length > 0 || e.rationale) lines.push(`  - evidence: ${e.evidence.join(', ') || 'none'} (support ${e.support}, ${e.sourceType})${e.rationale ? ` · ${cell(e.rationale, 160)}` : ''}`);
    }
    lines.push('');
  };
  section('Accepted edits', 'accepted', contributionText);
  section('Rejected edits', 'rejected', () => '');
  if (byStatus('undecided').length > 0) section('Undecided edits (too many val samples missing)', 'undecided', () => '');
  section('Dropped by attribution (no significant contribution)', 'dropped_by_attribution', contributionText);
  section('Unmatched edits (not applied)', 'unmatched', (e) => (e.unmatched ? ` · ${e.unmatched}` : ''));
  if (r.testPerTask.length > 0) {
    lines.push('## Test tasks', '', '| task | baseline | best | change |', '|---|---|---|---|');
    for (const t of r.testPerTask) lines.push(`| ${t.taskId} | ${formatPercent(t.baseline)} | ${formatPercent(t.best)} | ${signedPts(t.best - t.baseline)} |`);
    lines.push('');
  }
  const t = r.calls.total;
  lines.push('## Cost', '', `${t.calls} model calls (${t.cachedCalls} from the replay cache, ${t.errors} failed), ${t.inputTokens} input + ${t.outputTokens} output tokens${t.estimatedCalls > 0 ? ` (${t.estimatedCalls} calls estimated)` : ''}, $${t.costUsd.toFixed(4)}${t.unpricedCalls > 0 ? ` + ${t.unpricedCalls} calls without a known price` : ''}.`, '');
  lines.push('| purpose | calls | input tokens | output tokens |', '|---|---|---|---|');
  for (const [purpose, v] of Object.entries(r.calls.byPurpose)) lines.push(`| ${purpose} | ${v.calls} | ${v.inputTokens} | ${v.outputTokens} |`);
  lines.push('');
  lines.push('## Skill diff (baseline → best)', '', '```diff', r.diff.trimEnd() || '(no change)', '```', '');
  return lines.join('\n');
}
