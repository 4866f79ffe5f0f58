// Unified diffs of skill texts for the morning report and the `diff` command.
import { createTwoFilesPatch, diffLines } from 'diff';
import { stripProtectedRegion } from './protected-region.js';

/** Options for diffSkills. */
export interface DiffSkillsOptions {
  /** File label of the old text (default "before"). */
  before?: string;
  /** File label of the new text (default "after"). */
  after?: string;
  /** Lines of context around each hunk (default 3). */
  context?: number;
  /** Diff with the protected slow-update region stripped from both sides. */
  ignoreProtected?: boolean;
}

/** A unified diff from before to after; '' when the texts are identical. */
export function diffSkills(before: string, after: string, options: DiffSkillsOptions = {}): string {
  const oldText = options.ignoreProtected ? stripProtectedRegion(before) : before;
  const newText = options.ignoreProtected ? stripProtectedRegion(after) : after;
  if (oldText === newText) return '';
  return createTwoFilesPatch(options.before ?? 'before', options.after ?? 'after', oldText, newText, undefined, undefined, {
    context: options.context ?? 3,
  });
}

/** Lines added and removed between two texts, for one-line summaries. */
export function countChangedLines(before: string, after: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const part of diffLines(before, after)) {
    if (part.added) added += part.count ?? 0;
    else if (part.removed) removed += part.count ?? 0;
  }
  return { added, removed };
}
