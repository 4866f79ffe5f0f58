import type { Clock } from '../core/clock.js';
import { SkillOptError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Split, Task } from '../tasks/types.js';
import { isOwnReplayCwd } from '../core/own-replay.js';
import type { SessionDigest } from '../harvest/types.js';
import type { ModelBackend } from '../models/types.js';
import type { Db } from '../store/db.js';
import { listTasks, upsertMinedTask } from '../store/tasks-repo.js';
import { DEFAULT_SPLIT_CONFIG, type SplitConfig } from '../tasks/splits.js';
import { FamilyIndex } from '../mine/cluster.js';
import { MineConfigSchema, type MineConfig } from '../mine/config.js';
import {
  countFamilies,
  getFamily,
  getMemberFamily,
  insertFamily,
  listMembers,
  listPendingSessions,
  loadFamilyIndexData,
  markSessionMined,
  refreshFamilyStats,
  upsertMember,
  type FamilyRecord,
  type PendingSession,
} from '../store/families-repo.js';
import { cosine, readPrompt, vectorize } from '../mine/features.js';
import { labelOutcomes } from '../mine/labels.js';
import { mineWithModel } from '../mine/llm-miner.js';
import { planFamilyTasks, type TaskCandidate } from '../mine/task-builder.js';
import { assignMinedSplits } from '../tasks/mined-splits.js';
import type { MineReport } from '../mine/report.js';

export type { MineReport } from '../mine/report.js';

/** What runMine needs from the outside. */
export interface MineDeps {
  db: Db;
  clock: Clock;
  /** The optimizer model: when given (and config.llm is auto) it writes task prompts and judges. */
  optimizer?: ModelBackend | undefined;
  logger?: Logger | undefined;
}

/** Options of one run. */
export interface MineOptions {
  config?: Partial<MineConfig>;
  split?: SplitConfig;
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}\n[… cut at ${max} characters]` : text;
}

function isOwnReplay(session: PendingSession, digest: SessionDigest): boolean {
  return session.ownReplay || digest.ownReplay === true || isOwnReplayCwd(digest.project?.cwd);
}

/**
 * Mine the sessions harvested since the last run: cluster their task prompts into families (ids stable,
 * founded by their first member), label outcomes with evidence, then write replay tasks for families that
 * recur: heuristic judges from the user's corrections, or the optimizer's when one is given. Own replays
 * are skipped; caps per family and per run keep one noisy request from flooding the replay set.
 */
export async function runMine(deps: MineDeps, opts: MineOptions = {}): Promise<MineReport> {
  const parsed = MineConfigSchema.safeParse(opts.config ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `mine.${i.path.map(String).join('.')}: ${i.message}`).join('; ');
    throw new SkillOptError('CONFIG', `invalid mining settings: ${problems}`, { hint: 'fix that key in the "mine" section of config.json, or remove it to use the default' });
  }
  const config = parsed.data;
  const now = deps.clock.now().toISOString();
  const report: MineReport = {
    sessions: { read: 0, mined: 0, skipped: {} },
    prompts: { clustered: 0, refreshed: 0, skipped: {} },
    families: { total: 0, recurring: 0, created: 0, updated: 0 },
    tasks: { new: 0, updated: 0, unchanged: 0, gameable: 0, cappedPerFamily: 0, cappedPerRun: 0 },
    llm: { calls: 0, failures: 0, droppedChecks: 0, reasons: [] },
    touched: [],
  };
  const touched = clusterPending(deps.db, config, now, report);
  report.families.updated = touched.size - report.families.created;
  const families = countFamilies(deps.db, config.minSessions);
  report.families.total = families.total;
  report.families.recurring = families.recurring;
  await writeTasks(deps, config, opts.split ?? DEFAULT_SPLIT_CONFIG, touched, now, report);
  deps.logger?.info({ mine: { sessions: report.sessions, tasks: report.tasks } }, 'mining finished');
  return report;
}

/** Cluster and label every pending session in one transaction; returns the ids of families that changed. */
function clusterPending(db: Db, config: MineConfig, now: string, report: MineReport): Map<string, Set<string>> {
  const touched = new Map<string, Set<string>>();
  const pending = listPendingSessions(db);
  if (pending.length === 0) return touched;
  const index = new FamilyIndex({ threshold: config.similarity, exemplars: config.exemplars });
  for (const { family, sessions, exemplarPrompts } of loadFamilyIndexData(db, config.exemplars)) {
    const texts = exemplarPrompts.map((p) => readPrompt(p)).flatMap((r) => (r.ok ? [r.text] : []));
    index.restore({ id: family.id, founderKey: family.founderKey, sessions, memberCount: family.memberCount, exemplarTexts: texts });
  }
  const isReask = (a: string, b: string) => {
    const ra = readPrompt(a);
    const rb = readPrompt(b);
    return ra.ok && rb.ok && cosine(vectorize(ra.text), vectorize(rb.text)) >= config.similarity;
  };
  db.transaction(() => {
    for (const session of pending) {
      report.sessions.read++;
      const digest = session.digest;
      if (!digest || !Array.isArray(digest.prompts)) {
        bump(report.sessions.skipped, 'unreadable');
        markSessionMined(db, session, 'unreadable', now);
        continue;
      }
      if (isOwnReplay(session, digest)) {
        bump(report.sessions.skipped, 'own_replay');
        markSessionMined(db, session, 'own_replay', now);
        continue;
      }
      const sessionKey = `${session.source}:${session.sessionId}`;
      let clustered = 0;
      for (const label of labelOutcomes(digest, isReask)) {
        const prompt = digest.prompts[label.promptIndex];
        const reading = readPrompt(prompt?.text, prompt?.command);
        if (!reading.ok) {
          bump(report.prompts.skipped, reading.reason);
          continue;
        }
        const answer = Array.isArray(digest.finalAnswers) ? digest.finalAnswers[label.promptIndex] : undefined;
        const member = {
          source: session.source,
          sessionId: session.sessionId,
          promptIndex: label.promptIndex,
          prompt: clip((prompt?.text ?? '').trim(), config.maxPromptChars),
          ...(typeof answer === 'string' && answer.trim() !== '' ? { answer: clip(answer.trim(), config.maxPromptChars) } : {}),
          ...(prompt?.at ?? digest.startedAt ?? session.harvestedAt ? { at: prompt?.at ?? digest.startedAt ?? session.harvestedAt } : {}),
          ...(digest.project?.cwd ? { project: digest.project.cwd } : {}),
          outcome: label.outcome,
          evidence: label.evidence,
          directives: label.directives,
        };
        const known = getMemberFamily(db, session.source, session.sessionId, label.promptIndex);
        let familyId = known;
        if (known) report.prompts.refreshed++;
        else {
          const assignment = index.assign({ key: `${sessionKey}:${label.promptIndex}`, sessionKey, text: reading.text });
          familyId = assignment.familyId;
          if (assignment.created) {
            insertFamily(db, { id: familyId, founderKey: `${sessionKey}:${label.promptIndex}`, label: reading.text.replace(/\s+/g, ' ').slice(0, 120) }, now);
            report.families.created++;
          }
          report.prompts.clustered++;
        }
        upsertMember(db, { ...member, familyId: familyId as string });
        const skills = touched.get(familyId as string) ?? new Set<string>();
        for (const skill of Array.isArray(digest.skills) ? digest.skills : []) if (typeof skill === 'string') skills.add(skill);
        touched.set(familyId as string, skills);
        clustered++;
      }
      if (clustered === 0) bump(report.sessions.skipped, 'no_prompt');
      else report.sessions.mined++;
      markSessionMined(db, session, clustered === 0 ? 'no_prompt' : null, now);
    }
    for (const [familyId, skills] of touched) refreshFamilyStats(db, familyId, { skills: [...skills] }, now);
  })();
  return touched;
}

/** Plan, (optionally) LLM-mine, split and store the tasks of recurring families that changed. */
async function writeTasks(deps: MineDeps, config: MineConfig, splitConfig: SplitConfig, touched: Map<string, Set<string>>, now: string, report: MineReport): Promise<void> {
  const { db } = deps;
  const stored = listTasks(db);
  const storedIds = new Set(stored.map((t) => t.id));
  const storedMiner = new Map(stored.map((t) => [t.id, t.provenance.miner]));
  const recurring = [...touched.keys()]
    .map((id) => getFamily(db, id))
    .filter((f): f is FamilyRecord => f !== undefined && f.sessionCount >= config.minSessions)
    .sort((a, b) => b.sessionCount - a.sessionCount || (a.id < b.id ? -1 : 1));
  const useLlm = deps.optimizer !== undefined && config.llm === 'auto';
  const chosen: TaskCandidate[] = [];
  let newBudget = config.maxNewTasksPerRun;
  for (const family of recurring) {
    const members = listMembers(db, family.id);
    const record = { id: family.id, founderKey: family.founderKey, label: family.label, sessionCount: family.sessionCount, memberCount: family.memberCount, projects: [], skills: [], sources: [] };
    const plan = planFamilyTasks(record, members, storedIds, { maxTasksPerFamily: config.maxTasksPerFamily });
    report.tasks.cappedPerFamily += plan.cappedByFamily;
    for (const candidate of plan.candidates) {
      if (!candidate.existing) {
        if (newBudget <= 0) {
          report.tasks.cappedPerRun++;
          continue;
        }
        newBudget--;
      } else if (storedMiner.get(candidate.task.id) === 'llm' && !useLlm) {
        // A model-written judge is not replaced by a heuristic one during a model-free (daytime) run.
        report.tasks.unchanged++;
        continue;
      }
      chosen.push(candidate);
    }
    report.touched.push({ id: family.id, label: family.label, sessions: family.sessionCount, members: family.memberCount, tasks: plan.candidates.length });
  }
  report.touched = report.touched.slice(0, 20);

  if (useLlm && deps.optimizer) {
    for (const candidate of chosen) {
      report.llm.calls++;
      const mined = await mineWithModel(deps.optimizer, candidate.mineInput);
      if (!mined.ok) {
        report.llm.failures++;
        if (report.llm.reasons.length < 5) report.llm.reasons.push(mined.reason);
        continue;
      }
      report.llm.droppedChecks += mined.value.dropped.length;
      candidate.task = {
        ...candidate.task,
        prompt: mined.value.prompt,
        ...(mined.value.context ? { context: mined.value.context } : {}),
        judge: mined.value.judge,
        tags: (candidate.task.tags ?? []).filter((t) => t !== 'gameable'),
        provenance: { ...candidate.task.provenance, miner: 'llm' },
      };
      // A rubric reads what the reply says, so the judge is no longer form-only.
      candidate.gameable = false;
    }
  }

  const incoming: Task[] = chosen.filter((c) => !c.existing).map((c) => c.task);
  const splits = assignMinedSplits(stored, incoming, splitConfig, config.gameableToTrain ? { isGameable: (t) => t.tags?.includes('gameable') ?? false } : {});
  db.transaction(() => {
    for (const candidate of chosen) {
      const split: Split | undefined = splits.get(candidate.task.id);
      const outcome = upsertMinedTask(db, split ? { ...candidate.task, split } : candidate.task, now);
      report.tasks[outcome]++;
      if (candidate.gameable && outcome !== 'unchanged') report.tasks.gameable++;
    }
  })();
}
