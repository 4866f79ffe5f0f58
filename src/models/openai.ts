import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import { systemClock } from '../core/clock.js';
import type { Clock } from '../core/clock.js';
import { ModelError, toModelError } from './error-map.js';
import type { ModelErrorContext } from './error-map.js';
import { costOf } from './prices.js';
import { estimatedUsage } from './types.js';
import type { ChatRequest, ChatResponse, JsonSchemaSpec, ModelBackend, TokenUsage } from './types.js';

/** Which OpenAI API to speak: chat completions (every compatible server) or the Responses API. */
export type OpenAIApi = 'chat' | 'responses';

/**
 * How structured output is requested when a call carries a JSON schema: `auto` tries json_schema and
 * falls back to JSON-in-text once the server rejects it; `none` only asks in the system text.
 */
export type StructuredMode = 'json_schema' | 'json_object' | 'none' | 'auto';

/** Settings of one OpenAI (or OpenAI-compatible) backend. */
export interface OpenAIBackendConfig {
  model: string;
  /** A compatible server (Ollama, vLLM, LM Studio, llama.cpp); defaults to OPENAI_BASE_URL, then api.openai.com. */
  baseURL?: string;
  /** The env var that holds the key; default OPENAI_API_KEY. */
  apiKeyEnv?: string;
  api?: OpenAIApi;
  temperature?: number;
  maxTokens?: number;
  structured?: StructuredMode;
  /** Per-request timeout given to the SDK (ms); the timeout decorator may impose its own. */
  timeoutMs?: number;
}

/** What the backend reaches outside itself: env for keys, fetch for HTTP, a clock for HTTP-date retry-after. */
export interface OpenAIBackendDeps {
  env: Record<string, string | undefined>;
  fetch?: typeof fetch;
  clock?: Clock;
}

/** The settings the shared OpenAI-client backend needs (used by the OpenAI and Azure factories). */
export interface OpenAIClientBackendOptions {
  client: OpenAI;
  backend: string;
  model: string;
  api: OpenAIApi;
  temperature?: number;
  maxTokens?: number;
  structured: StructuredMode;
  /** Older compatible servers only know `max_tokens`; OpenAI's reasoning models only `max_completion_tokens`. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  errorContext: Omit<ModelErrorContext, 'model' | 'signal'>;
  /** A failure every call reports instead of calling the server (e.g. a missing key). */
  setupError?: (model: string) => ModelError;
  /** The id to look up in the price table (Azure prices by the model behind a deployment). */
  priceModelFor?: (model: string) => string;
}

/** A key that keyless local servers accept; the SDK refuses to start without some key. */
export const DUMMY_API_KEY = 'sk-no-key-required';

const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** Build the `openai` backend with the official SDK (SDK retries off: the retry decorator owns retries). */
export function createOpenAIBackend(config: OpenAIBackendConfig, deps: OpenAIBackendDeps): ModelBackend {
  const apiKeyEnv = config.apiKeyEnv ?? 'OPENAI_API_KEY';
  // Resolve OPENAI_BASE_URL from the injected env, so the SDK never reads process.env behind our back.
  const baseURL = nonEmpty(config.baseURL) ?? nonEmpty(deps.env.OPENAI_BASE_URL);
  const key = nonEmpty(deps.env[apiKeyEnv]);
  const custom = baseURL !== undefined && !baseURL.startsWith(OPENAI_DEFAULT_BASE_URL);
  const client = new OpenAI({
    apiKey: key ?? (baseURL !== undefined ? DUMMY_API_KEY : 'missing-key'),
    baseURL: baseURL ?? OPENAI_DEFAULT_BASE_URL,
    organization: custom ? null : (nonEmpty(deps.env.OPENAI_ORG_ID) ?? null),
    project: custom ? null : (nonEmpty(deps.env.OPENAI_PROJECT_ID) ?? null),
    adminAPIKey: null,
    webhookSecret: null,
    maxRetries: 0,
    logLevel: 'off',
    ...(config.timeoutMs !== undefined ? { timeout: config.timeoutMs } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const errorContext = { backend: 'openai', baseURL: baseURL ?? OPENAI_DEFAULT_BASE_URL, apiKeyEnv, clock: deps.clock ?? systemClock };
  return createOpenAIClientBackend({
    client,
    backend: 'openai',
    model: config.model,
    api: config.api ?? 'chat',
    temperature: config.temperature,
    maxTokens: config.maxTokens,
    structured: config.structured ?? 'auto',
    maxTokensField: custom ? 'max_tokens' : 'max_completion_tokens',
    errorContext,
    setupError:
      key === undefined && baseURL === undefined
        ? (model) =>
            new ModelError('AUTH', `openai model ${model}: no API key (${apiKeyEnv} is not set)`, {
              hint: `set ${apiKeyEnv}, or set baseURL (or OPENAI_BASE_URL) to a local OpenAI-compatible server`,
              retryable: false,
              backend: 'openai',
              model,
            })
        : undefined,
  });
}

/** A ModelBackend over any OpenAI SDK client (plain or Azure): request building, structured fallback, usage. */
export function createOpenAIClientBackend(options: OpenAIClientBackendOptions): ModelBackend {
  // Set once a server rejects json_schema and JSON-in-text worked: later calls skip the doomed attempt.
  let schemaRejected = false;

  async function complete(request: ChatRequest): Promise<ChatResponse> {
    const model = request.model ?? options.model;
    const context: ModelErrorContext = { ...options.errorContext, model, signal: request.signal };
    if (options.setupError) throw options.setupError(model);
    const mode = structuredModeFor(request.jsonSchema, options.structured, schemaRejected);
    try {
      return await callOnce(request, model, mode);
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      const canFallBack = options.structured === 'auto' && mode === 'json_schema' && (status === 400 || status === 422);
      if (!canFallBack || request.signal?.aborted) throw toModelError(error, context);
      try {
        const response = await callOnce(request, model, 'none');
        schemaRejected = true;
        return response;
      } catch (fallbackError) {
        throw toModelError(fallbackError, context);
      }
    }
  }

  async function callOnce(request: ChatRequest, model: string, mode: EffectiveMode): Promise<ChatResponse> {
    const system = mode === 'none' || mode === 'json_object' ? request.system + renderJsonInstruction(request.jsonSchema) : request.system;
    const temperature = request.temperature ?? options.temperature;
    const maxTokens = request.maxTokens ?? options.maxTokens;
    const reply =
      options.api === 'responses'
        ? await callResponses(request, model, mode, system, temperature, maxTokens)
        : await callChat(request, model, mode, system, temperature, maxTokens);
    if (reply.text.trim() === '') {
      throw new ModelError('EMPTY_REPLY', `${options.backend} model ${model}: the reply had no text${reply.why ? ` (${reply.why})` : ''}`, {
        hint: reply.why?.includes('length') ? 'raise maxTokens (reasoning models spend tokens before answering)' : 'retry; if it persists, check the prompt and the model',
        backend: options.backend,
        model,
      });
    }
    const text = mode === 'none' || mode === 'json_object' ? stripCodeFence(reply.text) : reply.text;
    const usage = reply.usage ?? estimatedUsage(system + request.user, reply.text);
    const cost = costOf(options.priceModelFor ? options.priceModelFor(model) : model, usage);
    return { text, usage, backend: options.backend, model, ...(cost === null ? {} : { costUsd: cost }) };
  }

  async function callChat(
    request: ChatRequest,
    model: string,
    mode: EffectiveMode,
    system: string,
    temperature: number | undefined,
    maxTokens: number | undefined,
  ): Promise<RawReply> {
    const messages: ChatCompletionCreateParamsNonStreaming['messages'] = [];
    if (system !== '') messages.push({ role: 'system', content: system });
    messages.push({ role: 'user', content: request.user });
    const body: ChatCompletionCreateParamsNonStreaming = {
      model,
      messages,
      ...(temperature !== undefined ? { temperature } : {}),
      ...(maxTokens !== undefined ? { [options.maxTokensField]: maxTokens } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...(mode === 'json_schema' && request.jsonSchema
        ? { response_format: { type: 'json_schema', json_schema: { name: schemaName(request.jsonSchema), schema: request.jsonSchema.schema, strict: true } } }
        : mode === 'json_object'
          ? { response_format: { type: 'json_object' } }
          : {}),
    };
    const completion = await options.client.chat.completions.create(body, { signal: request.signal });
    const choice = completion.choices?.[0];
    const content = choice?.message?.content ?? '';
    const refusal = choice?.message?.refusal;
    const usage = completion.usage;
    return {
      text: typeof content === 'string' ? content : '',
      why: refusal ? `refused: ${refusal}` : choice ? `finish_reason ${choice.finish_reason}` : 'no choices',
      usage:
        usage && typeof usage.prompt_tokens === 'number' && typeof usage.completion_tokens === 'number'
          ? withCached({ input: usage.prompt_tokens, output: usage.completion_tokens }, usage.prompt_tokens_details?.cached_tokens)
          : undefined,
    };
  }

  async function callResponses(
    request: ChatRequest,
    model: string,
    mode: EffectiveMode,
    system: string,
    temperature: number | undefined,
    maxTokens: number | undefined,
  ): Promise<RawReply> {
    const body: ResponseCreateParamsNonStreaming = {
      model,
      input: request.user,
      ...(system !== '' ? { instructions: system } : {}),
      ...(temperature !== undefined ? { temperature } : {}),
      ...(maxTokens !== undefined ? { max_output_tokens: maxTokens } : {}),
      ...(mode === 'json_schema' && request.jsonSchema
        ? { text: { format: { type: 'json_schema', name: schemaName(request.jsonSchema), schema: request.jsonSchema.schema, strict: true } } }
        : mode === 'json_object'
          ? { text: { format: { type: 'json_object' } } }
          : {}),
    };
    const response = await options.client.responses.create(body, { signal: request.signal });
    const usage = response.usage;
    return {
      text: typeof response.output_text === 'string' ? response.output_text : '',
      why: `status ${response.status ?? 'unknown'}${response.incomplete_details?.reason ? `, ${response.incomplete_details.reason}` : ''}`,
      usage:
        usage && typeof usage.input_tokens === 'number' && typeof usage.output_tokens === 'number'
          ? withCached({ input: usage.input_tokens, output: usage.output_tokens }, usage.input_tokens_details?.cached_tokens)
          : undefined,
    };
  }

  return { backend: options.backend, model: options.model, complete };
}

interface RawReply {
  text: string;
  why: string | undefined;
  usage: TokenUsage | undefined;
}

/** `plain` = no schema in the request; the others say how the schema is requested. */
type EffectiveMode = 'plain' | 'json_schema' | 'json_object' | 'none';

function structuredModeFor(schema: JsonSchemaSpec | undefined, configured: StructuredMode, schemaRejected: boolean): EffectiveMode {
  if (!schema) return 'plain';
  if (configured === 'auto') return schemaRejected ? 'none' : 'json_schema';
  return configured;
}

function withCached(usage: TokenUsage, cached: number | null | undefined): TokenUsage {
  return typeof cached === 'number' && cached > 0 ? { ...usage, cachedInput: cached } : usage;
}

/** The name providers accept for a schema or tool: `^[a-zA-Z0-9_-]{1,64}$`. */
export function schemaName(spec: JsonSchemaSpec): string {
  const cleaned = spec.name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return cleaned === '' ? 'response' : cleaned;
}

/** The system-text suffix that asks for JSON when the server cannot enforce a schema. */
export function renderJsonInstruction(schema: JsonSchemaSpec | undefined): string {
  if (!schema) return '\n\nReply with a single JSON value only: no prose, no code fences.';
  return (
    '\n\nReply with a single JSON value only (no prose, no code fences) that matches this JSON schema' +
    ` named "${schema.name}":\n${JSON.stringify(schema.schema)}`
  );
}

/** Remove one Markdown code fence around the whole reply (models add them despite being asked not to). */
export function stripCodeFence(text: string): string {
  const match = /^\s*```[a-zA-Z0-9_-]*\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return match?.[1] !== undefined ? match[1].trim() : text;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}
