import { SkillOptError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import type { Db } from '../store/db.js';
import { decideProposal, listProposals, recordReapplied, type ProposalRecord } from '../store/proposals-repo.js';
import { addVersion } from '../store/skills-repo.js';
import { getNight, listNights } from '../store/nights-repo.js';
import { planAdopt, recipeEdits } from '../skills/adopt.js';
import { writeSkillLocations } from '../skills/disk.js';
import { syncNamedSkill, type SkillDeps } from './skill-store.js';
import type { CliContext } from './deps.js';
import { writePendingFile } from './pending.js';

/** Which proposals a decision applies to: `--night N`, `--skill NAME` or `--all`. */
export interface DecisionRequest {
  night?: number | undefined;
  skill?: string | undefined;
  all?: boolean | undefined;
}

/** Pick the pending proposals a request names, or say precisely why there is none. */
export function selectProposals(db: Db, request: DecisionRequest, verb: 'adopt' | 'reject'): ProposalRecord[] {
  if (request.all && request.skill) throw new SkillOptError('INPUT', '--skill and --all cannot be used together', { hint: `use --skill NAME for one skill or --all for every proposal of the night` });
  const pending = listProposals(db, { status: 'pending' });
  const night = request.night ?? pending[0]?.nightId;
  if (night === undefined) throw new SkillOptError('NOT_FOUND', 'no proposal is waiting for a decision', { hint: 'run a night first (`skillopt-sleep run --now`); `skillopt-sleep report` shows what the last night decided' });
  if (!getNight(db, night)) {
    const last = listNights(db, 1)[0];
    throw new SkillOptError('NOT_FOUND', `there is no night ${night}`, { hint: last ? `the last night is ${last.id}; \`skillopt-sleep status\` lists pending proposals` : 'run a night first: skillopt-sleep run --now' });
  }
  const ofNight = listProposals(db, { nightId: night });
  if (ofNight.length === 0) throw new SkillOptError('NOT_FOUND', `night ${night} has no proposal`, { hint: pending.length > 0 ? `nights with proposals waiting: ${[...new Set(pending.map((p) => p.nightId))].join(', ')}` : '`skillopt-sleep report --night N` shows why a night proposed nothing' });
  const chosen = ofNight.filter((p) => request.skill === undefined || p.skillName === request.skill);
  if (chosen.length === 0) throw new SkillOptError('NOT_FOUND', `night ${night} has no proposal for "${request.skill}"`, { hint: `night ${night} proposed: ${ofNight.map((p) => p.skillName).join(', ')}` });
  const open = chosen.filter((p) => p.status === 'pending');
  if (open.length === 0) {
    const p = chosen[0]!;
    throw new SkillOptError('CONFLICT', `night ${night}'s proposal for ${p.skillName} is already ${p.status}${p.decidedAt ? ` (${p.decidedAt})` : ''}`, { hint: p.status === 'adopted' ? `to undo it: skillopt-sleep rollback ${p.skillName}` : 'a later night may propose again' });
  }
  if (open.length > 1 && !request.all && request.skill === undefined) {
    throw new SkillOptError('INPUT', `night ${night} has ${open.length} proposals: ${open.map((p) => p.skillName).join(', ')}`, { hint: `pass --skill NAME to ${verb} one, or --all to ${verb} every one` });
  }
  return open;
}

/** One adoption's result. */
export type AdoptResult =
  | { skill: string; night: number; proposalId: number; adopted: true; version: number; how: 'as-trained' | 'reapplied' | 'created' | 'completed'; paths: string[] }
  | { skill: string; night: number; proposalId: number; adopted: false; reason: string; hint: string };

/** Adopt one proposal: record a hand edit first, then write every location atomically and record the version. */
export function adoptProposal(deps: SkillDeps, proposal: ProposalRecord, note?: string): AdoptResult {
  const db = deps.openDb();
  const synced = syncNamedSkill(deps, proposal.skillName);
  const base = { skill: proposal.skillName, night: proposal.nightId, proposalId: proposal.id };
  const fresh = listProposals(db, { nightId: proposal.nightId, skillName: proposal.skillName })[0];
  if (fresh?.status === 'adopted' && fresh.adoptedVersion !== null) return { ...base, adopted: true, version: fresh.adoptedVersion, how: 'completed', paths: synced.locations.map((l) => l.path) };
  const plan = planAdopt({ skillName: proposal.skillName, proposal: { content: proposal.content, sha256: proposal.sha256, baseSha256: proposal.baseSha256, recipe: proposal.recipe, reapplicable: proposal.reapplicable, nightId: proposal.nightId }, current: synced.onDisk });
  if (plan.kind === 'refuse') return { ...base, adopted: false, reason: plan.reason, hint: plan.hint };
  // Write-ahead: a re-applied text exists nowhere in the store yet; record it first, so a kill between the write and
  // the version below leaves a file the next sync recognises as this adoption completing, not as a hand edit.
  if (plan.kind === 'write' && plan.how === 'reapplied' && !recordReapplied(db, proposal.id, { content: plan.content, sha256: sha256(plan.content) })) {
    throw new SkillOptError('CONFLICT', `night ${proposal.nightId}'s proposal for ${proposal.skillName} was decided while this adopt ran`, { hint: `\`skillopt-sleep history ${proposal.skillName}\` shows what was recorded` });
  }
  const paths = plan.kind === 'write' ? writeSkillLocations(synced.locations, plan.content, synced.known) : synced.locations.map((l) => l.path);
  const now = deps.clock.now().toISOString();
  const how = plan.kind === 'write' ? plan.how : 'completed';
  const version = db.transaction(() => {
    const v = addVersion(db, synced.skill.id, { content: plan.content, sha256: sha256(plan.content), source: 'adopted', nightId: proposal.nightId, note: note ?? `adopted night ${proposal.nightId}${how === 'reapplied' ? ' (edits re-applied to a hand-edited file)' : ''}` }, now);
    decideProposal(db, proposal.id, { status: 'adopted', adoptedVersion: v.version, ...(note ? { note } : {}) }, now);
    return v.version;
  })();
  return { ...base, adopted: true, version, how, paths };
}

/** `adopt`: write the chosen proposals where their agents load them. */
export function runAdopt(deps: SkillDeps & Pick<CliContext, 'paths' | 'logger'>, request: DecisionRequest): { results: AdoptResult[] } {
  const proposals = selectProposals(deps.openDb(), request, 'adopt');
  try {
    return { results: proposals.map((p) => adoptProposal(deps, p)) };
  } finally {
    // Also after a failure part-way: whatever was adopted is no longer pending.
    writePendingFile(deps);
  }
}

/** `reject`: record the decision and put every edit of the proposal into the rejected-edit memory. */
export function runReject(deps: SkillDeps & Pick<CliContext, 'rejectedEdits' | 'paths' | 'logger'>, request: DecisionRequest): { results: Array<{ skill: string; night: number; proposalId: number; edits: number }> } {
  const db = deps.openDb();
  const proposals = selectProposals(db, request, 'reject');
  const sink = deps.rejectedEdits();
  const now = deps.clock.now().toISOString();
  try {
    return {
      results: proposals.map((p) => {
        // The memory first: a reject cut short then repeats an entry rather than losing it.
        const edits = recipeEdits(p.recipe);
        sink.add(edits.map((edit) => ({ skillKey: p.skillName, edit, reason: 'review' as const, night: p.nightId })));
        decideProposal(db, p.id, { status: 'rejected', note: 'rejected in review' }, now);
        return { skill: p.skillName, night: p.nightId, proposalId: p.id, edits: edits.length };
      }),
    };
  } finally {
    writePendingFile(deps);
  }
}
