import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { createAzureOpenAIBackend } from './azure-openai.js';
import { ModelError } from './error-map.js';
import { createOpenAIBackend, renderJsonInstruction, stripCodeFence } from './openai.js';
import type { OpenAIBackendConfig } from './openai.js';
import type { ChatRequest } from './types.js';
import {
  openAIChatBody,
  openAIErrorReply,
  openAIResponsesBody,
  startFakeOpenAIServer,
} from '../../test/helpers/fake-openai-server.js';
import type { FakeResponder, FakeServer } from '../../test/helpers/fake-openai-server.js';
import { failureOf } from '../../test/helpers/failure-of.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(responder?: FakeResponder): Promise<FakeServer> {
  const server = await startFakeOpenAIServer(responder);
  servers.push(server);
  return server;
}

function backendFor(server: FakeServer, config: Partial<OpenAIBackendConfig> = {}, env: Record<string, string> = { OPENAI_API_KEY: 'sk-test' }) {
  return createOpenAIBackend(
    { model: 'gpt-4o-mini', baseURL: server.url, ...config },
    { env, clock: fixedClock('2026-01-01T00:00:00Z') },
  );
}

const request: ChatRequest = { system: 'You are terse.', user: 'Say OK.' };
const schema = { name: 'verdict', schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false } };


describe('createOpenAIBackend (chat completions)', () => {
  it('sends system and user messages and returns text, usage and cost', async () => {
    const server = await serve(() => ({ json: openAIChatBody('OK', { usage: { prompt_tokens: 1000, completion_tokens: 500, cached_tokens: 200 } }) }));
    const backend = backendFor(server, { temperature: 0.2, maxTokens: 50 });
    const response = await backend.complete(request);
    expect(response).toMatchObject({ text: 'OK', backend: 'openai', model: 'gpt-4o-mini' });
    expect(response.usage).toEqual({ input: 1000, output: 500, cachedInput: 200 });
    // 800 fresh * 0.15 + 200 cached * 0.075 + 500 * 0.6, per million
    expect(response.costUsd).toBeCloseTo((800 * 0.15 + 200 * 0.075 + 500 * 0.6) / 1e6, 12);
    const sent = server.requests[0];
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer sk-test');
    expect(sent?.body).toMatchObject({
      model: 'gpt-4o-mini',
      temperature: 0.2,
      max_tokens: 50,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Say OK.' },
      ],
    });
    expect(sent?.body).not.toHaveProperty('response_format');
  });

  it('lets the request override model, temperature and max tokens', async () => {
    const server = await serve();
    const backend = backendFor(server);
    const response = await backend.complete({ ...request, model: 'llama3.1:8b', temperature: 0, maxTokens: 7 });
    expect(response.model).toBe('llama3.1:8b');
    expect(response.costUsd).toBeUndefined();
    expect(server.requests[0]?.body).toMatchObject({ model: 'llama3.1:8b', temperature: 0, max_tokens: 7 });
  });

  it('sends the per-(task, sample) seed so incumbent and candidate share their noise, and nothing when unset', async () => {
    const server = await serve();
    const backend = backendFor(server);
    await backend.complete({ ...request, seed: 123456789 });
    await backend.complete(request);
    expect(server.requests[0]?.body).toMatchObject({ seed: 123456789 });
    expect(server.requests[1]?.body).not.toHaveProperty('seed');
  });

  it('estimates usage when the server reports none', async () => {
    const server = await serve(() => ({ json: openAIChatBody('four', { usage: null }) }));
    const response = await backendFor(server).complete(request);
    expect(response.usage.estimated).toBe(true);
    expect(response.usage.output).toBe(1);
    expect(response.usage.input).toBe(Math.ceil('You are terse.Say OK.'.length / 4));
  });

  it('raises EMPTY_REPLY for a 200 with null content', async () => {
    const server = await serve(() => ({ json: openAIChatBody(null, { finishReason: 'length' }) }));
    const error = await failureOf(backendFor(server).complete(request), ModelError);
    expect(error.code).toBe('EMPTY_REPLY');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('gpt-4o-mini');
    expect(error.hint).toContain('maxTokens');
  });

  it('uses a dummy key for a keyless local server and honours OPENAI_BASE_URL from env', async () => {
    const server = await serve();
    const backend = createOpenAIBackend({ model: 'qwen2.5' }, { env: { OPENAI_BASE_URL: server.url } });
    expect((await backend.complete(request)).text).toBe('OK');
    expect(server.requests[0]?.headers.authorization).toMatch(/^Bearer \S+/);
  });

  it('reads the key from the configured env var', async () => {
    const server = await serve();
    await backendFor(server, { apiKeyEnv: 'MY_KEY' }, { MY_KEY: 'sk-mine' }).complete(request);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-mine');
  });

  it('fails with AUTH naming the env var when no key and no base URL are set', async () => {
    const backend = createOpenAIBackend({ model: 'gpt-4o' }, { env: {} });
    const error = await failureOf(backend.complete(request), ModelError);
    expect(error.code).toBe('AUTH');
    expect(error.hint).toContain('OPENAI_API_KEY');
    expect(error.retryable).toBe(false);
  });
});

describe('createOpenAIBackend (structured output)', () => {
  it('sends response_format json_schema when the request has a schema', async () => {
    const server = await serve(() => ({ json: openAIChatBody('{"ok":true}') }));
    const response = await backendFor(server).complete({ ...request, jsonSchema: schema });
    expect(JSON.parse(response.text)).toEqual({ ok: true });
    expect(server.requests[0]?.body).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { name: 'verdict', schema: schema.schema, strict: true } },
    });
  });

  it('falls back to JSON-in-text once when json_schema is rejected with 400, and remembers it', async () => {
    const server = await serve((req) => {
      const body = req.body as { response_format?: unknown };
      if (body.response_format) return openAIErrorReply(400, "'response_format.type' : value is not one of the allowed values", { param: 'response_format' });
      return { json: openAIChatBody('```json\n{"ok":false}\n```') };
    });
    const backend = backendFor(server);
    const first = await backend.complete({ ...request, jsonSchema: schema });
    expect(first.text).toBe('{"ok":false}');
    const fallbackBody = server.requests[1]?.body as { messages: Array<{ content: string }> };
    expect(fallbackBody.messages[0]?.content).toContain('"required":["ok"]');
    expect(fallbackBody).not.toHaveProperty('response_format');
    await backend.complete({ ...request, jsonSchema: schema });
    // The second call goes straight to JSON-in-text: 2 requests for the first call, 1 for the second.
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2]?.body).not.toHaveProperty('response_format');
  });

  it('surfaces the error and does not remember the fallback when the text attempt fails too', async () => {
    const server = await serve(() => openAIErrorReply(400, 'The model `nope` does not exist', { code: 'model_not_found' }));
    const backend = backendFor(server);
    const error = await failureOf(backend.complete({ ...request, jsonSchema: schema }), ModelError);
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.status).toBe(400);
    await failureOf(backend.complete({ ...request, jsonSchema: schema }), ModelError);
    expect((server.requests[2]?.body as Record<string, unknown>).response_format).toBeDefined();
  });

  it('does not fall back when structured is json_schema', async () => {
    const server = await serve(() => openAIErrorReply(400, 'response_format not supported'));
    const error = await failureOf(backendFor(server, { structured: 'json_schema' }).complete({ ...request, jsonSchema: schema }), ModelError);
    expect(error.code).toBe('BAD_REQUEST');
    expect(server.requests).toHaveLength(1);
  });

  it('asks for json_object plus the schema in text when structured is json_object', async () => {
    const server = await serve(() => ({ json: openAIChatBody('{"ok":true}') }));
    await backendFor(server, { structured: 'json_object' }).complete({ ...request, jsonSchema: schema });
    const body = server.requests[0]?.body as { response_format: unknown; messages: Array<{ content: string }> };
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.messages[0]?.content).toContain('JSON');
  });
});

describe('createOpenAIBackend (responses API)', () => {
  it('sends instructions and input and reads output_text and usage', async () => {
    const server = await serve(() => ({ json: openAIResponsesBody('Hello', { usage: { input_tokens: 30, output_tokens: 5 } }) }));
    const response = await backendFor(server, { api: 'responses', maxTokens: 99 }).complete(request);
    expect(response.text).toBe('Hello');
    expect(response.usage).toEqual({ input: 30, output: 5 });
    expect(server.requests[0]?.path).toBe('/v1/responses');
    expect(server.requests[0]?.body).toMatchObject({ model: 'gpt-4o-mini', instructions: 'You are terse.', input: 'Say OK.', max_output_tokens: 99 });
  });

  it('uses text.format json_schema and estimates missing usage', async () => {
    const server = await serve(() => ({ json: openAIResponsesBody('{"ok":true}', { usage: null }) }));
    const response = await backendFor(server, { api: 'responses' }).complete({ ...request, jsonSchema: schema });
    expect(response.usage.estimated).toBe(true);
    expect(server.requests[0]?.body).toMatchObject({ text: { format: { type: 'json_schema', name: 'verdict', strict: true } } });
  });

  it('raises EMPTY_REPLY when the response has no output message', async () => {
    const server = await serve(() => ({ json: openAIResponsesBody(null) }));
    expect((await failureOf(backendFor(server, { api: 'responses' }).complete(request), ModelError)).code).toBe('EMPTY_REPLY');
  });
});

describe('createOpenAIBackend (errors)', () => {
  it('maps 429 with retry-after seconds to RATE_LIMITED with retryAfterMs, without SDK retries', async () => {
    const server = await serve(() => openAIErrorReply(429, 'Rate limit reached for gpt-4o-mini', { headers: { 'retry-after': '7' } }));
    const error = await failureOf(backendFor(server).complete(request), ModelError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterMs: 7000, retryable: true });
    expect(error.message).toContain('openai');
    expect(error.message).toContain('gpt-4o-mini');
    expect(error.message).toContain('429');
    expect(error.hint).toContain('concurrency');
    expect(server.requests).toHaveLength(1);
  });

  it('reads an HTTP-date retry-after against the clock', async () => {
    const server = await serve(() => openAIErrorReply(429, 'slow down', { headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' } }));
    const error = await failureOf(backendFor(server).complete(request), ModelError);
    expect(error.retryAfterMs).toBe(30_000);
  });

  it('prefers retry-after-ms', async () => {
    const server = await serve(() => openAIErrorReply(429, 'slow down', { headers: { 'retry-after-ms': '1500', 'retry-after': '9' } }));
    expect((await failureOf(backendFor(server).complete(request), ModelError)).retryAfterMs).toBe(1500);
  });

  it('marks an exhausted quota as not retryable', async () => {
    const server = await serve(() => openAIErrorReply(429, 'You exceeded your current quota', { code: 'insufficient_quota', type: 'insufficient_quota' }));
    const error = await failureOf(backendFor(server).complete(request), ModelError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: false });
  });

  it('maps 500 to UNAVAILABLE after exactly one request', async () => {
    const server = await serve(() => openAIErrorReply(500, 'The server had an error while processing your request.'));
    const error = await failureOf(backendFor(server).complete(request), ModelError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 500, retryable: true });
    expect(server.requests).toHaveLength(1);
  });

  it('maps 401 to AUTH with a hint naming the key variable', async () => {
    const server = await serve(() => openAIErrorReply(401, 'Incorrect API key provided: sk-test.', { code: 'invalid_api_key' }));
    const error = await failureOf(backendFor(server).complete(request), ModelError);
    expect(error).toMatchObject({ code: 'AUTH', status: 401, retryable: false });
    expect(error.message).toContain('Incorrect API key');
    expect(error.hint).toContain('OPENAI_API_KEY');
  });

  it('maps 404 to BAD_REQUEST naming the model', async () => {
    const server = await serve(() => openAIErrorReply(404, 'The model `gpt-9` does not exist', { code: 'model_not_found' }));
    const error = await failureOf(backendFor(server).complete({ ...request, model: 'gpt-9' }), ModelError);
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.hint).toContain('gpt-9');
  });

  it('times out a hanging server with the configured timeout', async () => {
    const server = await serve(() => ({ hang: true }));
    const error = await failureOf(backendFor(server, { timeoutMs: 150 }).complete(request), ModelError);
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('reports CANCELLED when the caller aborts a hanging call', async () => {
    const server = await serve(() => ({ hang: true }));
    const controller = new AbortController();
    const pending = backendFor(server).complete({ ...request, signal: controller.signal });
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const error = await failureOf(pending, ModelError);
    expect(error).toMatchObject({ code: 'CANCELLED', retryable: false });
  });

  it('reports TIMEOUT when the caller aborts with a timeout reason', async () => {
    const server = await serve(() => ({ hang: true }));
    const error = await failureOf(backendFor(server).complete({ ...request, signal: AbortSignal.timeout(100) }), ModelError);
    expect(error.code).toBe('TIMEOUT');
  });

  it('maps a malformed JSON body to UNAVAILABLE', async () => {
    const server = await serve(() => ({ raw: '{"id": "chatcmpl-1", "choices": [' }));
    const error = await failureOf(backendFor(server).complete(request), ModelError);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('gpt-4o-mini');
  });

  it('tells the user to start the local server when the connection is refused', async () => {
    const server = await serve();
    const url = server.url;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const error = await failureOf(createOpenAIBackend({ model: 'llama3', baseURL: url }, { env: {} }).complete(request), ModelError);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.hint).toContain(`start the local server at ${url}`);
  });
});

describe('environment isolation', () => {
  it('reads keys and base URLs only from the injected env, never from process.env', async () => {
    const server = await serve();
    const saved = { base: process.env.OPENAI_BASE_URL, key: process.env.OPENAI_API_KEY };
    process.env.OPENAI_BASE_URL = 'http://127.0.0.1:9/v1';
    process.env.OPENAI_API_KEY = 'sk-from-process';
    try {
      const error = await failureOf(createOpenAIBackend({ model: 'gpt-4o' }, { env: {} }).complete(request), ModelError);
      expect(error.code).toBe('AUTH');
      await createOpenAIBackend({ model: 'gpt-4o', baseURL: server.url }, { env: {} }).complete(request);
      expect(server.requests[0]?.headers.authorization).not.toContain('sk-from-process');
      const azure = createAzureOpenAIBackend({ deployment: 'd', endpoint: server.origin }, { env: { AZURE_OPENAI_API_KEY: 'k' } });
      expect((await azure.complete(request)).text).toBe('OK');
    } finally {
      if (saved.base === undefined) delete process.env.OPENAI_BASE_URL;
      else process.env.OPENAI_BASE_URL = saved.base;
      if (saved.key === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved.key;
    }
  });
});

describe('JSON helpers', () => {
  it('strips one surrounding code fence and leaves other text alone', () => {
    expect(stripCodeFence('```json\n{"a":1}\n```')).toBe('{"a":1}');
    expect(stripCodeFence('  ```\n[1]\n```  ')).toBe('[1]');
    expect(stripCodeFence('{"a":"```"}')).toBe('{"a":"```"}');
  });

  it('puts the schema into the instruction', () => {
    expect(renderJsonInstruction(schema)).toContain('"verdict"');
    expect(renderJsonInstruction(undefined)).toContain('JSON');
  });
});
