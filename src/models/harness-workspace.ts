import { mkdtempSync, mkdirSync, writeFileSync, rmSync, symlinkSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SkillOptError } from '../core/errors.js';
import { OWN_REPLAY_DIR_PREFIX } from '../core/own-replay.js';

/** Which agent harness a workspace is prepared for. */
export type HarnessAgent = 'claude-code' | 'codex';

/**
 * How the candidate skill is made visible to Codex.
 * `skills-dir` installs `<ws>/.agents/skills/<name>/SKILL.md` (the repo-scoped skills folder Codex scans);
 * `skills-dir+agents-md` also inlines the skill into `<ws>/AGENTS.md`, for Codex builds that predate skills.
 */
export type CodexSkillLayout = 'skills-dir' | 'skills-dir+agents-md';

/** What to put in a replay workspace. */
export interface WorkspaceOptions {
  agent: HarnessAgent;
  /** The candidate skill under test. */
  skill?: { name: string; text: string };
  /** Task context written where the agent loads project instructions (Claude Code: CLAUDE.md, Codex: AGENTS.md). */
  contextText?: string;
  /** The user's project; only linked into the workspace (as `project/`) when allowProjectAccess is true. */
  projectDir?: string;
  allowProjectAccess?: boolean;
  codexSkillLayout?: CodexSkillLayout;
}

/** A prepared replay workspace; call dispose() when the run is over (withHarnessWorkspace does it for you). */
export interface HarnessWorkspace {
  dir: string;
  skillPath?: string;
  contextPath?: string;
  dispose(): void;
}

const SKILL_NAME_MAX = 64;

/** Turn any skill name into a safe folder name (kebab-case, no path separators), so it cannot escape the workspace. */
export function sanitizeSkillName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, SKILL_NAME_MAX);
  return cleaned || 'skill';
}

/** Where each agent loads a project-scoped skill, relative to its working folder. */
export function skillInstallPath(agent: HarnessAgent, dir: string, skillName: string): string {
  const name = sanitizeSkillName(skillName);
  switch (agent) {
    case 'claude-code':
      return join(dir, '.claude', 'skills', name, 'SKILL.md');
    case 'codex':
      return join(dir, '.agents', 'skills', name, 'SKILL.md');
    default:
      agent satisfies never;
      throw new Error('unreachable');
  }
}

/**
 * Both agents only list a skill whose frontmatter has `name` and `description`; a bare Markdown skill
 * would be silently ignored, so we add a minimal frontmatter when there is none.
 */
export function ensureSkillFrontmatter(name: string, text: string): string {
  if (/^---\r?\n[\s\S]*?\r?\n---\r?\n?/.test(text)) return text;
  const safe = sanitizeSkillName(name);
  return `---\nname: ${safe}\ndescription: Instructions to follow for every task in this workspace (${safe}).\n---\n\n${text}`;
}

function contextFileName(agent: HarnessAgent): string {
  return agent === 'claude-code' ? 'CLAUDE.md' : 'AGENTS.md';
}

/**
 * Create a fresh replay workspace under tmpDir. The folder name starts with OWN_REPLAY_DIR_PREFIX because
 * both agents record their cwd in the transcript: harvest uses it to skip our own replay sessions.
 */
export function createHarnessWorkspace(tmpDir: string, options: WorkspaceOptions): HarnessWorkspace {
  let dir: string;
  try {
    mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
    dir = mkdtempSync(join(tmpDir, OWN_REPLAY_DIR_PREFIX));
  } catch (error) {
    throw new SkillOptError('UNAVAILABLE', `cannot create a replay workspace under ${tmpDir}`, {
      hint: 'check that the temp folder exists and is writable (TMPDIR)',
      cause: error,
    });
  }
  const dispose = (): void => {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const workspace: HarnessWorkspace = { dir, dispose };
    const contextParts: string[] = [];
    if (options.contextText) contextParts.push(options.contextText);
    if (options.skill) {
      const path = skillInstallPath(options.agent, dir, options.skill.name);
      mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
      writeFileSync(path, ensureSkillFrontmatter(options.skill.name, options.skill.text), { mode: 0o600 });
      workspace.skillPath = path;
      if (options.agent === 'codex' && options.codexSkillLayout === 'skills-dir+agents-md') {
        contextParts.push(`# Skill: ${sanitizeSkillName(options.skill.name)}\n\n${options.skill.text}`);
      }
    }
    if (contextParts.length > 0) {
      const path = join(dir, contextFileName(options.agent));
      writeFileSync(path, `${contextParts.join('\n\n')}\n`, { mode: 0o600 });
      workspace.contextPath = path;
    }
    if (options.allowProjectAccess && options.projectDir) {
      // A link rather than running in the project: the cwd must stay a replay folder so harvest skips it.
      symlinkSync(options.projectDir, join(dir, 'project'), 'dir');
    }
    return workspace;
  } catch (error) {
    dispose();
    throw new SkillOptError('UNAVAILABLE', `cannot prepare the replay workspace ${dir}`, {
      hint: 'check free disk space and permissions of the temp folder',
      cause: error,
    });
  }
}

/** Run fn inside a fresh workspace and always remove it afterwards (success, error, timeout or cancel). */
export async function withHarnessWorkspace<T>(
  tmpDir: string,
  options: WorkspaceOptions,
  fn: (workspace: HarnessWorkspace) => Promise<T>,
): Promise<T> {
  const workspace = createHarnessWorkspace(tmpDir, options);
  try {
    return await fn(workspace);
  } finally {
    workspace.dispose();
  }
}

/**
 * Remove replay workspaces left behind by a process that died before its cleanup ran (power loss, SIGKILL).
 * Only folders with our prefix and older than maxAgeMs are touched. Returns the removed paths.
 */
export function sweepStaleWorkspaces(tmpDir: string, now: Date, maxAgeMs: number): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(tmpDir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(OWN_REPLAY_DIR_PREFIX)) continue;
    const path = join(tmpDir, name);
    try {
      const stat = statSync(path);
      if (!stat.isDirectory() || now.getTime() - stat.mtimeMs < maxAgeMs) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Raced with another sweeper or a live run finishing; nothing to do.
    }
  }
  return removed;
}

