import type { Migration } from './index.js';

/**
 * Family kin: families the person corrected by the same checks, with answers of the same shape, are one kind of
 * request asked in other words (another language, another voice). Mining records the kin of each family it plans,
 * so kindred families' instances are split by time together, the ones this run did not touch included.
 */
export const m010FamilyKin: Migration = {
  version: 10,
  name: 'family-kin',
  sql: `
ALTER TABLE task_families ADD COLUMN kin TEXT;
CREATE INDEX task_families_kin ON task_families(kin) WHERE kin IS NOT NULL;
`,
};
