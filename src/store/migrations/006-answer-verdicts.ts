import type { Migration } from './index.js';

/** Each mined request keeps every answer the agent gave it and the person's verdict (corrected / accepted): judges are grounded on them. */
export const m006AnswerVerdicts: Migration = {
  version: 6,
  name: 'answer-verdicts',
  sql: `ALTER TABLE family_members ADD COLUMN answers_json TEXT NOT NULL DEFAULT '[]';`,
};
