import { describe, it, expect } from 'vitest';
import { quote, reflectionSystem, renderReflectionUser, renderSlowUpdateUser, SECTION, type Trajectory } from './render.js';

const t = (over: Partial<Trajectory> = {}): Trajectory => ({
  taskId: 't1',
  prompt: 'Summarise the report.',
  response: 'A short answer.',
  toolCalls: [],
  verdict: { hard: 0, soft: 0.5, checks: [], feedback: ['the reply must contain "Sources:"'], broken: [] },
  ...over,
});

describe('optimizer prompts', () => {
  it('keeps the head and the tail of a long response, saying how much was cut', () => {
    const long = `${'a'.repeat(3000)}END-MARKER`;
    const q = quote(long, 1000);
    expect(q).toContain('a'.repeat(600));
    expect(q).toContain('END-MARKER');
    expect(q).toContain('[... 2010 characters omitted ...]');
    expect(quote('short', 1000)).toBe('<<<\nshort\n>>>');
  });

  it('explains every op with a one-line example in the contract', () => {
    const system = reflectionSystem('failure');
    for (const op of ['append', 'insert_after', 'replace', 'delete']) expect(system).toMatch(new RegExp(`^- ${op}: .+\\{"op":"${op}"`, 'm'));
  });

  it('shows the rejected-edit memory of earlier nights with reason, drop and night', () => {
    const user = renderReflectionUser({
      skill: '# S',
      budget: 4,
      kind: 'failure',
      trajectories: [t()],
      rejected: [],
      remembered: [
        { edit: { op: 'append', content: 'Answer in as few words as possible.' }, reason: 'gate', scoreDrop: 0.1, night: 3, at: '2026-11-20T03:00:00.000Z' },
        { edit: { op: 'append', content: 'Be thorough.' }, reason: 'review', scoreDrop: null, night: null, at: '2026-11-21T09:00:00.000Z' },
      ],
    });
    expect(user).toContain(SECTION.memory);
    expect(user).toContain('1. [append] "Answer in as few words as possible." (the gate rejected it, val -10.0 pts; night 3)');
    expect(user).toContain('2. [append] "Be thorough." (rejected by the person at review; 2026-11-21)');
  });

  it('gives the slow update both the previous and the current skill\'s attempt at each task', () => {
    const before = t({ response: 'OLD ANSWER', verdict: { hard: 1, soft: 1, checks: [], feedback: [], broken: [] } });
    const after = t({ response: 'NEW ANSWER' });
    const user = renderSlowUpdateUser({ previousSkill: 'p', currentSkill: 'c', guidance: '', pairs: [{ category: 'regressed', before, after }] });
    const block = user.slice(user.indexOf('### regressed'));
    expect(block.indexOf('NEW ANSWER')).toBeLessThan(block.indexOf('OLD ANSWER'));
    expect(block).toContain('Under the previous skill:');
    expect(block).toContain('Previous score: hard 1, soft 1.00');
  });
});
