import { readdir, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The paths below `root` whose segments match `pattern`, one test per segment (`['*', /\.jsonl$/]` is `*\/*.jsonl`):
 * every segment but the last must be a folder (a symbolic link to one is followed), the last may be anything (the
 * harvester stats it). Names starting with a dot never match, as in a shell glob. A fixed depth bounds the walk, so a
 * symbolic link loop cannot hang it; an unreadable folder is skipped.
 *
 * Replaces fast-glob on the harvest path: importing and running it for two fixed-depth patterns cost 8 MB of a
 * harvest's peak memory (measured on 5,000 files), a readdir per folder costs nothing worth measuring.
 */
export async function walkPattern(root: string, pattern: ReadonlyArray<RegExp>): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    const test = pattern[depth];
    if (!test) return;
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const last = depth === pattern.length - 1;
    for (const entry of entries) {
      if (entry.name.startsWith('.') || !test.test(entry.name)) continue;
      const path = join(dir, entry.name);
      if (last) {
        out.push(path);
        continue;
      }
      let isDir = entry.isDirectory();
      if (!isDir && entry.isSymbolicLink()) {
        try {
          isDir = (await stat(path)).isDirectory();
        } catch {
          isDir = false; // a broken link leads nowhere
        }
      }
      if (isDir) await visit(path, depth + 1);
    }
  };
  await visit(resolve(root), 0);
  return out;
}

/** Any name (a glob `*`). */
export const ANY_NAME = /^/;
