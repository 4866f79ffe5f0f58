import Anthropic from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { systemClock } from '../core/clock.js';
import type { Clock } from '../core/clock.js';
import { ModelError, toModelError } from './error-map.js';
import type { ModelErrorContext } from './error-map.js';
import { renderJsonInstruction, schemaName, stripCodeFence } from './openai.js';
import { costOf } from './prices.js';
import { estimatedUsage } from './types.js';
import type { ChatRequest, ChatResponse, JsonSchemaSpec, ModelBackend, TokenUsage } from './types.js';

/**
 * How a JSON schema is enforced: `tool` forces a tool whose input_schema is the schema, `none` asks in
 * the system text, `auto` forces the tool and falls back to text once the server rejects tools.
 */
export type AnthropicStructuredMode = 'tool' | 'none' | 'auto';

/** Settings of one Anthropic Messages backend. */
export interface AnthropicBackendConfig {
  model: string;
  /** Defaults to ANTHROPIC_BASE_URL, then api.anthropic.com. */
  baseURL?: string;
  /** The env var that holds the key; default ANTHROPIC_API_KEY (ANTHROPIC_AUTH_TOKEN is the fallback). */
  apiKeyEnv?: string;
  temperature?: number;
  /** The Messages API requires max_tokens; default 4096. */
  maxTokens?: number;
  structured?: AnthropicStructuredMode;
  /** Per-request timeout given to the SDK (ms). */
  timeoutMs?: number;
}

/** What the backend reaches outside itself. */
export interface AnthropicBackendDeps {
  env: Record<string, string | undefined>;
  fetch?: typeof fetch;
  clock?: Clock;
}

/** Used when the config sets no maxTokens; the API refuses a call without one. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

/** Build the `anthropic` backend with the official SDK (SDK retries off: the retry decorator owns retries). */
export function createAnthropicBackend(config: AnthropicBackendConfig, deps: AnthropicBackendDeps): ModelBackend {
  const apiKeyEnv = config.apiKeyEnv ?? 'ANTHROPIC_API_KEY';
  const baseURL = nonEmpty(config.baseURL) ?? nonEmpty(deps.env.ANTHROPIC_BASE_URL);
  const key = nonEmpty(deps.env[apiKeyEnv]);
  const token = key === undefined ? nonEmpty(deps.env.ANTHROPIC_AUTH_TOKEN) : undefined;
  // Always pass one credential explicitly, so the SDK never falls back to process.env or profiles on disk.
  const credential = key !== undefined ? { apiKey: key } : token !== undefined ? { authToken: token } : { apiKey: 'no-key-configured' };
  const client = new Anthropic({
    ...credential,
    baseURL: baseURL ?? ANTHROPIC_DEFAULT_BASE_URL,
    webhookKey: null,
    maxRetries: 0,
    logLevel: 'off',
    openTelemetry: false,
    ...(config.timeoutMs !== undefined ? { timeout: config.timeoutMs } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const errorContext = { backend: 'anthropic', baseURL: baseURL ?? ANTHROPIC_DEFAULT_BASE_URL, apiKeyEnv, clock: deps.clock ?? systemClock };
  const missingKey = key === undefined && token === undefined && baseURL === undefined;
  const structured = config.structured ?? 'auto';
  // Set once a server rejected the forced tool and JSON-in-text worked.
  let toolRejected = false;

  async function complete(request: ChatRequest): Promise<ChatResponse> {
    const model = request.model ?? config.model;
    const context: ModelErrorContext = { ...errorContext, model, signal: request.signal };
    if (missingKey) {
      throw new ModelError('AUTH', `anthropic model ${model}: no API key (${apiKeyEnv} is not set)`, {
        hint: `set ${apiKeyEnv} (or ANTHROPIC_AUTH_TOKEN), or set baseURL to a compatible server`,
        retryable: false,
        backend: 'anthropic',
        model,
      });
    }
    const mode = modeFor(request.jsonSchema, structured, toolRejected);
    try {
      return await callOnce(request, model, mode);
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      const canFallBack = structured === 'auto' && mode === 'tool' && (status === 400 || status === 422);
      if (!canFallBack || request.signal?.aborted) throw toModelError(error, context);
      try {
        const response = await callOnce(request, model, 'text');
        toolRejected = true;
        return response;
      } catch (fallbackError) {
        throw toModelError(fallbackError, context);
      }
    }
  }

  async function callOnce(request: ChatRequest, model: string, mode: Mode): Promise<ChatResponse> {
    const system = mode === 'text' ? request.system + renderJsonInstruction(request.jsonSchema) : request.system;
    const temperature = request.temperature ?? config.temperature;
    const toolName = request.jsonSchema ? schemaName(request.jsonSchema) : 'response';
    const body: MessageCreateParamsNonStreaming = {
      model,
      max_tokens: request.maxTokens ?? config.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
      messages: [{ role: 'user', content: request.user }],
      ...(system !== '' ? { system } : {}),
      ...(temperature !== undefined ? { temperature } : {}),
      ...(mode === 'tool' && request.jsonSchema
        ? {
            tools: [
              {
                name: toolName,
                description: `Give your answer as the input of this tool; it must match the ${request.jsonSchema.name} schema.`,
                input_schema: request.jsonSchema.schema as { type: 'object'; [k: string]: unknown },
              },
            ],
            tool_choice: { type: 'tool', name: toolName },
          }
        : {}),
    };
    const message = await client.messages.create(body, { signal: request.signal });
    const text = replyText(message, mode, toolName);
    if (text.trim() === '') {
      const why = message.stop_reason ?? 'no stop reason';
      throw new ModelError('EMPTY_REPLY', `anthropic model ${model}: the reply had no text (stop_reason ${why})`, {
        hint: why === 'max_tokens' ? 'raise maxTokens' : 'retry; if it persists, check the prompt and the model',
        backend: 'anthropic',
        model,
      });
    }
    const usage = usageOf(message) ?? estimatedUsage(system + request.user, text);
    const cost = costOf(model, usage);
    return { text, usage, backend: 'anthropic', model, ...(cost === null ? {} : { costUsd: cost }) };
  }

  return { backend: 'anthropic', model: config.model, complete };
}

/** `plain` = no schema; `tool` = forced tool; `text` = JSON asked for in the system text. */
type Mode = 'plain' | 'tool' | 'text';

function modeFor(schema: JsonSchemaSpec | undefined, configured: AnthropicStructuredMode, toolRejected: boolean): Mode {
  if (!schema) return 'plain';
  // input_schema must describe an object; any other schema can only be asked for in text.
  if (configured === 'none' || schema.schema.type !== 'object') return 'text';
  if (configured === 'auto' && toolRejected) return 'text';
  return 'tool';
}

function replyText(message: Message, mode: Mode, toolName: string): string {
  const blocks = Array.isArray(message.content) ? message.content : [];
  if (mode === 'tool') {
    const call = blocks.find((block) => block.type === 'tool_use' && block.name === toolName);
    if (call && call.type === 'tool_use' && call.input !== undefined && call.input !== null) return JSON.stringify(call.input);
  }
  const text = blocks
    .filter((block) => block.type === 'text')
    .map((block) => (block.type === 'text' ? block.text : ''))
    .join('');
  return mode === 'plain' ? text : stripCodeFence(text);
}

function usageOf(message: Message): TokenUsage | undefined {
  const usage = (message as { usage?: Partial<Message['usage']> }).usage;
  if (!usage || typeof usage.input_tokens !== 'number' || typeof usage.output_tokens !== 'number') return undefined;
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  // Anthropic counts cache reads and writes outside input_tokens; our `input` is the whole prompt.
  const result: TokenUsage = { input: usage.input_tokens + cacheRead + cacheWrite, output: usage.output_tokens };
  return cacheRead > 0 ? { ...result, cachedInput: cacheRead } : result;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}
