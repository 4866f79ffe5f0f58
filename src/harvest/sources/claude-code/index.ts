import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Environment } from '../../../core/paths.js';
import type { SourceAdapter } from '../../types.js';
import { ClaudeCodeParser } from './parse.js';
import { ANY_NAME, walkPattern } from '../../walk.js';

/**
 * Claude Code keeps `projects/` under `CLAUDE_CONFIG_DIR` (a comma list) when set, else under both
 * `~/.claude` and `~/.config/claude` (which one depends on the version that created it).
 */
export function claudeProjectRoots(environment: Environment): string[] {
  const configured = environment.env.CLAUDE_CONFIG_DIR;
  const bases = configured
    ? configured.split(',').map((s) => s.trim()).filter(Boolean)
    : [join(environment.homeDir, '.claude'), join(environment.homeDir, '.config', 'claude')];
  return [...new Set(bases.map((base) => join(base, 'projects')))];
}

/** The `projects/<slug>` folder name Claude Code derives from a working directory (lossy). */
export function projectSlug(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

/**
 * Could this session file hold sessions run in `projectDir` or below it? Compared on the slug, which is
 * lossy, so this only narrows the files to read; the digest's own cwd decides.
 */
export function couldHoldClaudeProject(path: string, projectDir: string): boolean {
  const folder = projectSlug(basename(dirname(path)));
  const wanted = projectSlug(projectDir.replace(/[\\/]+$/, ''));
  return folder === wanted || folder.startsWith(`${wanted}-`);
}

/** True for sub-agent transcripts (2.0.x `agent-*.jsonl`): their user turns are the parent model's prompts. */
export function isSubagentFile(path: string): boolean {
  return basename(path).startsWith('agent-') || basename(dirname(path)) === 'subagents';
}

/** Session files below the given roots: `<root>/<slug>/<sessionId>.jsonl`, sub-agent files excluded. */
export async function discoverClaudeSessions(roots: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const given of roots) {
    // Accept a Claude config folder as well as its projects/ folder (config lists either).
    const root = basename(given) !== 'projects' && existsSync(join(given, 'projects')) ? join(given, 'projects') : given;
    if (!existsSync(root)) continue;
    // A fixed-depth pattern bounds the walk, so a symlink loop below a root cannot hang discovery.
    const entries = await walkPattern(root, [ANY_NAME, /\.jsonl$/]);
    for (const entry of entries) if (!isSubagentFile(entry)) found.push(entry);
  }
  return [...new Set(found)].sort();
}

/** The Claude Code source adapter. */
export const claudeCodeSource: SourceAdapter = {
  name: 'claude-code',
  defaultRoots: claudeProjectRoots,
  discover: discoverClaudeSessions,
  fileKind: () => 'jsonl',
  couldHoldProject: couldHoldClaudeProject,
  openParser: (path, saved) => new ClaudeCodeParser(path, saved),
  parseDocument: () => ({ digests: [], skips: [{ reason: 'not_a_session', detail: 'Claude Code writes JSONL only' }] }),
};
