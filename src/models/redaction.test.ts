import { describe, it, expect } from 'vitest';
import { withRedaction } from './redaction.js';
import { createScrubber } from '../core/redact.js';
import { ModelError } from './error-map.js';
import { createFakeBackend } from './decorators/fake-backend.js';
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

describe('withRedaction: errors coming back', () => {
  it('scrubs a provider error that echoes the key, keeping its code and retry fields, and drops the raw cause', async () => {
    const key = 'local-test-key-4f8a2c9d';
    const raw = new Error(`401 Incorrect API key provided: ${key}`);
    const failing = createFakeBackend([new ModelError('AUTH', `openai model m: HTTP 401: Incorrect API key provided: ${key}`, { backend: 'openai', model: 'm', status: 401, hint: `check ${key}`, cause: raw })]);
    const error = (await withRedaction(failing, undefined, createScrubber([key])).complete({ system: '', user: 'u' }).catch((e: unknown) => e)) as ModelError;
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'AUTH', status: 401 });
    expect(error.message).toBe('openai model m: HTTP 401: Incorrect API key provided: [REDACTED:api_key]');
    expect(error.hint).toBe('check [REDACTED:api_key]');
    expect(JSON.stringify({ s: error.stack, c: String(error.cause) })).not.toContain(key);
  });
});
