import type { Migration } from './index.js';

/**
 * Incremental harvest and mining at a cost proportional to what changed: which transcript file last wrote each
 * session (its checkpoint resumes from that stored digest instead of a second copy in the parser state).
 */
export const m010Incremental: Migration = {
  version: 10,
  name: 'incremental',
  sql: `
ALTER TABLE sessions ADD COLUMN written_by TEXT;
`,
};
