import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { SkillOptError } from '../core/errors.js';
import type { Config } from '../config/config.js';
import type { Environment } from '../core/paths.js';
import { parseSkill, skillName } from '../skills/document.js';
import { readSkillText } from '../skills/disk.js';
import { managedTarget, resolveAgents, userTarget, type SkillTarget } from '../skills/targets.js';

/** True when a `--skill` value names a file rather than a skill. */
export function looksLikePath(value: string): boolean {
  return value.includes('/') || value.includes('\\') || /\.md$/i.test(value);
}

/** A user-named skill file as a target; a path that does not exist, is a folder, is not UTF-8 or has broken frontmatter is an INPUT error. */
export function userSkillTarget(path: string, cwd: string, homeDir: string): SkillTarget {
  const abs = resolve(cwd, path.startsWith('~/') ? `${homeDir}/${path.slice(2)}` : path);
  const text = readSkillText(abs);
  if (text === null) throw new SkillOptError('INPUT', `skill file ${abs} does not exist`, { hint: 'pass the path of an existing Markdown skill file (e.g. ~/.claude/skills/NAME/SKILL.md), or fix night.skills in config.json' });
  return userTarget(abs, skillName(parseSkill(text, abs)), cwd, homeDir);
}

/** Every target a night trains: the managed learned skill, then night.skills from config, then a `--skill PATH`. */
export function resolveTargets(input: { config: Config; environment: Environment; cwd: string; extraPath?: string | undefined }): SkillTarget[] {
  const { config, environment, cwd } = input;
  const t = { homeDir: environment.homeDir, env: environment.env, exists: existsSync };
  const targets = [managedTarget(config.night.managedSkill.name, resolveAgents(config.night.managedSkill.agents, t), t)];
  const paths = [...config.night.skills, ...(input.extraPath ? [input.extraPath] : [])];
  for (const path of paths) {
    const target = userSkillTarget(path, cwd, environment.homeDir);
    const clash = targets.find((x) => x.name === target.name);
    if (clash && clash.locations[0]?.path !== target.locations[0]?.path) {
      throw new SkillOptError('CONFIG', `two skills are both named "${target.name}": ${clash.locations[0]?.path} and ${target.locations[0]?.path}`, { hint: 'give one of them another frontmatter name, or list only one in night.skills' });
    }
    if (!clash) targets.push(target);
  }
  return targets;
}
