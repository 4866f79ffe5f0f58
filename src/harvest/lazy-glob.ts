import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let glob: typeof import('fast-glob') | undefined;

/**
 * fast-glob, loaded on first use. The Copilot and Gemini sources glob their folders; a harvest where none of those
 * folders exists never loads its 20 modules (1.8 MB resident). Claude Code and Codex use walk.ts instead.
 */
export function fastGlob(): typeof import('fast-glob') {
  glob ??= require('fast-glob') as typeof import('fast-glob');
  return glob;
}
