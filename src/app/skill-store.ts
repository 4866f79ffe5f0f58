import { SkillOptError } from '../core/errors.js';
import type { Db } from '../store/db.js';
import { getSkill, listLocations, listSkills } from '../store/skills-repo.js';
import { syncSkill, type SyncedSkill } from '../skills/disk.js';
import type { SkillTarget } from '../skills/targets.js';
import { resolveTargets } from './skill-targets.js';
import type { CliContext } from './deps.js';

/** What the skill use cases read. */
export type SkillDeps = Pick<CliContext, 'clock' | 'openDb' | 'config' | 'environment' | 'cwd'>;

/** Register and reconcile every configured target (a hand edit is recorded before anything else); a broken one is reported, not fatal. */
export function syncConfiguredSkills(deps: SkillDeps): { synced: SyncedSkill[]; problems: string[] } {
  const db = deps.openDb();
  const now = deps.clock.now().toISOString();
  const synced: SyncedSkill[] = [];
  const problems: string[] = [];
  let targets: SkillTarget[] = [];
  try {
    targets = resolveTargets({ config: deps.config(), environment: deps.environment, cwd: deps.cwd });
  } catch (error) {
    problems.push((error as Error).message);
    targets = resolveTargets({ config: { ...deps.config(), night: { ...deps.config().night, skills: [] } }, environment: deps.environment, cwd: deps.cwd });
  }
  for (const t of targets) {
    try {
      synced.push(syncSkill(db, t, now));
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return { synced, problems };
}

/** A stored skill as a target again (its recorded locations). */
export function storedTarget(db: Db, name: string): SkillTarget {
  const skill = getSkill(db, name);
  if (!skill) {
    const known = listSkills(db).map((s) => s.name);
    throw new SkillOptError('NOT_FOUND', `no skill named "${name}"`, { hint: known.length > 0 ? `known skills: ${known.join(', ')} (\`skillopt-sleep skills\` lists them)` : 'run `skillopt-sleep run --now` first, or name a skill file with --skill PATH' });
  }
  return { name: skill.name, kind: skill.kind, locations: listLocations(db, skill.id) };
}

/** Sync the configured skills, then reconcile the named one with its file. */
export function syncNamedSkill(deps: SkillDeps, name: string): SyncedSkill {
  syncConfiguredSkills(deps);
  const db = deps.openDb();
  return syncSkill(db, storedTarget(db, name), deps.clock.now().toISOString());
}
