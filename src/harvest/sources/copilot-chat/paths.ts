import { posix, win32 } from 'node:path';
import { stat } from 'node:fs/promises';
import type { Environment } from '../../../core/paths.js';
import { fastGlob } from '../../lazy-glob.js';

/** VS Code builds whose chat history we read; Insiders keeps its own user-data folder. */
const PRODUCT_FOLDERS = ['Code', 'Code - Insiders'];

/**
 * The `User` folders of VS Code stable and Insiders for this platform (they may not exist).
 * A portable install (`VSCODE_PORTABLE`) keeps its data beside the binary and comes first.
 */
export function copilotChatRoots(environment: Environment): string[] {
  const { env, platform, homeDir } = environment;
  const path = platform === 'win32' ? win32 : posix;
  const roots: string[] = [];
  if (env.VSCODE_PORTABLE) roots.push(path.join(env.VSCODE_PORTABLE, 'user-data', 'User'));
  let base: string;
  if (platform === 'win32') base = env.APPDATA || path.join(homeDir, 'AppData', 'Roaming');
  else if (platform === 'darwin') base = path.join(homeDir, 'Library', 'Application Support');
  else base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : path.join(homeDir, '.config');
  for (const product of PRODUCT_FOLDERS) roots.push(path.join(base, product, 'User'));
  return roots;
}

// Relative to a `User` folder, plus the same layout when a root is a `workspaceStorage` folder itself.
const SESSION_PATTERNS = [
  'workspaceStorage/*/chatSessions/*.{json,jsonl}',
  'globalStorage/emptyWindowChatSessions/*.{json,jsonl}',
  '*/chatSessions/*.{json,jsonl}',
];

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Chat session files below the roots, as absolute paths, sorted. When a session has both a `.json`
 * (before 1.109) and a `.jsonl` (after), VS Code reads the `.jsonl`, so only that one is returned.
 */
export async function discoverChatSessions(roots: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const root of roots) {
    if (!(await isDirectory(root))) continue;
    const files = await fastGlob()(SESSION_PATTERNS, { cwd: root, absolute: true, onlyFiles: true, suppressErrors: true, followSymbolicLinks: false });
    for (const file of files) found.add(file);
  }
  const result = [...found].filter((file) => !(file.endsWith('.json') && found.has(`${file}l`)));
  return result.sort();
}
