import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { createAnthropicBackend, ANTHROPIC_DEFAULT_MAX_TOKENS } from './anthropic.js';
import type { AnthropicBackendConfig } from './anthropic.js';
import { ModelError } from './error-map.js';
import type { ChatRequest } from './types.js';
import { anthropicErrorReply, anthropicMessageBody, startFakeAnthropicServer } from '../../test/helpers/fake-anthropic-server.js';
import type { FakeResponder, FakeServer } from '../../test/helpers/fake-anthropic-server.js';
import { failureOf } from '../../test/helpers/failure-of.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(responder?: FakeResponder): Promise<FakeServer> {
  const server = await startFakeAnthropicServer(responder);
  servers.push(server);
  return server;
}

function backendFor(server: FakeServer, config: Partial<AnthropicBackendConfig> = {}, env: Record<string, string> = { ANTHROPIC_API_KEY: 'sk-ant-test' }) {
  return createAnthropicBackend({ model: 'claude-haiku-4-5', baseURL: server.url, ...config }, { env, clock: fixedClock('2026-01-01T00:00:00Z') });
}

const request: ChatRequest = { system: 'You are terse.', user: 'Say OK.' };
const schema = { name: 'edits list', schema: { type: 'object', properties: { edits: { type: 'array' } }, required: ['edits'] } };


describe('createAnthropicBackend', () => {
  it('sends system, user and max_tokens and joins the text blocks', async () => {
    const server = await serve(() => ({
      json: anthropicMessageBody(
        [
          { type: 'thinking', thinking: 'hmm' },
          { type: 'text', text: 'O' },
          { type: 'text', text: 'K' },
        ],
        { usage: { input_tokens: 100, output_tokens: 10, cache_read_input_tokens: 900, cache_creation_input_tokens: 0 } },
      ),
    }));
    const response = await backendFor(server, { temperature: 0.3 }).complete(request);
    expect(response).toMatchObject({ text: 'OK', backend: 'anthropic', model: 'claude-haiku-4-5' });
    expect(response.usage).toEqual({ input: 1000, output: 10, cachedInput: 900 });
    expect(response.costUsd).toBeCloseTo((100 * 1 + 900 * 0.1 + 10 * 5) / 1e6, 12);
    const sent = server.requests[0];
    expect(sent?.path).toBe('/v1/messages');
    expect(sent?.headers['anthropic-version']).toBeDefined();
    expect(JSON.stringify(sent?.headers)).toContain('sk-ant-test');
    expect(sent?.body).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: ANTHROPIC_DEFAULT_MAX_TOKENS,
      system: 'You are terse.',
      temperature: 0.3,
      messages: [{ role: 'user', content: 'Say OK.' }],
    });
  });

  it('estimates usage when the reply has none', async () => {
    const server = await serve(() => ({ json: anthropicMessageBody('Hello there', { usage: null }) }));
    const response = await backendFor(server).complete({ ...request, maxTokens: 20 });
    expect(response.usage).toEqual({ input: Math.ceil('You are terse.Say OK.'.length / 4), output: 3, estimated: true });
    expect(server.requests[0]?.body).toMatchObject({ max_tokens: 20 });
  });

  it('raises EMPTY_REPLY for a reply with no text blocks', async () => {
    const server = await serve(() => ({ json: anthropicMessageBody([], { stopReason: 'max_tokens' }) }));
    const error = await failureOf(backendFor(server).complete(request), ModelError);
    expect(error.code).toBe('EMPTY_REPLY');
    expect(error.hint).toContain('maxTokens');
  });

  it('uses ANTHROPIC_BASE_URL from env and fails with AUTH when no key is anywhere', async () => {
    const server = await serve();
    const viaEnv = createAnthropicBackend({ model: 'claude-haiku-4-5' }, { env: { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'k' } });
    expect((await viaEnv.complete(request)).text).toBe('OK');
    const keyless = createAnthropicBackend({ model: 'claude-haiku-4-5' }, { env: {} });
    const error = await failureOf(keyless.complete(request), ModelError);
    expect(error.code).toBe('AUTH');
    expect(error.hint).toContain('ANTHROPIC_API_KEY');
  });
});

describe('createAnthropicBackend (structured output)', () => {
  it('forces a tool whose input_schema is the schema and returns its input as JSON', async () => {
    const server = await serve(() => ({
      json: anthropicMessageBody([{ type: 'tool_use', name: 'edits_list', input: { edits: [{ op: 'append' }] } }]),
    }));
    const response = await backendFor(server).complete({ ...request, jsonSchema: schema });
    expect(JSON.parse(response.text)).toEqual({ edits: [{ op: 'append' }] });
    expect(server.requests[0]?.body).toMatchObject({
      tools: [{ name: 'edits_list', input_schema: schema.schema }],
      tool_choice: { type: 'tool', name: 'edits_list' },
    });
  });

  it('falls back to JSON-in-text once tools are rejected with 400, and remembers it', async () => {
    const server = await serve((req) => {
      if ((req.body as { tools?: unknown }).tools) return anthropicErrorReply(400, 'tools: Extra inputs are not permitted');
      return { json: anthropicMessageBody('```json\n{"edits":[]}\n```') };
    });
    const backend = backendFor(server);
    expect((await backend.complete({ ...request, jsonSchema: schema })).text).toBe('{"edits":[]}');
    expect((server.requests[1]?.body as { system: string }).system).toContain('"required":["edits"]');
    await backend.complete({ ...request, jsonSchema: schema });
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2]?.body).not.toHaveProperty('tools');
  });

  it('asks in text for a schema whose top level is not an object', async () => {
    const server = await serve(() => ({ json: anthropicMessageBody('[1,2]') }));
    const response = await backendFor(server).complete({ ...request, jsonSchema: { name: 'list', schema: { type: 'array' } } });
    expect(response.text).toBe('[1,2]');
    expect(server.requests[0]?.body).not.toHaveProperty('tools');
  });
});

describe('createAnthropicBackend (errors)', () => {
  it('maps 429 with retry-after to RATE_LIMITED after one request', async () => {
    const server = await serve(() => anthropicErrorReply(429, 'Number of request tokens has exceeded your per-minute rate limit', { headers: { 'retry-after': '12' } }));
    const error = await failureOf(backendFor(server).complete(request), ModelError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterMs: 12_000, retryable: true });
    expect(error.message).toContain('per-minute rate limit');
    expect(server.requests).toHaveLength(1);
  });

  it('reads an HTTP-date retry-after', async () => {
    const server = await serve(() => anthropicErrorReply(429, 'slow down', { headers: { 'retry-after': 'Thu, 01 Jan 2026 00:01:00 GMT' } }));
    expect((await failureOf(backendFor(server).complete(request), ModelError)).retryAfterMs).toBe(60_000);
  });

  it('maps 529 overloaded to UNAVAILABLE and 401 to AUTH', async () => {
    const server = await serve(() => anthropicErrorReply(529, 'Overloaded'));
    expect(await failureOf(backendFor(server).complete(request), ModelError)).toMatchObject({ code: 'UNAVAILABLE', status: 529 });
    server.setResponder(() => anthropicErrorReply(401, 'invalid x-api-key'));
    const auth = await failureOf(backendFor(server).complete(request), ModelError);
    expect(auth).toMatchObject({ code: 'AUTH', status: 401, retryable: false });
    expect(auth.message).toContain('invalid x-api-key');
    expect(auth.hint).toContain('ANTHROPIC_API_KEY');
  });

  it('maps a hang to TIMEOUT with the configured timeout, and a caller abort to CANCELLED', async () => {
    const server = await serve(() => ({ hang: true }));
    expect((await failureOf(backendFor(server, { timeoutMs: 150 }).complete(request), ModelError)).code).toBe('TIMEOUT');
    const controller = new AbortController();
    const pending = backendFor(server).complete({ ...request, signal: controller.signal });
    while (server.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect((await failureOf(pending, ModelError)).code).toBe('CANCELLED');
  });

  it('maps a malformed JSON body to UNAVAILABLE', async () => {
    const server = await serve(() => ({ raw: '<html>Bad Gateway</html>' }));
    expect((await failureOf(backendFor(server).complete(request), ModelError)).code).toBe('UNAVAILABLE');
  });
});
