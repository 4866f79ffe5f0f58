import { SkillOptError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import { diffSkills } from '../skills/diff.js';
import { writeSkillLocations } from '../skills/disk.js';
import { listProposals } from '../store/proposals-repo.js';
import { addVersion, getVersion, listVersions, type VersionRecord } from '../store/skills-repo.js';
import { syncNamedSkill, type SkillDeps } from './skill-store.js';
import { writePendingFile } from './pending.js';
import type { Deps } from './deps.js';

/** `history SKILL`: every version, which one is on disk, and any pending proposal. */
export function runHistory(deps: SkillDeps, name: string) {
  const synced = syncNamedSkill(deps, name);
  const db = deps.openDb();
  const onDiskSha = synced.onDisk === null ? null : sha256(synced.onDisk);
  return {
    skill: synced.skill.name,
    state: synced.state,
    locations: synced.locations,
    versions: listVersions(db, synced.skill.id).map((v) => ({ version: v.version, source: v.source, night: v.nightId, parent: v.parentVersion, sha256: v.sha256, createdAt: v.createdAt, note: v.note, bytes: Buffer.byteLength(v.content), onDisk: v.sha256 === onDiskSha && v.version === synced.latest.version })),
    pending: listProposals(db, { status: 'pending', skillName: synced.skill.name }).map((p) => ({ night: p.nightId, proposalId: p.id, baseVersion: p.baseVersion, flagged: p.flags.length })),
    recorded: synced.recorded,
  };
}

function versionOrThrow(all: VersionRecord[], name: string, ref: string): { label: string; content: string } {
  const n = Number(ref.replace(/^v/i, ''));
  const found = Number.isInteger(n) ? all.find((v) => v.version === n) : undefined;
  if (!found) throw new SkillOptError('NOT_FOUND', `${name} has no version ${ref}`, { hint: `it has versions ${all.map((v) => v.version).join(', ')}; \`skillopt-sleep history ${name}\` lists them, and "proposal" names a pending proposal` });
  return { label: `${name} v${found.version} (${found.source})`, content: found.content };
}

/** `diff SKILL [A] [B]`: a unified diff; no A: newest version -> pending proposal, else previous -> newest; A alone: A -> newest. */
export function runDiff(deps: SkillDeps, name: string, a?: string, b?: string): { from: string; to: string; diff: string } {
  const synced = syncNamedSkill(deps, name);
  const db = deps.openDb();
  const all = listVersions(db, synced.skill.id);
  const pending = listProposals(db, { status: 'pending', skillName: synced.skill.name })[0];
  const pick = (ref: string) => {
    if (ref === 'proposal') {
      if (!pending) throw new SkillOptError('NOT_FOUND', `${name} has no pending proposal`, { hint: `compare versions instead: skillopt-sleep diff ${name} A B` });
      return { label: `${name} proposal of night ${pending.nightId}`, content: pending.content };
    }
    return versionOrThrow(all, name, ref);
  };
  const latest = synced.latest;
  let from: { label: string; content: string };
  let to: { label: string; content: string };
  if (a === undefined) {
    if (pending) [from, to] = [pick(String(latest.version)), pick('proposal')];
    else [from, to] = [pick(String(latest.parentVersion ?? latest.version)), pick(String(latest.version))];
  } else [from, to] = [pick(a), pick(b ?? String(latest.version))];
  return { from: from.label, to: to.label, diff: diffSkills(from.content, to.content, { before: from.label, after: to.label }) };
}

/** `rollback SKILL [--to VERSION]`: write an earlier version back byte for byte (default: the one before the newest), recorded as a new version. */
export function runRollback(deps: SkillDeps & Pick<Deps, 'paths' | 'logger'>, name: string, to?: number) {
  try {
    return rollback(deps, name, to);
  } finally {
    // A rollback does not decide a proposal, but the list follows every decision so it never goes stale.
    writePendingFile(deps);
  }
}

function rollback(deps: SkillDeps, name: string, to?: number) {
  const synced = syncNamedSkill(deps, name);
  const db = deps.openDb();
  const all = listVersions(db, synced.skill.id);
  const targetVersion = to ?? synced.latest.parentVersion;
  if (targetVersion === null || targetVersion === undefined) throw new SkillOptError('NOT_FOUND', `${name} has only one version (v${synced.latest.version}); there is nothing earlier to roll back to`, { hint: `\`skillopt-sleep history ${name}\` lists its versions` });
  const target = getVersion(db, synced.skill.id, targetVersion);
  if (!target) throw new SkillOptError('NOT_FOUND', `${name} has no version ${targetVersion}`, { hint: `it has versions ${all.map((v) => v.version).join(', ')} (\`skillopt-sleep history ${name}\`)` });
  if (target.sha256 === synced.latest.sha256 && synced.onDisk !== null) return { skill: synced.skill.name, restored: target.version, version: synced.latest.version, changed: false, paths: synced.locations.map((l) => l.path) };
  const paths = writeSkillLocations(synced.locations, target.content, synced.known);
  const v = addVersion(db, synced.skill.id, { content: target.content, sha256: target.sha256, source: 'rollback', note: `restored v${target.version}` }, deps.clock.now().toISOString());
  return { skill: synced.skill.name, restored: target.version, version: v.version, changed: true, paths };
}
