// The morning report's model (report.json): plain data every renderer (Markdown, HTML, terminal) reads.
import type { RunReport } from './run-report.js';

/** One skill's part of a night. */
export interface NightSkillSection {
  name: string;
  kind: 'managed' | 'user';
  locations: Array<{ agent: string; path: string }>;
  action: 'trained' | 'skipped';
  reason: string | null;
  tasks: { train: number; val: number; test: number; unsplit: number };
  /** The version the night trained on. */
  baseVersion: number | null;
  decision: 'proposed' | 'auto-adopted' | 'no-change' | 'failed' | 'dry-run' | 'skipped';
  decisionReason: string;
  proposalId: number | null;
  /** Edits the policy flagged, with their text: shown first, never adopted automatically. */
  flagged: Array<{ edit: number; kinds: string[]; detail: string; content: string }>;
  /** The trainer's report (scores, steps, edits, per-task deltas, diff, calls); null when skipped. */
  run: RunReport | null;
  /** Prompts of the tasks named as evidence, shortened (already redacted at harvest). */
  taskPrompts: Record<string, string>;
  /** Held-out test score before and after, this night and earlier ones, oldest first. */
  history: Array<{ night: number; before: number | null; after: number | null }>;
}

/** Everything one night did, for report.json. */
export interface NightReport {
  version: 1;
  night: number;
  startedAt: string;
  finishedAt: string;
  status: 'completed' | 'failed' | 'budget_exhausted' | 'interrupted';
  dryRun: boolean;
  trigger: string;
  harvest: { sessions: number; filesRead: number; skippedLines: number; secretsRedacted: number; sources: Array<{ source: string; filesRead: number; sessions: number; skippedLines: number }> };
  mine: { sessionsRead: number; recurringFamilies: number; tasksNew: number; tasksUpdated: number; gameable: number };
  replaySet: { train: number; val: number; test: number; unsplit: number; total: number };
  recorded: string[];
  skills: NightSkillSection[];
  warnings: string[];
  cost: { calls: number; cachedCalls: number; inputTokens: number; outputTokens: number; usd: number; minutes: number };
  commands: string[];
  error: string | null;
}

/** The commands a person may run next, exactly as typed. */
export function nightCommands(night: number, skills: readonly NightSkillSection[]): string[] {
  const proposed = skills.filter((s) => s.decision === 'proposed');
  const lines: string[] = [];
  for (const s of proposed) {
    lines.push(`skillopt-sleep adopt --night ${night} --skill ${s.name}`, `skillopt-sleep reject --night ${night} --skill ${s.name}`);
  }
  if (proposed.length > 1) lines.push(`skillopt-sleep adopt --night ${night} --all`);
  for (const s of proposed) lines.push(`skillopt-sleep diff ${s.name}`);
  for (const s of skills.filter((x) => x.decision === 'auto-adopted')) lines.push(`skillopt-sleep history ${s.name}`, `skillopt-sleep rollback ${s.name}`);
  return lines;
}

/** Warnings a person should read before deciding. */
export function nightWarnings(input: { skills: readonly NightSkillSection[]; gameable: number; minHoldout: number }): string[] {
  const out: string[] = [];
  for (const s of input.skills) {
    if (s.flagged.length > 0) out.push(`${s.name}: ${s.flagged.length} edit${s.flagged.length === 1 ? '' : 's'} flagged by the edit policy (${[...new Set(s.flagged.flatMap((f) => f.kinds))].join(', ')}); read them before adopting, they are never adopted automatically`);
    if (s.run?.status === 'budget_exhausted') out.push(`${s.name}: the night's budget ran out (${s.run.stopReason ?? 'budget spent'}); not done: ${s.run.skipped.join('; ') || 'nothing'}`);
    if (s.run?.status === 'failed') out.push(`${s.name}: training failed: ${s.run.error?.message ?? 'unknown error'}`);
    if (s.run && s.run.splits.test.length < input.minHoldout) out.push(`${s.name}: the held-out test set is small (${s.run.splits.test.length} task${s.run.splits.test.length === 1 ? '' : 's'}); treat the headline as a hint, not a measurement`);
  }
  if (input.gameable > 0) out.push(`${input.gameable} mined task${input.gameable === 1 ? ' has a judge' : 's have judges'} a trivial answer could pass (gameable); review them with \`skillopt-sleep tasks list\``);
  return out;
}
