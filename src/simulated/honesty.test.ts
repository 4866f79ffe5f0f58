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

describe('common random numbers in the simulated target', () => {
  const lookup = () => ({ answer: 'It was released on October 11, 2018, after a long review of the design.' });
  const target = createSimulatedTarget({ followRate: 0.6, slipRate: 0.3, seed: 3, lookup });
  const ask = async (skill: string, seed: number) => (await target.complete({ system: renderTargetSystem(skill), user: 'q', skill: { name: 's', text: skill }, sampleIndex: 0, seed })).text;

  it('gives the same answer under a skill whose extra text it does not act on, sample by sample', async () => {
    const base = '# Skill\nWrite every date in ISO 8601 format (YYYY-MM-DD).\n';
    const noOp = `${base}Be thorough and precise.\n`;
    const answers = await Promise.all(Array.from({ length: 40 }, async (_, s) => [await ask(base, s), await ask(noOp, s)]));
    expect(answers.every(([a, b]) => a === b)).toBe(true);
    // ...while the noise is real: across seeds the answers differ (slips, ignored instructions).
    expect(new Set(answers.map(([a]) => a)).size).toBeGreaterThan(1);
  });

  it('differs from the incumbent only by the behaviour the new line switches on', async () => {
    const base = '# Skill\nWrite every date in ISO 8601 format (YYYY-MM-DD).\n';
    const tagged = `${base}Always wrap the final answer in <answer>...</answer> tags.\n`;
    // No slips here, so every difference is the tags instruction being followed or not.
    const steady = createSimulatedTarget({ followRate: 0.6, slipRate: 0, seed: 3, lookup });
    const askSteady = async (skill: string, seed: number) => (await steady.complete({ system: renderTargetSystem(skill), user: 'q', skill: { name: 's', text: skill }, sampleIndex: 0, seed })).text;
    const outcomes = new Set<string>();
    for (let s = 0; s < 40; s++) {
      const [a, b] = [await askSteady(base, s), await askSteady(tagged, s)];
      expect(b === a || b === `<answer>${a}</answer>`).toBe(true);
      outcomes.add(b === a ? 'ignored' : 'followed');
    }
    expect(outcomes).toEqual(new Set(['ignored', 'followed']));
  });
});
