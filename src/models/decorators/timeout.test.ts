import { describe, it, expect } from 'vitest';
import { withTimeout } from './timeout.js';
import { createFakeBackend } from './fake-backend.js';
import type { ChatRequest } from '../types.js';

describe('withTimeout', () => {
  it('fails with TIMEOUT naming backend, model and ms, and aborts the inner signal, even if the backend ignores it', async () => {
    let seen: ChatRequest | undefined;
    const inner = createFakeBackend([
      (request) => {
        seen = request;
        return new Promise(() => undefined);
      },
    ], { backend: 'openai', model: 'gpt-x' });
    const error = await withTimeout(inner, { timeoutMs: 20 }).complete({ system: '', user: 'u' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    expect((error as Error).message).toContain('openai (gpt-x)');
    expect((error as Error).message).toContain('20 ms');
    expect(seen?.signal?.aborted).toBe(true);
  });

  it('reports TIMEOUT when the backend turns our abort into its own error', async () => {
    const inner = createFakeBackend([
      (request) =>
        new Promise((_, reject) => request.signal?.addEventListener('abort', () => reject(new Error('Request was aborted.')))),
    ]);
    await expect(withTimeout(inner, { timeoutMs: 10 }).complete({ system: '', user: 'u' })).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('reports CANCELLED when the caller aborts', async () => {
    const inner = createFakeBackend([() => new Promise(() => undefined)]);
    const controller = new AbortController();
    const pending = withTimeout(inner, { timeoutMs: 60_000 }).complete({ system: '', user: 'u', signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('passes a fast reply through', async () => {
    const reply = await withTimeout(createFakeBackend(), { timeoutMs: 60_000 }).complete({ system: '', user: 'u' });
    expect(reply.text).toBe('ok');
  });
});
