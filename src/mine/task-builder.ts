import { shortHash } from '../core/hash.js';
import type { MinedTask, TaskEvidence, TaskGrounding } from '../store/tasks-repo.js';
import type { FamilyRecord, MemberRecord } from '../store/families-repo.js';
import type { Check, Judge } from '../judges/types.js';
import { readPrompt, tokenize } from './features.js';
import { bindCheck, groundFamily, valuesOf, type FamilyJudge } from './grounding.js';
import { contentAnchor, renderRubric } from './judge-heuristic.js';
import { familyKin } from './kin.js';
import type { MineInput } from './llm-miner.js';

/** One task the miner would write for a family, with what the LLM miner would be shown. */
export interface TaskCandidate {
  task: MinedTask;
  member: MemberRecord;
  gameable: boolean;
  /** The task is already stored (a refresh, not a new task). */
  existing: boolean;
  mineInput: MineInput;
}

/** A family's plan: tasks to write, how many instances the per-family cap left waiting, and its judge. */
export interface FamilyPlan {
  candidates: TaskCandidate[];
  cappedByFamily: number;
  /** Near-identical prompts folded into another instance's task. */
  folded: number;
  judge: FamilyJudge;
  instances: number;
  /** Families of one kin are split by time together (see `familyKin`); null when the judge grounds no check. */
  kin: string | null;
}

const MAX_DIRECTIVES = 10;
const MAX_EVIDENCE = 20;
const MAX_SESSIONS = 20;

/** A task id from its family and the member it was mined from: stable across re-mining. */
export function taskIdFor(familyId: string, member: Pick<MemberRecord, 'source' | 'sessionId' | 'promptIndex'>): string {
  return `${familyId}-${shortHash(`${member.source}:${member.sessionId}:${member.promptIndex}`).slice(0, 8)}`;
}

/** The standing instructions of a family: every directive its members' corrections carried, first seen first. */
export function familyDirectives(members: readonly MemberRecord[]): string[] {
  const out: string[] = [];
  for (const m of members) for (const d of m.directives) if (!out.includes(d) && out.length < MAX_DIRECTIVES) out.push(d);
  return out;
}

/** Prompts this close (feature cosine) are the same request typed twice: one task, never on both sides of a split. */
const NEAR_DUPLICATE = 0.9;

/** Share of content tokens two prompts have in common (Jaccard): the whole prompt counts, the payload too. */
function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * What a family's plan reads from all its members: the instances left after folding, its grounded judge, and the
 * family-wide lines every task's mining input shows. JSON as it is, so mining stores it with the family and plans
 * from it again while the members it was read from are unchanged (see `basisStillHolds`).
 */
export interface FamilyBasis {
  /** Bump when folding, grounding or any field here changes what a basis holds: stored ones are then rebuilt. */
  version: string;
  judge: FamilyJudge;
  /** The instances left after folding, in member order: member key (`source:sessionId:promptIndex`), task id, time. */
  distinct: Array<{ key: string; taskId: string; at?: string }>;
  /** Task ids that were stored when the basis was read (stored instances are never folded). */
  stored: string[];
  /** Stored task ids of the family that were no member's then (they play no part in folding). */
  foreign: string[];
  folded: number;
  instances: number;
  directives: string[];
  corrections: string[];
  sessionIds: string[];
  /** The distinct instances' prompts, as far as needed to show any one of them five others. */
  siblings: string[];
  familyAnswers: { corrected: string[]; accepted: string[] };
}

/** The version of `FamilyBasis` this build writes. */
export const FAMILY_BASIS_VERSION = '3';

/** A member's key, as stored in a basis. */
export function memberKey(member: Pick<MemberRecord, 'source' | 'sessionId' | 'promptIndex'>): string {
  return `${member.source}:${member.sessionId}:${member.promptIndex}`;
}

/** Read a family's basis from its members (the planning window), given the task ids already stored. Pure. */
export function familyBasis(familyId: string, members: readonly MemberRecord[], storedIds: ReadonlySet<string>): FamilyBasis {
  const ids = new Map(members.map((m) => [m, taskIdFor(familyId, m)]));
  const isStored = (m: MemberRecord) => storedIds.has(ids.get(m) as string);
  const own = new Set(ids.values());
  const distinct = foldNearDuplicates(members, isStored);
  const siblings: string[] = [];
  const texts = new Set<string>();
  // Any one prompt removed, the first five left are within the first entries naming six different prompts.
  for (const m of distinct) {
    if (texts.size >= 6) break;
    siblings.push(m.prompt);
    texts.add(m.prompt);
  }
  return {
    version: FAMILY_BASIS_VERSION,
    judge: groundFamily(members),
    distinct: distinct.map((m) => ({ key: memberKey(m), taskId: ids.get(m) as string, ...(m.at !== undefined ? { at: m.at } : {}) })),
    stored: members.filter(isStored).map((m) => ids.get(m) as string),
    foreign: [...storedIds].filter((id) => !own.has(id)),
    folded: members.length - distinct.length,
    instances: members.length,
    directives: familyDirectives(members),
    corrections: [...new Set(members.flatMap((m) => m.evidence.filter((e) => e.kind === 'correction').map((e) => e.text)))].slice(0, 8),
    sessionIds: [...new Set(members.map((m) => m.sessionId))].slice(0, MAX_SESSIONS),
    siblings,
    familyAnswers: {
      corrected: members.flatMap((m) => (m.answers ?? []).filter((a) => a.verdict === 'corrected').map((a) => a.text)).slice(0, 4),
      accepted: members.flatMap((m) => (m.answers ?? []).filter((a) => a.verdict === 'accepted').map((a) => a.text)).slice(0, 4),
    },
  };
}

/**
 * A basis read from the same members still folds them the same way under today's stored task ids when every id
 * stored then is stored now and every id stored since is one of its instances (those were kept anyway, so keeping
 * them again changes no decision); ids that were no member's then play no part. `storedIds`: the family's stored
 * task ids now. Pure.
 */
export function basisStillHolds(basis: FamilyBasis, storedIds: ReadonlySet<string>): boolean {
  if (basis.version !== FAMILY_BASIS_VERSION) return false;
  if (!basis.stored.every((id) => storedIds.has(id))) return false;
  const known = new Set([...basis.distinct.map((d) => d.taskId), ...basis.foreign]);
  for (const id of storedIds) if (!known.has(id)) return false;
  return true;
}

/**
 * Plan the tasks of one recurring family: every instance (one request) is a task, near-identical prompts folded.
 * Stored tasks are refreshed; new ones are added newest first up to `maxTasksPerFamily`, the rest wait (counted).
 * The judge is the family's grounded judge bound to each task's own prompt (see `groundFamily`); a family whose
 * judge cannot be grounded is flagged. The agent's first answer is the simulation. Pure.
 */
export function planFamilyTasks(family: FamilyRecord, members: readonly MemberRecord[], storedIds: ReadonlySet<string>, opts: { maxTasksPerFamily: number }): FamilyPlan {
  const byKey = new Map(members.map((m) => [memberKey(m), m]));
  const plan = planFromBasis(family, familyBasis(family.id, members, storedIds), storedIds, (keys) => keys.map((k) => byKey.get(k)), opts);
  if (!plan) throw new Error('a family basis names a member it was not read from');
  return plan;
}

/**
 * `planFamilyTasks` from a family's basis: only the chosen instances' members are read (`membersOf`, in the
 * order asked). Undefined when one of them is missing (the basis is stale: read it again). Pure.
 */
export function planFromBasis(
  family: Pick<FamilyRecord, 'id'>,
  basis: FamilyBasis,
  storedIds: ReadonlySet<string>,
  membersOf: (keys: readonly string[]) => ReadonlyArray<MemberRecord | undefined>,
  opts: { maxTasksPerFamily: number },
): FamilyPlan | undefined {
  const grounded = basis.judge;
  const { directives, corrections, sessionIds, siblings, familyAnswers } = basis;
  const stored = basis.distinct.filter((d) => storedIds.has(d.taskId));
  // Newest first: a night learns from what the person asks for now.
  const fresh = basis.distinct.filter((d) => !storedIds.has(d.taskId)).sort((a, b) => ((b.at ?? '') < (a.at ?? '') ? -1 : (b.at ?? '') > (a.at ?? '') ? 1 : 0));
  const room = Math.max(0, opts.maxTasksPerFamily - stored.length);
  const chosenRefs = [...stored, ...fresh.slice(0, room)];
  const chosen = membersOf(chosenRefs.map((d) => d.key));
  if (chosen.length !== chosenRefs.length || chosen.some((m) => m === undefined)) return undefined;

  const candidates = chosenRefs.map((ref, i): TaskCandidate => {
    const member = chosen[i] as MemberRecord;
    const bound = bindFamilyJudge(grounded, member);
    const tags = ['mined', `outcome:${member.outcome}`, `judge:${grounded.status}`, ...(bound.gameable ? ['gameable'] : [])];
    const evidence: TaskEvidence[] = member.evidence.map((e) => ({ sessionId: e.sessionId, kind: e.kind, text: e.text })).slice(0, MAX_EVIDENCE);
    const task: MinedTask = {
      id: ref.taskId,
      prompt: member.prompt,
      judge: bound.judge,
      family: family.id,
      origin: 'real',
      tags,
      provenance: { sessionIds: [...new Set([member.sessionId, ...sessionIds])].slice(0, MAX_SESSIONS), evidence, miner: 'heuristic', grounding: bound.grounding, dropped: grounded.dropped.slice(0, 12), judgeStatus: grounded.status },
    };
    const first = member.answers?.[0]?.text ?? member.answer;
    if (first) task.simulation = { answer: first };
    return {
      task,
      member,
      gameable: bound.gameable,
      existing: storedIds.has(task.id),
      mineInput: {
        familyId: family.id,
        prompt: member.prompt,
        siblings: siblings.filter((s) => s !== member.prompt).slice(0, 5),
        corrections,
        directives,
        answer: member.answer,
        heuristicChecks: bound.judge.kind === 'rule' ? bound.judge.checks : (bound.judge.kind === 'rubric' ? (bound.judge.checks ?? []) : []),
        ...(member.answers ? { answers: member.answers } : {}),
        familyAnswers,
      },
    };
  });
  return { candidates, cappedByFamily: Math.max(0, fresh.length - room), folded: basis.folded, judge: grounded, instances: basis.instances, kin: familyKin(grounded, familyAnswers.accepted) };
}

/** The instance values a prompt names, as one key: a near-identical prompt about another PR is another instance. */
function valuesKey(prompt: string): string {
  return valuesOf(prompt).map((v) => v.value).sort().join(' ');
}

/** How many of a set's tokens (in the family's rarest-first order) a near-duplicate must share one of. */
function prefixLength(size: number): number {
  // Jaccard >= t needs at least ceil(t * size) shared tokens; the epsilon keeps the prefix on the safe (longer) side.
  return size - Math.ceil(NEAR_DUPLICATE * size - 1e-9) + 1;
}

/**
 * The members that stay after folding near-identical prompts, in member order. A member is folded when an
 * earlier kept one has the same prompt (case and spacing aside), or names the same instance values and shares
 * at least NEAR_DUPLICATE of its content tokens; stored tasks are never folded. Kept members are indexed by the
 * rarest tokens of their sets (prefix filtering), so a prompt is compared only with the few that could be that
 * close, not with every kept one: the same result as comparing all pairs, in time near-linear in the members.
 */
export function foldNearDuplicates(members: readonly MemberRecord[], isStored: (m: MemberRecord) => boolean): MemberRecord[] {
  const read = members.map((m) => {
    const reading = readPrompt(m.prompt);
    const text = reading.ok ? reading.text : m.prompt;
    return { member: m, tokens: [...new Set(tokenize(text))], exact: text.toLowerCase().replace(/\s+/g, ' '), own: m.prompt.toLowerCase().replace(/\s+/g, ' '), values: valuesKey(m.prompt) };
  });
  const frequency = new Map<string, number>();
  for (const r of read) for (const t of r.tokens) frequency.set(t, (frequency.get(t) ?? 0) + 1);
  const rarestFirst = (a: string, b: string) => (frequency.get(a) ?? 0) - (frequency.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0);
  const keptPrompts = new Set<string>();
  // Per instance-values key: kept token sets by the tokens of their prefixes, and whether an empty set was kept.
  const byValues = new Map<string, { postings: Map<string, Array<ReadonlySet<string>>>; empty: boolean }>();
  const out: MemberRecord[] = [];
  for (const r of read) {
    const set = new Set(r.tokens);
    const ordered = [...r.tokens].sort(rarestFirst);
    let group = byValues.get(r.values);
    if (!isStored(r.member)) {
      let twin = keptPrompts.has(r.exact);
      if (!twin && group) {
        if (set.size === 0) twin = group.empty;
        else {
          const seen = new Set<ReadonlySet<string>>();
          for (const token of ordered.slice(0, prefixLength(set.size))) {
            for (const other of group.postings.get(token) ?? []) {
              if (seen.has(other)) continue;
              seen.add(other);
              if (overlap(other, set) >= NEAR_DUPLICATE) {
                twin = true;
                break;
              }
            }
            if (twin) break;
          }
        }
      }
      if (twin) continue;
    }
    out.push(r.member);
    keptPrompts.add(r.own);
    if (!group) byValues.set(r.values, (group = { postings: new Map(), empty: false }));
    if (set.size === 0) group.empty = true;
    for (const token of ordered.slice(0, prefixLength(set.size))) {
      const list = group.postings.get(token) ?? [];
      list.push(set);
      group.postings.set(token, list);
    }
  }
  return out;
}

/** The family judge bound to one task: grounded checks with this task's values, plus a content anchor its accepted answer passes. */
export function bindFamilyJudge(family: FamilyJudge, member: MemberRecord): { judge: Judge; gameable: boolean; grounding: TaskGrounding[] } {
  const accepted = member.answers?.find((a) => a.verdict === 'accepted')?.text;
  const anchor = contentAnchor(member.prompt, accepted ?? member.answers?.[0]?.text ?? member.answer);
  const grounding: TaskGrounding[] = [];
  const checks: Check[] = [];
  for (const template of family.checks) {
    const check = bindCheck(template, member.prompt);
    if (!check) continue;
    checks.push(check);
    grounding.push({ check, describe: template.describe, source: template.source, passes: template.passes, fails: template.fails });
  }
  if (checks.length === 0) {
    // No grounded rule: the request itself, in this task's own words, is what a reply must do.
    const rubric = renderRubric(member.prompt, []);
    return { judge: anchor ? { kind: 'rubric', rubric, checks: [anchor.check] } : { kind: 'rubric', rubric }, gameable: false, grounding };
  }
  if (anchor && !checks.some((c) => JSON.stringify(c) === JSON.stringify(anchor.check))) {
    checks.push(anchor.check);
    grounding.push({ check: anchor.check, describe: `mentions ${JSON.stringify(anchor.check.arg)} (a word of this request)`, source: anchor.source, passes: accepted ? [{ session: member.sessionId, answer: accepted.slice(0, 160) }] : [], fails: [] });
  }
  const judge: Judge = { kind: 'rule', checks };
  return { judge, gameable: !family.checks.some((c) => c.kind === 'content') && !anchor, grounding };
}
