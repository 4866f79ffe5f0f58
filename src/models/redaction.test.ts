import { describe, it, expect } from 'vitest';
import { withRedaction } from './redaction.js';
import type { ChatRequest, ModelBackend } from './types.js';

describe('withRedaction', () => {
  it('redacts system, user and skill text before the backend sees them, and counts what it removed', async () => {
    const seen: ChatRequest[] = [];
    const inner: ModelBackend = {
      backend: 'fake',
      model: 'm',
      complete: async (request) => {
        seen.push(request);
        return { text: 'ok', usage: { input: 1, output: 1 }, backend: 'fake', model: 'm' };
      },
    };
    const key = 'sk-proj-Zt7QmW3xR9vLk2PbN8sY4cHf6JdGa1Ue5oTi0';
    const backend = withRedaction(inner);
    await backend.complete({ system: `use ${key}`, user: `AWS_SECRET_ACCESS_KEY=${'a'.repeat(10)}/${'B'.repeat(29)}`, skill: { name: 's', text: `token ${key}` } });
    const sent = JSON.stringify(seen[0]);
    expect(sent).not.toContain(key);
    expect(sent).toContain('[REDACTED');
    expect(backend.redactionStats().secrets).toBeGreaterThanOrEqual(2);
    await backend.complete({ system: 'plain', user: 'nothing secret here' });
    expect(seen[1]).toMatchObject({ system: 'plain', user: 'nothing secret here' });
  });
});
