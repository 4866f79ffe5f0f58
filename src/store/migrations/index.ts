import { m001Core } from './001-core.js';
import { m002Harvest } from './002-harvest.js';
import { m003Mine } from './003-mine.js';
import { m006AnswerVerdicts } from './006-answer-verdicts.js';

/** One numbered schema change. Versions are dense and never reused. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [m001Core, m002Harvest, m003Mine, m006AnswerVerdicts];
