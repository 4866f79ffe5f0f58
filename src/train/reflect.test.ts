import { describe, expect, it } from 'vitest';
import { reflectOnBatch } from './reflect.js';
import { ModelError } from '../models/error-map.js';
import type { ModelBackend } from '../models/types.js';
import type { Trajectory } from './render.js';

const trajectory = (id: string): Trajectory => ({
  taskId: id,
  prompt: `task ${id}`,
  response: 'answer.',
  toolCalls: [],
  verdict: { hard: 0, soft: 0, checks: [], feedback: ['the reply must not match the pattern /\\.$/ but it does, at "."'], broken: [] },
});

function failing(error: () => Error): ModelBackend {
  return { backend: 'flaky', model: 'm', complete: async () => Promise.reject(error()) };
}

const reflect = (optimizer: ModelBackend) =>
  reflectOnBatch({ failures: [trajectory('a'), trajectory('b'), trajectory('c')], successes: [], skill: '# Skill\n', minibatchSize: 2, maxEdits: 4, rejected: [], metaNotes: '', seed: 1, optimizer });

describe('reflectOnBatch when the optimizer fails every call', () => {
  it('lists every call a rate limit failed, and proposes nothing, without ending the night', async () => {
    const out = await reflect(failing(() => new ModelError('RATE_LIMITED', 'openai model m: HTTP 429', { backend: 'openai', model: 'm' })));
    expect(out).toMatchObject({ calls: 2, unusable: 2, proposals: [] });
    expect(out.problems).toEqual([expect.stringMatching(/^failure minibatch 0: call failed: openai model m: HTTP 429/), expect.stringMatching(/^failure minibatch 1: call failed/)]);
  });

  it('ends the night when every call fails for a reason waiting does not fix', async () => {
    const auth = new ModelError('AUTH', 'bad key', { backend: 'openai', model: 'm' });
    await expect(reflect(failing(() => auth))).rejects.toBe(auth);
    // An optimizer that is down for every call stops the night too: it must never look like "no edits proposed".
    await expect(reflect(failing(() => new ModelError('UNAVAILABLE', 'openai model m: HTTP 503', { backend: 'openai', model: 'm' })))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    // A spent quota is a 429 that waiting does not fix.
    await expect(reflect(failing(() => new ModelError('RATE_LIMITED', 'quota', { backend: 'openai', model: 'm', retryable: false })))).rejects.toMatchObject({ message: 'quota' });
  });
});
