import { afterEach, describe, expect, it } from 'vitest';
import { createAzureOpenAIBackend, AZURE_DEFAULT_API_VERSION } from './azure-openai.js';
import { ModelError } from './error-map.js';
import type { ChatRequest } from './types.js';
import { openAIChatBody, openAIErrorReply, startFakeOpenAIServer } from '../../test/helpers/fake-openai-server.js';
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

const request: ChatRequest = { system: 'Be brief.', user: 'Say OK.' };


describe('createAzureOpenAIBackend', () => {
  it('calls the deployment path with api-version and the api-key header, priced by the configured model', async () => {
    const server = await serve(() => ({ json: openAIChatBody('OK', { usage: { prompt_tokens: 10, completion_tokens: 2 } }) }));
    const backend = createAzureOpenAIBackend(
      { endpoint: `${server.origin}/`, deployment: 'prod-4o', model: 'gpt-4o', maxTokens: 30 },
      { env: { AZURE_OPENAI_API_KEY: 'azure-key' } },
    );
    const response = await backend.complete(request);
    expect(response).toMatchObject({ text: 'OK', backend: 'azure-openai', model: 'prod-4o' });
    expect(response.costUsd).toBeCloseTo((10 * 2.5 + 2 * 10) / 1e6, 12);
    const sent = server.requests[0];
    expect(sent?.url).toBe(`/openai/deployments/prod-4o/chat/completions?api-version=${AZURE_DEFAULT_API_VERSION}`);
    expect(sent?.headers['api-key']).toBe('azure-key');
    expect(sent?.body).toMatchObject({ model: 'prod-4o', max_completion_tokens: 30 });
  });

  it('honours AZURE_OPENAI_ENDPOINT, OPENAI_API_VERSION and an Entra token', async () => {
    const server = await serve();
    const backend = createAzureOpenAIBackend(
      { deployment: 'dep', maxTokens: 5 },
      { env: { AZURE_OPENAI_ENDPOINT: server.origin, OPENAI_API_VERSION: '2024-06-01', AZURE_OPENAI_AD_TOKEN: 'entra-token' } },
    );
    await backend.complete(request);
    const sent = server.requests[0];
    expect(sent?.url).toBe('/openai/deployments/dep/chat/completions?api-version=2024-06-01');
    expect(sent?.headers.authorization).toBe('Bearer entra-token');
    // An API version before 2024-09-01 only knows max_tokens.
    expect(sent?.body).toMatchObject({ max_tokens: 5 });
  });

  it('reports a missing endpoint as CONFIG and missing credentials as AUTH, without calling anything', async () => {
    const noEndpoint = await failureOf(createAzureOpenAIBackend({ deployment: 'd' }, { env: { AZURE_OPENAI_API_KEY: 'k' } }).complete(request), ModelError);
    expect(noEndpoint.code).toBe('CONFIG');
    expect(noEndpoint.hint).toContain('AZURE_OPENAI_ENDPOINT');
    const noKey = await failureOf(createAzureOpenAIBackend({ deployment: 'd', endpoint: 'https://x.openai.azure.com' }, { env: {} }).complete(request), ModelError);
    expect(noKey.code).toBe('AUTH');
    expect(noKey.hint).toContain('AZURE_OPENAI_API_KEY');
  });

  it('maps a 404 for an unknown deployment to BAD_REQUEST naming the deployment', async () => {
    const server = await serve(() => openAIErrorReply(404, 'The API deployment for this resource does not exist.', { code: 'DeploymentNotFound' }));
    const backend = createAzureOpenAIBackend({ endpoint: server.origin, deployment: 'missing' }, { env: { AZURE_OPENAI_API_KEY: 'k' } });
    const error = await failureOf(backend.complete(request), ModelError);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', status: 404 });
    expect(error.hint).toContain('deployment name "missing"');
  });
});
