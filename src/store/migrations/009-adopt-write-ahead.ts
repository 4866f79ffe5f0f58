import type { Migration } from './index.js';

/**
 * Adopt write-ahead: before an adopt writes a proposal RE-APPLIED to a hand-edited file (text no column held yet),
 * it records that exact text on the proposal row. A file found holding it later is that adoption completing (the
 * process was killed between the write and the record), not a hand edit.
 */
export const m009AdoptWriteAhead: Migration = {
  version: 9,
  name: 'adopt-write-ahead',
  sql: `
ALTER TABLE proposals ADD COLUMN reapplied_content TEXT;
ALTER TABLE proposals ADD COLUMN reapplied_sha256 TEXT;
`,
};
