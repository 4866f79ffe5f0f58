import { m001Core } from './001-core.js';
import { m002Harvest } from './002-harvest.js';
import { m003Mine } from './003-mine.js';
import { m004RejectedEdits } from './004-rejected-edits.js';
import { m005Night } from './005-night.js';
import { m006AnswerVerdicts } from './006-answer-verdicts.js';
import { m007Incremental } from './007-incremental.js';
import { m008FamilyPlans } from './008-family-plans.js';
import { m009AdoptWriteAhead } from './009-adopt-write-ahead.js';
import { m010FamilyKin } from './010-family-kin.js';
import { m011UndecidedEdits } from './011-undecided-edits.js';

/** One numbered schema change. Versions are dense and never reused. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [m001Core, m002Harvest, m003Mine, m004RejectedEdits, m005Night, m006AnswerVerdicts, m007Incremental, m008FamilyPlans, m009AdoptWriteAhead, m010FamilyKin, m011UndecidedEdits];
