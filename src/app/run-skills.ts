import { existsSync } from 'node:fs';
import { discoverSkills, type FoundSkill } from '../skills/discover.js';
import { syncConfiguredSkills, type SkillDeps } from './skill-store.js';

/** `skills`: the skills on disk per agent, and which of them the night trains. */
export function runSkills(deps: SkillDeps): { trained: Array<{ name: string; kind: string; version: number; state: string; locations: Array<{ agent: string; path: string; primary: boolean }> }>; found: Array<FoundSkill & { trained: boolean }>; problems: string[] } {
  const { synced, problems } = syncConfiguredSkills(deps);
  const trainedPaths = new Set(synced.flatMap((s) => s.locations.map((l) => l.path)));
  const found = discoverSkills({ homeDir: deps.environment.homeDir, env: deps.environment.env, exists: existsSync }, deps.cwd).map((f) => ({ ...f, trained: trainedPaths.has(f.path) }));
  return {
    trained: synced.map((s) => ({ name: s.skill.name, kind: s.skill.kind, version: s.latest.version, state: s.state, locations: s.locations.map((l) => ({ agent: l.agent, path: l.path, primary: l.primary })) })),
    found,
    problems,
  };
}
