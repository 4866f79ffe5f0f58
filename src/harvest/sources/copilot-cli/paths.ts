import { posix, win32 } from 'node:path';
import { stat } from 'node:fs/promises';
import type { Environment } from '../../../core/paths.js';
import { fastGlob } from '../../lazy-glob.js';

/** `$COPILOT_HOME`, else `~/.copilot` (home-relative on every platform). */
export function copilotCliRoots(environment: Environment): string[] {
  const fromEnv = environment.env.COPILOT_HOME;
  if (fromEnv) return [fromEnv];
  const path = environment.platform === 'win32' ? win32 : posix;
  return [path.join(environment.homeDir, '.copilot')];
}

// The three layouts, newest first: per-session folder, flat event file (late 2025), one JSON per session (early).
const SESSION_PATTERNS = ['session-state/*/events.jsonl', 'session-state/*.jsonl', 'history-session-state/*.json'];

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Copilot CLI session files below the roots, as sorted absolute paths; missing roots yield nothing. */
export async function discoverCliSessions(roots: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const root of roots) {
    if (!(await isDirectory(root))) continue;
    const files = await fastGlob()(SESSION_PATTERNS, { cwd: root, absolute: true, onlyFiles: true, suppressErrors: true, followSymbolicLinks: false });
    for (const file of files) found.add(file);
  }
  return [...found].sort();
}
