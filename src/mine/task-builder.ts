import { shortHash } from '../core/hash.js';
import type { MinedTask, TaskEvidence } from '../store/tasks-repo.js';
import type { FamilyRecord, MemberRecord } from '../store/families-repo.js';
import { readPrompt } from './features.js';
import { buildHeuristicJudge } from './judge-heuristic.js';
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

/** A family's plan: tasks to write, and how many members the per-family cap left out. */
export interface FamilyPlan {
  candidates: TaskCandidate[];
  cappedByFamily: number;
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

/**
 * Plan the tasks of one recurring family: the stored ones are refreshed, new ones are added from distinct
 * requests (answered ones first, then oldest) up to `maxTasksPerFamily`. Each task gets the family's
 * directives as its judge, the agent's original answer as its simulation, and the family's evidence. Pure.
 */
export function planFamilyTasks(family: FamilyRecord, members: readonly MemberRecord[], storedIds: ReadonlySet<string>, opts: { maxTasksPerFamily: number }): FamilyPlan {
  const directives = familyDirectives(members);
  const corrections = [...new Set(members.flatMap((m) => m.evidence.filter((e) => e.kind === 'correction').map((e) => e.text)))].slice(0, 8);
  const evidence: TaskEvidence[] = members
    .flatMap((m) => m.evidence.map((e) => ({ sessionId: e.sessionId, kind: e.kind, text: e.text })))
    .slice(0, MAX_EVIDENCE);
  const sessionIds = [...new Set(members.map((m) => m.sessionId))].slice(0, MAX_SESSIONS);

  const seenText = new Set<string>();
  const distinct: MemberRecord[] = [];
  for (const m of members) {
    const reading = readPrompt(m.prompt);
    const key = reading.ok ? reading.text.toLowerCase().replace(/\s+/g, ' ') : m.prompt;
    if (seenText.has(key) && !storedIds.has(taskIdFor(family.id, m))) continue;
    seenText.add(key);
    distinct.push(m);
  }
  const stored = distinct.filter((m) => storedIds.has(taskIdFor(family.id, m)));
  const fresh = distinct
    .filter((m) => !storedIds.has(taskIdFor(family.id, m)))
    .sort((a, b) => Number(b.answer !== undefined) - Number(a.answer !== undefined));
  const room = Math.max(0, opts.maxTasksPerFamily - stored.length);
  const chosen = [...stored, ...fresh.slice(0, room)];
  const siblings = distinct.map((m) => m.prompt);

  const candidates = chosen.map((member): TaskCandidate => {
    const heuristic = buildHeuristicJudge({ prompt: member.prompt, directives, answer: member.answer });
    const tags = ['mined', `outcome:${member.outcome}`, ...(heuristic.gameable ? ['gameable'] : [])];
    const task: MinedTask = {
      id: taskIdFor(family.id, member),
      prompt: member.prompt,
      judge: heuristic.judge,
      family: family.id,
      origin: 'real',
      tags,
      provenance: { sessionIds, evidence, miner: 'heuristic' },
    };
    if (member.answer) task.simulation = { answer: member.answer };
    return {
      task,
      member,
      gameable: heuristic.gameable,
      existing: storedIds.has(task.id),
      mineInput: {
        familyId: family.id,
        prompt: member.prompt,
        siblings: siblings.filter((s) => s !== member.prompt).slice(0, 5),
        corrections,
        directives,
        answer: member.answer,
        heuristicChecks: heuristic.checks.map((c) => c.check),
      },
    };
  });
  return { candidates, cappedByFamily: Math.max(0, fresh.length - room) };
}
