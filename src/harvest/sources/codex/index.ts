import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Environment } from '../../../core/paths.js';
import type { SourceAdapter } from '../../types.js';
import { CodexParser } from './parse.js';
import { ANY_NAME, walkPattern } from '../../walk.js';

/** `rollout-*.jsonl`. */
const ROLLOUT_NAME = /^rollout-.*\.jsonl$/;

/** `$CODEX_HOME` (default `~/.codex`). */
export function codexHome(environment: Environment): string {
  return environment.env.CODEX_HOME || join(environment.homeDir, '.codex');
}

/** Live rollouts (`sessions/`, in local-time YYYY/MM/DD folders) and archived ones (flat). */
export function codexRoots(environment: Environment): string[] {
  const home = codexHome(environment);
  return [join(home, 'sessions'), join(home, 'archived_sessions')];
}

/**
 * Rollout files below the roots. A root may be a Codex home, its `sessions/` or its `archived_sessions/`.
 * When the same rollout exists live and archived, the live copy wins.
 */
export async function discoverCodexRollouts(roots: readonly string[]): Promise<string[]> {
  const byName = new Map<string, string>();
  const expanded: string[] = [];
  for (const root of roots) {
    if (existsSync(join(root, 'sessions')) || existsSync(join(root, 'archived_sessions'))) {
      expanded.push(join(root, 'sessions'), join(root, 'archived_sessions'));
    } else {
      expanded.push(root);
    }
  }
  for (const root of expanded) {
    if (!existsSync(root)) continue;
    const archived = basename(root) === 'archived_sessions';
    // Fixed depth (YYYY/MM/DD) bounds the walk, so a symlink loop cannot hang it.
    const entries = [...(await walkPattern(root, [ROLLOUT_NAME])), ...(await walkPattern(root, [ANY_NAME, ANY_NAME, ANY_NAME, ROLLOUT_NAME]))];
    for (const entry of entries) {
      const name = basename(entry);
      if (archived && byName.has(name)) continue;
      byName.set(name, entry);
    }
  }
  return [...new Set(byName.values())].sort();
}

/** The Codex source adapter (CLI, IDE extension, Desktop, `codex exec`). */
export const codexSource: SourceAdapter = {
  name: 'codex',
  defaultRoots: codexRoots,
  discover: discoverCodexRollouts,
  fileKind: () => 'jsonl',
  openParser: (path, saved) => new CodexParser(path, saved),
  parseDocument: () => ({ digests: [], skips: [{ reason: 'not_a_session', detail: 'Codex rollouts are JSONL' }] }),
};
