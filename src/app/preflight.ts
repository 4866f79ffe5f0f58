import type { Config } from '../config/config.js';
import type { Task } from '../tasks/types.js';
import type { TrainerConfig } from '../train/config.js';
import { SkillOptError } from '../core/errors.js';
import { assignSplits } from '../tasks/splits.js';
import { renderTargetSystem, renderTaskUser } from '../train/render.js';
import { estimateTokens } from '../models/types.js';
import { priceOf } from '../models/prices.js';
import { DEFAULT_API_MODELS, type ModelRoleConfig } from '../models/config.js';

/** The fewest tokens a run needs to make one gated step, and how that number was made. */
export interface StepMinimum {
  tokens: number;
  calls: number;
  detail: string;
}

// What the budget reserves for a call in flight: its prompt plus a reply of up to 512 tokens.
const replyAllowance = (role: ModelRoleConfig): number => Math.min(role.maxTokens ?? 512, 512);

/**
 * A lower bound of what the baseline plus one training step cost in tokens: the prompts of the baseline and the
 * candidate on every val sample, of one rollout batch and of its reflections (replies counted as one token, since
 * they are unknown). Also what the first wave of concurrent calls reserves, which the budget must hold at once.
 * Below either, a run can only refuse calls and measure nothing.
 */
export function estimateStepMinimum(tasks: readonly Task[], skillText: string, settings: TrainerConfig, config: Config): StepMinimum {
  const splits = assignSplits(tasks, { ...settings.split, seed: settings.seed });
  const system = estimateTokens(renderTargetSystem(skillText));
  const prompt = (t: Task): number => system + estimateTokens(renderTaskUser(t)) + 1;
  const valOnce = splits.val.reduce((sum, t) => sum + prompt(t), 0) * settings.valSamples;
  const batch = splits.train.slice(0, settings.batchSize);
  const rollouts = batch.reduce((sum, t) => sum + prompt(t), 0);
  const reflections = Math.max(1, Math.ceil(batch.length / Math.max(1, settings.minibatchSize)));
  // A reflection reads at least the skill and the batch's prompts.
  const reflect = reflections * (estimateTokens(skillText) + 1) + rollouts;
  const lower = 2 * valOnce + rollouts + reflect;
  const valCalls = splits.val.length * settings.valSamples;
  const largest = Math.max(0, ...splits.val.map((t) => prompt(t) + replyAllowance(config.target)));
  const wave = Math.min(config.concurrency, valCalls) * largest;
  return {
    tokens: Math.max(lower, wave),
    calls: 2 * valCalls + batch.length + reflections,
    detail:
      wave > lower
        ? `${Math.min(config.concurrency, valCalls)} concurrent calls reserve about ${largest} tokens each before they start`
        : `the prompts alone of the baseline and a candidate on ${valCalls} val samples, ${batch.length} rollouts and ${reflections} reflection(s)`,
  };
}

/** A role's model as its backend will name it (undefined when the backend picks its own). */
function modelOf(role: ModelRoleConfig): string | undefined {
  return role.model ?? role.azure?.deployment ?? DEFAULT_API_MODELS[role.backend];
}

/**
 * Refuse, before the first call, budgets that cannot be kept: a token budget below one step's minimum (with the
 * number needed), a cost budget with a model that has no price (with the config key that sets one).
 */
export function checkBudgetsUpFront(tasks: readonly Task[], skillText: string, settings: TrainerConfig, config: Config): void {
  const { maxTokens, maxCostUsd, allowUnpricedCalls, hardCeiling } = config.budget;
  if (maxTokens !== undefined) {
    const need = estimateStepMinimum(tasks, skillText, settings, config);
    // Calls run up to the hard ceiling, so the step in flight may finish past 1x.
    if (maxTokens * hardCeiling < need.tokens) {
      const atLeast = Math.ceil(need.tokens / hardCeiling / 100) * 100;
      throw new SkillOptError('CONFIG', `the token budget of ${maxTokens} is below what one training step needs: about ${need.tokens} tokens (${need.detail})`, {
        hint: `set budget.maxTokens (--max-tokens) to at least ${atLeast}, or use fewer val tasks or samples (--val-samples)`,
      });
    }
  }
  if (maxCostUsd !== undefined && !allowUnpricedCalls) {
    for (const [which, role] of [['target', config.target], ['optimizer', config.optimizer]] as const) {
      // The simulator costs nothing; claude -p reports its own cost.
      if (role.backend === 'simulated' || role.backend === 'claude-cli') continue;
      const model = modelOf(role);
      if (model !== undefined && priceOf(model, config.prices) !== undefined) continue;
      const name = model ?? `the ${role.backend} default model`;
      throw new SkillOptError('CONFIG', `a cost budget of $${maxCostUsd} cannot be kept: the ${which} model ${name} (${role.backend}) has no known price`, {
        hint: `add its price to config.json, e.g. "prices": {"${model ?? 'MODEL'}": {"input": 0.15, "output": 0.6}} (USD per million tokens), or set budget.allowUnpricedCalls to true, or drop --max-cost`,
      });
    }
  }
}
