import { writeFileAtomic } from '../core/fs.js';
import type { Db } from '../store/db.js';
import { listPendingSummaries, type PendingSummary } from '../store/proposals-repo.js';
import type { Deps } from './deps.js';

/** The file the agent hooks read: `<state>/pending.json`. The store stays the truth; this is derived from it. */
export interface PendingFile {
  version: 1;
  updatedAt: string;
  pending: PendingSummary[];
}

/**
 * Rewrite `<state>/pending.json` from the store (atomically, 0600): called after every change to what is pending
 * (a night staged, adopt, reject, rollback), so a SessionStart hook can say in one read, with no daemon and no
 * CLI, that a proposal waits. A failure to write is logged, never thrown: the decision already happened.
 */
export function writePendingFile(deps: Pick<Deps, 'paths' | 'clock' | 'logger'> & { openDb(): Db }): PendingFile {
  const file: PendingFile = { version: 1, updatedAt: deps.clock.now().toISOString(), pending: listPendingSummaries(deps.openDb()) };
  try {
    writeFileAtomic(deps.paths.pending, `${JSON.stringify(file, null, 2)}\n`);
  } catch (error) {
    deps.logger.warn({ err: error, path: deps.paths.pending }, 'could not write the pending-proposals file the agent hooks read');
  }
  return file;
}
