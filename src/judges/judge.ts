import { SkillOptError } from '../core/errors.js';
import type { ModelBackend } from '../models/types.js';
import { judgeExact } from './exact.js';
import { judgeRubric } from './rubric.js';
import type { RubricOptions } from './rubric.js';
import { runChecks } from './rules.js';
import type { Judge, JudgeInput, Verdict } from './types.js';

/** What judging may need: the optimizer model (rubric judges only) and rubric options. */
export interface JudgeDeps {
  optimizer?: ModelBackend;
  rubric?: Omit<RubricOptions, 'checks'>;
}

/**
 * Score one attempt with the task's judge. Rule and exact judges are local and free; a rubric
 * judge makes one optimizer call and needs `deps.optimizer`.
 */
export async function judgeResponse(judge: Judge, input: JudgeInput, deps: JudgeDeps): Promise<Verdict> {
  switch (judge.kind) {
    case 'rule':
      return runChecks(judge.checks, input);
    case 'exact':
      return judgeExact(judge.answer, input);
    case 'rubric': {
      if (deps.optimizer === undefined) {
        throw new SkillOptError('INPUT', 'a rubric judge needs an optimizer model to score the reply, and none was given', {
          hint: 'configure an optimizer backend (the "optimizer" section of config.json, or the simulated backend for a dry run), or give the task a rule or exact judge',
        });
      }
      return judgeRubric(judge.rubric, input, deps.optimizer, { ...deps.rubric, ...(judge.checks ? { checks: judge.checks } : {}) });
    }
    default:
      judge satisfies never;
      throw new SkillOptError('INPUT', `unknown judge kind ${JSON.stringify((judge as { kind?: unknown }).kind)}`, {
        hint: 'use a judge of kind "rule", "exact" or "rubric"',
      });
  }
}

/**
 * True when a verdict measured nothing: no usable check ran, or the rubric judge (which decides
 * a rubric task) was broken. The gate must skip such a verdict instead of counting it as a fail.
 */
export function isUnscored(verdict: Verdict): boolean {
  if (verdict.checks.length === 0) return true;
  if (verdict.checks.some((check) => check.op === 'rubric' && check.broken !== undefined)) return true;
  return verdict.checks.every((check) => check.broken !== undefined);
}
