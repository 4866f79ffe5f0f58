// Where rejected edits go so later reflections see them: the rejected-edit memory across nights.
import type { Edit } from './types.js';

/** One edit a person rejected in review. */
export interface RejectedEditEntry {
  skillKey: string;
  edit: Edit;
  reason: 'review';
  night: number;
}

/** The rejected-edit memory as reject sees it (src/app/deps.ts puts it over the store's rejected_edits repository). */
export interface RejectedEditSink {
  add(entries: readonly RejectedEditEntry[]): void;
}

/** A sink that keeps entries in memory (tests). */
export function memoryRejectedEditSink(): RejectedEditSink & { entries: RejectedEditEntry[] } {
  const entries: RejectedEditEntry[] = [];
  return { entries, add: (more) => void entries.push(...more) };
}
