// Where each agent loads a skill from, and the skills a night trains. Pure: existence checks are passed in.
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { AgentName } from './agents.js';
import type { LocationRecord } from '../store/skills-repo.js';
import { createSkillText, parseSkill, serializeSkill, skillDescription, withFrontmatterFields } from './document.js';
import { splitSkillText } from './text.js';

/** A skill the night can train: one document rendered to one or more locations. */
export interface SkillTarget {
  name: string;
  kind: 'managed' | 'user';
  locations: LocationRecord[];
}

/** What locating needs from the machine. */
export interface TargetEnv {
  homeDir: string;
  env: Readonly<Record<string, string | undefined>>;
  exists: (path: string) => boolean;
}

/** The agents whose folders exist in HOME (auto), else Claude Code; or the configured list. */
export function resolveAgents(setting: 'auto' | readonly AgentName[], t: TargetEnv): AgentName[] {
  if (setting !== 'auto') return [...setting];
  const found: AgentName[] = [];
  if (t.exists(join(t.homeDir, '.claude'))) found.push('claude-code');
  if (t.env.CODEX_HOME || t.exists(join(t.homeDir, '.codex')) || t.exists(join(t.homeDir, '.agents'))) found.push('codex');
  if (t.env.COPILOT_HOME || t.exists(join(t.homeDir, '.copilot'))) found.push('copilot');
  return found.length > 0 ? found : ['claude-code'];
}

/**
 * Codex reads user skills from `$CODEX_HOME/skills` (Codex Desktop, oh-my-codex) and `~/.agents/skills`
 * (the Codex docs, SkillOpt's installer): write where the user's skills already live, `$CODEX_HOME` first.
 */
export function codexSkillsRoot(t: TargetEnv): string {
  if (t.env.CODEX_HOME) return join(t.env.CODEX_HOME, 'skills');
  const codex = join(t.homeDir, '.codex', 'skills');
  return t.exists(codex) ? codex : join(t.homeDir, '.agents', 'skills');
}

/** The managed learned skill's locations: one SKILL.md per skill-reading agent, a user instructions file for Copilot. */
export function managedTarget(name: string, agents: readonly AgentName[], t: TargetEnv): SkillTarget {
  const locations: LocationRecord[] = [];
  for (const agent of agents) {
    if (agent === 'claude-code') locations.push({ agent, scope: 'user', format: 'skill', path: join(t.homeDir, '.claude', 'skills', name, 'SKILL.md'), primary: false });
    else if (agent === 'codex') locations.push({ agent, scope: 'user', format: 'skill', path: join(codexSkillsRoot(t), name, 'SKILL.md'), primary: false });
    else if (agent === 'copilot') {
      // A file of our own beside the user's copilot-instructions.md, so nothing they wrote is rewritten.
      const root = t.env.COPILOT_HOME ?? join(t.homeDir, '.copilot');
      locations.push({ agent, scope: 'user', format: 'instructions', path: join(root, 'instructions', `${name}.instructions.md`), primary: false });
    } else agent satisfies never;
  }
  if (locations[0]) locations[0].primary = true;
  return { name, kind: 'managed', locations };
}

/** The agent and scope a user-named skill path belongs to, read from its folders. */
export function classifySkillPath(path: string, homeDir: string): { agent: string; scope: 'user' | 'project' } {
  const parts = path.split(sep);
  const has = (a: string, b?: string) => parts.some((p, i) => p === a && (b === undefined || parts[i + 1] === b));
  const agent = has('.claude') ? 'claude-code' : has('.agents', 'skills') || has('.codex') ? 'codex' : has('.github') || has('.copilot') ? 'copilot' : 'any';
  const rel = relative(homeDir, path);
  const directlyInHome = !rel.startsWith('..') && !isAbsolute(rel) && /^\.(claude|codex|agents|copilot)[\\/]/.test(rel);
  return { agent, scope: directlyInHome ? 'user' : 'project' };
}

/** A skill the user named: its name is its frontmatter name, else its folder (SKILL.md) or file name. */
export function userTarget(path: string, frontmatterName: string | undefined, cwd: string, homeDir: string): SkillTarget {
  const abs = resolve(cwd, path);
  const fallback = basename(abs).toLowerCase() === 'skill.md' ? basename(dirname(abs)) : basename(abs).replace(/(\.instructions)?\.md$/i, '');
  const { agent, scope } = classifySkillPath(abs, homeDir);
  return { name: frontmatterName ?? fallback, kind: 'user', locations: [{ agent, scope, format: 'skill', path: abs, primary: true }] };
}

/** What the managed skill holds before any proposal is adopted: frontmatter and an empty body. */
export function managedBaseline(name: string): string {
  return createSkillText({ name, description: 'Preferences learned overnight from your own sessions by skillopt-sleep. Follow them when they apply.', body: '' });
}

/** The bytes a location holds for a canonical document: SKILL.md as is; an instructions file applies everywhere. */
export function renderForLocation(format: LocationRecord['format'], canonical: string): string {
  if (format === 'skill') return canonical;
  const doc = parseSkill(canonical);
  const description = skillDescription(doc);
  // Frontmatter of an instructions file: applyTo (and a description), never the skill's name.
  const bare = { ...doc, frontmatterRaw: null, frontmatter: null, fences: null };
  return serializeSkill(withFrontmatterFields(bare, { applyTo: '**', ...(description ? { description } : {}) }));
}

/** Read a location's bytes back as the canonical document: an instructions file's body under the canonical frontmatter. */
export function canonicalFromLocation(format: LocationRecord['format'], text: string, canonical: string): string {
  if (format === 'skill') return text;
  const prefix = splitSkillText(canonical).prefix;
  return `${prefix}${splitSkillText(text).body}`;
}
