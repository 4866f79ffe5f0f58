import { describe, it, expect } from 'vitest';
import { createSimulatedOptimizer } from './optimizer.js';
import { createSimulatedTarget } from './target.js';
import { reflectionSystem, renderReflectionUser, renderTargetSystem, type Trajectory } from '../train/render.js';
import { parseReflectionReply } from '../judges/reflection-parse.js';

const trajectory = (over: Partial<Trajectory> = {}): Trajectory => ({
  taskId: 't1',
  prompt: 'When was BERT released?',
  response: 'BERT was released on October 11, 2018.',
  toolCalls: [],
  verdict: { hard: 0, soft: 0.5, checks: [], feedback: ['the reply must contain "<answer>" but it was not found'], broken: [] },
  ...over,
});

async function propose(trajectories: Trajectory[], seed = 1): Promise<string[]> {
  const optimizer = createSimulatedOptimizer({ seed, uselessRate: 0, harmfulRate: 0 });
  const reply = await optimizer.complete({
    system: reflectionSystem('failure'),
    user: renderReflectionUser({ skill: '# Skill\n', budget: 4, kind: 'failure', trajectories, rejected: [] }),
    purpose: 'reflect',
  });
  const parsed = parseReflectionReply(reply.text, { maxEdits: 4 });
  return parsed.ok ? parsed.edits.map((e) => e.content ?? '') : [];
}

describe('the simulator does not cheat', () => {
  it('the optimizer proposes from judge feedback it can read, and nothing when there is nothing to read', async () => {
    expect((await propose([trajectory()])).join('\n')).toMatch(/<answer>/);
    expect(await propose([trajectory({ verdict: { hard: 0, soft: 0, checks: [], feedback: ['the answer was wrong'], broken: [] } })])).toEqual([]);
  });

  it('the target follows only instructions present in the skill text it is given', async () => {
    const target = createSimulatedTarget({ followRate: 1, slipRate: 0, seed: 1, lookup: () => ({ answer: 'It was released on October 11, 2018.' }) });
    const plain = await target.complete({ system: renderTargetSystem('# Skill\n'), user: 'q' });
    expect(plain.text).toBe('It was released on October 11, 2018.');
    const skill = '# Skill\nAlways wrap the final answer in <answer>...</answer> tags.\nWrite every date in ISO 8601 format (YYYY-MM-DD).\n';
    const taught = await target.complete({ system: renderTargetSystem(skill), user: 'q', skill: { name: 's', text: skill } });
    expect(taught.text).toBe('<answer>It was released on 2018-10-11.</answer>');
    // A scoped instruction applies only where the request mentions its keyword.
    const scoped = '# Skill\nFor tasks that mention "commit": Always wrap the final answer in <answer>...</answer> tags.\n';
    expect((await target.complete({ system: scoped, user: 'q', skill: { name: 's', text: scoped } })).text).not.toContain('<answer>');
  });
});
