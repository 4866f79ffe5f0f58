// Find the skills already on disk, user- and project-level, for every agent (edge: reads folders).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatError } from '../core/errors.js';
import { parseSkill, skillDescription, skillName } from './document.js';
import { readSkillText } from './disk.js';
import { codexSkillsRoot, type TargetEnv } from './targets.js';

/** A skill found on disk. */
export interface FoundSkill {
  name: string;
  description: string | null;
  agent: string;
  scope: 'user' | 'project';
  path: string;
  /** Why the file cannot be trained as it is (not UTF-8, broken frontmatter). */
  problem: string | null;
}

/** The folders each agent loads skills and instructions from. */
export function skillRoots(t: TargetEnv, cwd: string): Array<{ agent: string; scope: 'user' | 'project'; dir?: string; file?: string }> {
  const home = t.homeDir;
  const codex = codexSkillsRoot(t);
  const roots: Array<{ agent: string; scope: 'user' | 'project'; dir?: string; file?: string }> = [
    { agent: 'claude-code', scope: 'user', dir: join(home, '.claude', 'skills') },
    { agent: 'codex', scope: 'user', dir: codex },
    ...(codex !== join(home, '.agents', 'skills') ? [{ agent: 'codex', scope: 'user' as const, dir: join(home, '.agents', 'skills') }] : []),
    { agent: 'copilot', scope: 'user', dir: join(t.env.COPILOT_HOME ?? join(home, '.copilot'), 'skills') },
    { agent: 'copilot', scope: 'user', file: join(t.env.COPILOT_HOME ?? join(home, '.copilot'), 'copilot-instructions.md') },
  ];
  if (cwd !== home) {
    roots.push(
      { agent: 'claude-code', scope: 'project', dir: join(cwd, '.claude', 'skills') },
      { agent: 'codex', scope: 'project', dir: join(cwd, '.agents', 'skills') },
      { agent: 'copilot', scope: 'project', dir: join(cwd, '.github', 'skills') },
      { agent: 'copilot', scope: 'project', file: join(cwd, '.github', 'copilot-instructions.md') },
    );
  }
  return roots;
}

/** Every SKILL.md (one folder deep) and instructions file in the agents' roots, sorted by path. */
export function discoverSkills(t: TargetEnv, cwd: string): FoundSkill[] {
  const found: FoundSkill[] = [];
  const add = (agent: string, scope: 'user' | 'project', path: string, fallback: string) => {
    try {
      const text = readSkillText(path);
      if (text === null) return;
      const doc = parseSkill(text, path);
      found.push({ name: skillName(doc) ?? fallback, description: skillDescription(doc) ?? null, agent, scope, path, problem: null });
    } catch (error) {
      found.push({ name: fallback, description: null, agent, scope, path, problem: formatError(error) });
    }
  };
  for (const root of skillRoots(t, cwd)) {
    if (root.file) {
      if (existsSync(root.file)) add(root.agent, root.scope, root.file, 'copilot-instructions');
      continue;
    }
    if (!root.dir || !existsSync(root.dir)) continue;
    for (const entry of readdirSync(root.dir, { withFileTypes: true })) {
      if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
      add(root.agent, root.scope, join(root.dir, entry.name, 'SKILL.md'), entry.name);
    }
  }
  const seen = new Set<string>();
  return found.filter((f) => !seen.has(f.path) && seen.add(f.path)).sort((a, b) => a.path.localeCompare(b.path));
}
