import type { Clock } from '../core/clock.js';
import { SkillOptError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Split, Task } from '../tasks/types.js';
import { isOwnReplayCwd } from '../core/own-replay.js';
import type { SessionDigest } from '../harvest/types.js';
import type { ModelBackend } from '../models/types.js';
import type { Db } from '../store/db.js';
import { listTasks, taskIdsWithPrefix, upsertMinedTask, type StoredTask } from '../store/tasks-repo.js';
import { DEFAULT_SPLIT_CONFIG, type SplitConfig } from '../tasks/splits.js';
import { FamilyIndex, type FamilyStore } from '../mine/cluster.js';
import { MineConfigSchema, type MineConfig } from '../mine/config.js';
import {
  countFamilies,
  getFamily,
  getMemberFamily,
  getMembersByKey,
  getPlanBasis,
  insertFamily,
  listMembers,
  listPendingSessions,
  familyIdsWithFeatures,
  loadFamilyVectors,
  markSessionMined,
  memberWindow,
  putPlanBasis,
  addToFamilyStats,
  refreshFamilyVectors,
  familiesOfKin,
  kinVersion,
  listFamilies,
  setFamilyKin,
  setKinVersion,
  upsertMember,
  type AddedMember,
  type FamilyRecord,
  type MemberRecord,
  type PendingSession,
} from '../store/families-repo.js';
import { cosine, FEATURES_VERSION, readPrompt, vectorize, type PromptVector } from '../mine/features.js';
import { labelSession } from '../mine/labels.js';
import { mineWithModel } from '../mine/llm-miner.js';
import { bindRubric, groundProposedChecks } from '../mine/grounding.js';
import { basisStillHolds, familyBasis, memberKey, planFromBasis, type FamilyBasis, type FamilyPlan, type TaskCandidate } from '../mine/task-builder.js';
import { planMinedSplits } from '../tasks/mined-splits.js';
import { KIN_VERSION } from '../mine/kin.js';
import type { MineReport } from '../mine/report.js';

export type { MineReport } from '../mine/report.js';

/** What runMine needs from the outside. */
export interface MineDeps {
  db: Db;
  clock: Clock;
  /** The optimizer model: when given (and config.llm is auto) it writes task prompts and judges. */
  optimizer?: ModelBackend | undefined;
  logger?: Logger | undefined;
  /** Told when each phase of the run begins (read, cluster, stats, index, plan, split, write) and once more with 'done' at the end. */
  onPhase?: ((phase: MinePhase) => void) | undefined;
}

/** The phases of one mining run, in order. */
export type MinePhase = 'read' | 'cluster' | 'stats' | 'index' | 'plan' | 'split' | 'write' | 'done';

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
    tasks: { new: 0, updated: 0, unchanged: 0, gameable: 0, cappedPerFamily: 0, cappedPerRun: 0, folded: 0, flagged: 0 },
    followUps: { evidence: 0, orphans: 0, unanswered: 0 },
    judges: { grounded: 0, ungrounded: 0, noFeedback: 0, checks: 0, dropped: 0, disagreeing: 0 },
    waiting: [],
    llm: { calls: 0, failures: 0, droppedChecks: 0, reasons: [] },
    touched: [],
  };
  const touched = clusterPending(deps, config, now, report);
  report.families.updated = touched.size - report.families.created;
  const families = countFamilies(deps.db, config.minSessions);
  report.families.total = families.total;
  report.families.recurring = families.recurring;
  await writeTasks(deps, config, opts.split ?? DEFAULT_SPLIT_CONFIG, touched, now, report);
  deps.onPhase?.('done');
  deps.logger?.info({ mine: { sessions: report.sessions, tasks: report.tasks } }, 'mining finished');
  return report;
}

/** Cluster and label every pending session in one transaction; returns the ids of families that changed. */
function clusterPending(deps: MineDeps, config: MineConfig, now: string, report: MineReport): Map<string, Set<string>> {
  const { db } = deps;
  deps.onPhase?.('read');
  const touched = new Map<string, Set<string>>();
  // The members this run adds, by family: their families' facts are brought up to date from these alone.
  const added = new Map<string, AddedMember[]>();
  const pending = listPendingSessions(db);
  if (pending.length === 0) return touched;
  // Stored families are loaded only when a new prompt shares a feature with them (their vectors were stored when
  // their members changed), so mining 100 new sessions does not re-read and re-vectorize every member mined before.
  // Vectors computed while clustering, by the member prompt they will be stored for (valid when the stored prompt
  // was not clipped: readPrompt of it then reads the same text), so storing a run's new families re-vectorizes nothing.
  const vectors = new Map<string, PromptVector>();
  const storedVector = (prompt: string): Array<[string, number]> | undefined => {
    const known = vectors.get(prompt);
    if (known) return [...known.features];
    const reading = readPrompt(prompt);
    return reading.ok ? [...vectorize(reading.text).features] : undefined;
  };
  // Families changed since the last run by anything else (or built for another exemplar count) first.
  db.transaction(() => refreshFamilyVectors(db, config.exemplars, storedVector, FEATURES_VERSION))();
  const store: FamilyStore = {
    familiesWithFeatures: (features) => familyIdsWithFeatures(db, features),
    loadFamilies: (ids) => loadFamilyVectors(db, ids).map((f) => ({ ...f, exemplars: f.exemplars.map((pairs) => ({ features: new Map(pairs) })) })),
  };
  const index = new FamilyIndex({ threshold: config.similarity, exemplars: config.exemplars }, store);
  const isReask = (a: string, b: string) => {
    const ra = readPrompt(a);
    const rb = readPrompt(b);
    return ra.ok && rb.ok && cosine(vectorize(ra.text), vectorize(rb.text)) >= config.similarity;
  };
  db.transaction(() => {
    deps.onPhase?.('cluster');
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
      const labelled = labelSession(digest, isReask);
      report.followUps.orphans += labelled.orphans.length;
      for (const label of labelled.labels) {
        // Each follow-up turn is counted once, as evidence on the request it follows.
        report.followUps.evidence += new Set(label.evidence.filter((e) => e.kind === 'correction' || e.kind === 'praise' || e.kind === 're-ask' || e.kind === 'interrupt').map((e) => e.promptIndex)).size;
        if (label.answers.length === 0) report.followUps.unanswered++;
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
          answers: label.answers.map((a) => ({ ...a, text: clip(a.text, config.maxPromptChars) })),
        };
        const known = getMemberFamily(db, session.source, session.sessionId, label.promptIndex);
        let familyId = known;
        if (known) report.prompts.refreshed++;
        else {
          const vector = vectorize(reading.text);
          if (member.prompt === (prompt?.text ?? '').trim()) vectors.set(member.prompt, vector);
          const assignment = index.assign({ key: `${sessionKey}:${label.promptIndex}`, sessionKey, text: reading.text }, vector);
          familyId = assignment.familyId;
          if (assignment.created) {
            insertFamily(db, { id: familyId, founderKey: `${sessionKey}:${label.promptIndex}`, label: reading.text.replace(/\s+/g, ' ').slice(0, 120) }, now);
            report.families.created++;
          }
          report.prompts.clustered++;
          const list = added.get(familyId) ?? [];
          list.push({ source: session.source, sessionId: session.sessionId, at: member.at, project: member.project });
          added.set(familyId, list);
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
    deps.onPhase?.('stats');
    for (const [familyId, skills] of touched) addToFamilyStats(db, familyId, added.get(familyId) ?? [], { skills: [...skills] }, now);
    // The families this run changed store their vectors now, so the next run starts with nothing to rebuild.
    deps.onPhase?.('index');
    refreshFamilyVectors(db, config.exemplars, storedVector, FEATURES_VERSION);
  })();
  return touched;
}

/**
 * A family's task plan, from its stored basis when that was read from the members its planning window holds now
 * and still folds them the same way under today's stored tasks; else from its members (the basis stored for next
 * time). Either way the same plan: the basis is what planning reads of the window.
 */
function planFamily(db: Db, family: FamilyRecord, storedIds: ReadonlySet<string>, config: MineConfig, membersOf: (familyId: string) => MemberRecord[]): FamilyPlan {
  const opts = { maxTasksPerFamily: config.maxTasksPerFamily };
  const window = memberWindow(db, family.id);
  const stored = getPlanBasis(db, family.id, window);
  if (stored !== undefined) {
    const basis = parseBasis(stored);
    if (basis && basisStillHolds(basis, storedIds)) {
      const plan = planFromBasis(family, basis, storedIds, (keys) => getMembersByKey(db, family.id, keys), opts);
      if (plan) return plan;
    }
  }
  const members = membersOf(family.id);
  const basis = familyBasis(family.id, members, storedIds);
  putPlanBasis(db, family.id, window, JSON.stringify(basis));
  const byKey = new Map(members.map((m) => [memberKey(m), m]));
  const plan = planFromBasis(family, basis, storedIds, (keys) => keys.map((k) => byKey.get(k)), opts);
  if (!plan) throw new SkillOptError('INTERNAL', `family ${family.id}: its plan names a member it was not read from`);
  return plan;
}

function parseBasis(json: string): FamilyBasis | undefined {
  try {
    const value = JSON.parse(json) as FamilyBasis | null;
    return value && typeof value === 'object' && Array.isArray(value.distinct) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Plan, (optionally) LLM-mine, split and store the tasks of recurring families that changed. */
async function writeTasks(deps: MineDeps, config: MineConfig, splitConfig: SplitConfig, touched: Map<string, Set<string>>, now: string, report: MineReport): Promise<void> {
  const { db } = deps;
  deps.onPhase?.('plan');
  const recurring = [...touched.keys()]
    .map((id) => getFamily(db, id))
    .filter((f): f is FamilyRecord => f !== undefined && f.sessionCount >= config.minSessions)
    .sort((a, b) => b.sessionCount - a.sessionCount || (a.id < b.id ? -1 : 1));
  // Only the families this run changed are planned, so only their stored tasks are read: those filed under them
  // (their splits count toward the new tasks'), and those whose ids are theirs (a member's task, wherever filed).
  const stored: StoredTask[] = [];
  const storedMiner = new Map<string, string | undefined>();
  const storedIdsOf = new Map<string, Set<string>>();
  for (const family of recurring) {
    stored.push(...listTasks(db, { family: family.id }));
    const ids = taskIdsWithPrefix(db, `${family.id}-`);
    for (const { id, miner } of ids) storedMiner.set(id, miner);
    storedIdsOf.set(family.id, new Set(ids.map((t) => t.id)));
  }
  const useLlm = deps.optimizer !== undefined && config.llm === 'auto';
  const chosen: TaskCandidate[] = [];
  const times = new Map<string, string | undefined>();
  const familyMembers = new Map<string, MemberRecord[]>();
  const membersOf = (familyId: string): MemberRecord[] => {
    let members = familyMembers.get(familyId);
    if (!members) familyMembers.set(familyId, (members = listMembers(db, familyId)));
    return members;
  };
  const flagged = new Set<string>();
  let newBudget = config.maxNewTasksPerRun;
  const planned = new Set(recurring.map((f) => f.id));
  const plans = db.transaction(() => {
    const done = recurring.map((family) => {
      const plan = planFamily(db, family, storedIdsOf.get(family.id) ?? new Set(), config, membersOf);
      setFamilyKin(db, family.id, plan.kin);
      return { family, plan };
    });
    // Families mined before kins were recorded (or with another version of them) get theirs once, so a kindred
    // family this run does not touch still counts toward its group.
    if (kinVersion(db) !== KIN_VERSION) {
      for (const family of listFamilies(db, { minSessions: config.minSessions })) {
        if (planned.has(family.id)) continue;
        const ids = new Set(taskIdsWithPrefix(db, `${family.id}-`).map((t) => t.id));
        // Read, not cached: a one-off pass over every recurring family must not hold all their members at once.
        setFamilyKin(db, family.id, planFamily(db, family, ids, config, (id) => listMembers(db, id)).kin);
      }
      setKinVersion(db, KIN_VERSION);
    }
    return done;
  })();
  // Kindred families are split together: their stored tasks count toward the group's held-out share, touched or not.
  const kinOf = familiesOfKin(db, plans.flatMap(({ plan }) => (plan.kin ? [plan.kin] : [])));
  for (const familyId of kinOf.keys()) if (!planned.has(familyId)) stored.push(...listTasks(db, { family: familyId }));
  for (const { family, plan } of plans) {
    report.tasks.cappedPerFamily += plan.cappedByFamily;
    report.tasks.folded += plan.folded;
    const judge = plan.judge;
    if (judge.status === 'grounded') report.judges.grounded++;
    else if (judge.status === 'ungrounded') report.judges.ungrounded++;
    else report.judges.noFeedback++;
    report.judges.checks += judge.checks.length;
    report.judges.dropped += judge.dropped.length;
    report.judges.disagreeing += judge.disagreeing;
    for (const candidate of plan.candidates) {
      times.set(candidate.task.id, candidate.member.at);
      if (judge.status === 'ungrounded') flagged.add(candidate.task.id);
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
    report.touched.push({
      id: family.id,
      label: family.label,
      sessions: family.sessionCount,
      members: family.memberCount,
      tasks: plan.candidates.length,
      instances: plan.instances,
      used: plan.candidates.length,
      waiting: plan.cappedByFamily,
      judge: judge.status,
      checks: judge.checks.map((c) => ({ describe: c.describe, source: c.source, passes: c.passes.length, fails: c.fails.length })),
      dropped: judge.dropped.slice(0, 10),
      kindred: plan.kin ? [...kinOf].filter(([id, kin]) => kin === plan.kin && id !== family.id).map(([id]) => id) : [],
    });
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
      // The model's checks and rubric go through the same grounding as the heuristic ones.
      const members = membersOf(candidate.task.family ?? '');
      const judge = mined.value.judge;
      const proposed = judge.kind === 'rubric' ? (judge.checks ?? []) : [];
      const heuristic = new Set(candidate.mineInput.heuristicChecks.map((c) => JSON.stringify(c)));
      const grounded = groundProposedChecks(proposed.filter((c) => !heuristic.has(JSON.stringify(c))), members, candidate.member);
      report.llm.droppedChecks += grounded.dropped.length;
      const checks = [...proposed.filter((c) => heuristic.has(JSON.stringify(c))), ...grounded.kept];
      const rubric = judge.kind === 'rubric' ? bindRubric(judge.rubric, members, candidate.member) : '';
      candidate.task = {
        ...candidate.task,
        prompt: mined.value.prompt,
        ...(mined.value.context ? { context: mined.value.context } : {}),
        judge: judge.kind === 'rubric' ? (checks.length > 0 ? { kind: 'rubric', rubric, checks } : { kind: 'rubric', rubric }) : judge,
        provenance: { ...candidate.task.provenance, dropped: [...(candidate.task.provenance.dropped ?? []), ...grounded.dropped].slice(0, 20) },
        tags: (candidate.task.tags ?? []).filter((t) => t !== 'gameable'),
      };
      candidate.task.provenance = { ...candidate.task.provenance, miner: 'llm' };
      // A rubric reads what the reply says, so the judge is no longer form-only.
      candidate.gameable = false;
    }
  }

  deps.onPhase?.('split');
  const incoming: Task[] = chosen.filter((c) => !c.existing).map((c) => c.task);
  const plan = planMinedSplits(stored, incoming, splitConfig, {
    // A judge no feedback grounds (a rubric of the request) or one of shape checks only never gates: those families train.
    isGameable: (t: Task) => (t.tags?.includes('judge:no-feedback') ?? false) || (config.gameableToTrain && (t.tags?.includes('gameable') ?? false)),
    timeOf: (t) => times.get(t.id),
    minInstances: config.minInstancesToHoldOut,
    kinOf: (t) => (t.family ? kinOf.get(t.family) : undefined),
  });
  report.waiting = plan.waiting;
  deps.onPhase?.('write');
  db.transaction(() => {
    for (const candidate of chosen) {
      const split: Split | undefined = plan.splits.get(candidate.task.id);
      // A judge the person's answers do not bear out is not trained on silently: a new task waits, excluded, until it grounds.
      const outcome = upsertMinedTask(db, split ? { ...candidate.task, split } : candidate.task, now, flagged.has(candidate.task.id) ? { newStatus: 'excluded' } : {});
      report.tasks[outcome]++;
      if (candidate.gameable && outcome !== 'unchanged') report.tasks.gameable++;
      if (flagged.has(candidate.task.id) && outcome === 'new') report.tasks.flagged++;
    }
  })();
}
