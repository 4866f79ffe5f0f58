import { posix, win32 } from 'node:path';
import { stat } from 'node:fs/promises';
import type { Environment } from '../../../core/paths.js';
import { fastGlob } from '../../lazy-glob.js';

/** `$GEMINI_CLI_HOME/.gemini`, else `~/.gemini` (home-relative on every platform). */
export function geminiCliRoots(environment: Environment): string[] {
  const path = environment.platform === 'win32' ? win32 : posix;
  const home = environment.env.GEMINI_CLI_HOME || environment.homeDir;
  return [path.join(home, '.gemini')];
}

// Only `tmp/<project>/chats/session-*`: sub-agent chats nest one level deeper, and `~/.gemini` also holds
// other products' data (Antigravity) and checkpoint files that are not sessions.
const SESSION_PATTERNS = ['tmp/*/chats/session-*.{json,jsonl}'];

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Gemini CLI chat files below the roots, sorted; a `.json` whose session was rewritten as `.jsonl` is dropped. */
export async function discoverGeminiSessions(roots: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const root of roots) {
    if (!(await isDirectory(root))) continue;
    const files = await fastGlob()(SESSION_PATTERNS, { cwd: root, absolute: true, onlyFiles: true, suppressErrors: true, followSymbolicLinks: false });
    for (const file of files) found.add(file);
  }
  return [...found].filter((file) => !(file.endsWith('.json') && found.has(`${file}l`))).sort();
}
