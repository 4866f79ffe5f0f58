// Where rejected edits go so later reflections see them: the rejected-edit memory across nights.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Edit } from './types.js';

/** One edit a person rejected in review. */
export interface RejectedEditEntry {
  skillKey: string;
  edit: Edit;
  reason: 'review';
  night: number;
}

/** The rejected-edit memory as reject sees it (the store's rejected_edits repository implements it). */
export interface RejectedEditSink {
  add(entries: readonly RejectedEditEntry[]): void;
}

/**
 * A stand-in memory until the rejected_edits repository is wired: one JSON line per rejected edit in
 * the state folder (0600), so no decision is lost and the repository can import them.
 */
export function jsonlRejectedEditSink(path: string, now: () => string): RejectedEditSink {
  return {
    add(entries) {
      if (entries.length === 0) return;
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      appendFileSync(path, entries.map((e) => `${JSON.stringify({ ...e, at: now() })}\n`).join(''), { mode: 0o600 });
    },
  };
}

/** A sink that keeps entries in memory (tests). */
export function memoryRejectedEditSink(): RejectedEditSink & { entries: RejectedEditEntry[] } {
  const entries: RejectedEditEntry[] = [];
  return { entries, add: (more) => void entries.push(...more) };
}
