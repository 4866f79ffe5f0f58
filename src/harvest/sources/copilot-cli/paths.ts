import { posix, win32 } from 'node:path';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Environment } from '../../../core/paths.js';

const require = createRequire(import.meta.url);
let glob: typeof import('fast-glob') | undefined;

/** fast-glob, loaded on first use: a harvest with no Copilot folder never pays for its modules (1.8 MB resident). */
function fastGlob(): typeof import('fast-glob') {
  glob ??= require('fast-glob') as typeof import('fast-glob');
  return glob;
}

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
