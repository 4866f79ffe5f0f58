import { AzureOpenAI } from 'openai';
import { systemClock } from '../core/clock.js';
import { ModelError } from './error-map.js';
import { createOpenAIClientBackend } from './openai.js';
import type { OpenAIApi, OpenAIBackendDeps, StructuredMode } from './openai.js';
import type { ModelBackend } from './types.js';

/** Settings of one Azure OpenAI deployment. */
export interface AzureOpenAIBackendConfig {
  /** The deployment name; it is the `model` of every call (a request's model overrides it). */
  deployment: string;
  /** https://<resource>.openai.azure.com; defaults to AZURE_OPENAI_ENDPOINT. */
  endpoint?: string;
  /** Defaults to OPENAI_API_VERSION, then AZURE_DEFAULT_API_VERSION. */
  apiVersion?: string;
  /** The model behind the deployment (e.g. gpt-4o), for the price table; default: the deployment name. */
  model?: string;
  /** The env var that holds the key; default AZURE_OPENAI_API_KEY. AZURE_OPENAI_AD_TOKEN (Entra) is the fallback. */
  apiKeyEnv?: string;
  api?: OpenAIApi;
  temperature?: number;
  maxTokens?: number;
  structured?: StructuredMode;
  timeoutMs?: number;
}

/** The GA API version used when neither the config nor OPENAI_API_VERSION names one. */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

/** Build the `azure-openai` backend on the SDK's AzureOpenAI client (key or Entra token; SDK retries off). */
export function createAzureOpenAIBackend(config: AzureOpenAIBackendConfig, deps: OpenAIBackendDeps): ModelBackend {
  const apiKeyEnv = config.apiKeyEnv ?? 'AZURE_OPENAI_API_KEY';
  const endpoint = nonEmpty(config.endpoint) ?? nonEmpty(deps.env.AZURE_OPENAI_ENDPOINT);
  const apiVersion = nonEmpty(config.apiVersion) ?? nonEmpty(deps.env.OPENAI_API_VERSION) ?? AZURE_DEFAULT_API_VERSION;
  const key = nonEmpty(deps.env[apiKeyEnv]);
  const adToken = key === undefined ? nonEmpty(deps.env.AZURE_OPENAI_AD_TOKEN) : undefined;
  // We pass baseURL (not endpoint) so the SDK never reads OPENAI_BASE_URL or AZURE_OPENAI_ENDPOINT from process.env.
  const baseURL = endpoint === undefined ? 'http://azure-endpoint-not-configured.invalid/openai' : `${endpoint.replace(/\/+$/, '')}/openai`;
  const client = new AzureOpenAI({
    baseURL,
    apiVersion,
    ...(adToken !== undefined ? { azureADTokenProvider: () => Promise.resolve(adToken) } : { apiKey: key ?? 'missing-key' }),
    maxRetries: 0,
    logLevel: 'off',
    organization: null,
    project: null,
    webhookSecret: null,
    ...(config.timeoutMs !== undefined ? { timeout: config.timeoutMs } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const setupError = (model: string): ModelError | undefined => {
    if (endpoint === undefined) {
      return new ModelError('CONFIG', `azure-openai deployment ${model}: no endpoint configured`, {
        hint: 'set azure.endpoint in the model config or AZURE_OPENAI_ENDPOINT (https://<resource>.openai.azure.com)',
        retryable: false,
        backend: 'azure-openai',
        model,
      });
    }
    if (key === undefined && adToken === undefined) {
      return new ModelError('AUTH', `azure-openai deployment ${model}: no credentials (${apiKeyEnv} and AZURE_OPENAI_AD_TOKEN are not set)`, {
        hint: `set ${apiKeyEnv} to the resource key, or AZURE_OPENAI_AD_TOKEN to an Entra ID token`,
        retryable: false,
        backend: 'azure-openai',
        model,
      });
    }
    return undefined;
  };
  const failure = setupError(config.deployment);
  return createOpenAIClientBackend({
    client,
    backend: 'azure-openai',
    model: config.deployment,
    api: config.api ?? 'chat',
    temperature: config.temperature,
    maxTokens: config.maxTokens,
    structured: config.structured ?? 'auto',
    // max_completion_tokens arrived in 2024-09-01-preview; older versions only know max_tokens.
    maxTokensField: apiVersion.slice(0, 10) >= '2024-09-01' ? 'max_completion_tokens' : 'max_tokens',
    errorContext: { backend: 'azure-openai', baseURL: endpoint ?? baseURL, apiKeyEnv, clock: deps.clock ?? systemClock },
    ...(failure ? { setupError: (model: string) => setupError(model) ?? failure } : {}),
    priceModelFor: (model) => (model === config.deployment && config.model ? config.model : model),
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}
