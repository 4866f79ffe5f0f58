import type { SimulationSpec } from '../tasks/types.js';
import { drawFor } from '../core/rng.js';
import { shortHash } from '../core/hash.js';
import { estimateTokens, type ChatRequest, type ChatResponse, type ModelBackend } from '../models/types.js';
import { behavioursIn, type SimAnswer } from './behaviours.js';

/** Noise settings of the simulated target. */
export interface SimulatedTargetOptions {
  /** Probability of following each recognised instruction (per task, sample and skill). */
  followRate: number;
  /** Baseline probability of a slip that spoils an answer whatever the skill says. */
  slipRate: number;
  seed: number;
  /** Finds what the target "knows" about a task from the user text it was sent. */
  lookup: (userText: string) => SimulationSpec | undefined;
  model?: string;
}

/**
 * The offline target model. It reads only the skill text it is given (request.skill, else the system
 * text) and follows the instructions it recognises there; the task's plain answer comes from `lookup`,
 * standing for what a model would answer anyway. Draws depend on the skill text too, so an incumbent
 * and a candidate get independent noise, as two prompts to a real model would.
 */
export function createSimulatedTarget(options: SimulatedTargetOptions): ModelBackend {
  const model = options.model ?? 'sim-target-1';
  return {
    backend: 'simulated',
    model,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      if (request.signal?.aborted) throw request.signal.reason ?? new Error('aborted');
      const skill = request.skill?.text ?? request.system;
      const spec = options.lookup(request.user);
      const text = spec ? actOut(spec, skill, request, options) : { text: 'I need more context to answer this.', toolCalls: [] };
      return {
        text: text.text,
        toolCalls: text.toolCalls,
        backend: 'simulated',
        model: request.model ?? model,
        // Offline and free: a known price of zero, so cost budgets work with the simulator.
        costUsd: 0,
        usage: { input: estimateTokens(request.system) + estimateTokens(request.user), output: estimateTokens(text.text), estimated: true },
      };
    },
  };
}

function actOut(spec: SimulationSpec, skill: string, request: ChatRequest, options: SimulatedTargetOptions): SimAnswer {
  const sample = request.sampleIndex ?? 0;
  const skillKey = shortHash(skill);
  const draw = (what: string) => drawFor(options.seed, skillKey, request.user, sample, what);
  let answer: SimAnswer = { text: spec.answer, toolCalls: [] };
  const active = behavioursIn(skill, request.user).filter((b) => draw(b.id) < options.followRate);
  const killSwitch = active.some((b) => b.id === 'ignore_formatting');
  for (const behaviour of active) {
    if (killSwitch && !behaviour.harmful) continue;
    answer = behaviour.apply(answer, spec, skill);
  }
  if (draw('slip') < options.slipRate + (spec.difficulty ?? 0)) {
    const words = answer.text.split(/\s+/).filter(Boolean);
    answer = { ...answer, text: `${words.slice(0, Math.max(1, Math.floor(words.length / 2))).join(' ')} ...` };
  }
  return answer;
}
