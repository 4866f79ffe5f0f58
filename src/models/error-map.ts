import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import type { Clock } from '../core/clock.js';
import { SkillOptError } from '../core/errors.js';
import { ModelError } from './model-error.js';

// Beside the SDK-reading mapper for the modules that import it from here; model-error.ts loads no SDK.
export { ModelError } from './model-error.js';

/** Which backend and model a failure belongs to, and what helps write the hint. */
export interface ModelErrorContext {
  backend: string;
  model: string;
  /** The server the backend talks to; named in hints for local servers. */
  baseURL?: string;
  /** The env var holding the key; named in AUTH hints. */
  apiKeyEnv?: string;
  /** The caller's signal: tells a caller's cancel from a timeout abort. */
  signal?: AbortSignal;
  /** Needed to turn an HTTP-date retry-after into milliseconds. */
  clock?: Clock;
}

/** True when the error is a ModelError a retry may fix. */
export function isRetryableModelError(error: unknown): error is ModelError {
  return error instanceof ModelError && error.retryable;
}

/** Map any failure of a provider call (SDK error, network error, abort, bad body) to a ModelError. */
export function toModelError(error: unknown, context: ModelErrorContext): ModelError {
  if (error instanceof ModelError) return error;
  const who = `${context.backend} model ${context.model}`;
  if (error instanceof SkillOptError) {
    return new ModelError(error.code, error.message, { hint: error.hint, cause: error, ...base(context) });
  }

  // A caller's abort comes back as APIUserAbortError or a bare AbortError; a timeout decorator aborts with a TimeoutError reason.
  if (context.signal?.aborted || isUserAbort(error)) {
    if (isTimeoutReason(context.signal?.reason)) {
      return new ModelError('TIMEOUT', `${who}: the call timed out (aborted by the caller's deadline)`, {
        hint: 'raise timeoutMs for this model role, or lower maxTokens',
        cause: error,
        ...base(context),
      });
    }
    return new ModelError('CANCELLED', `${who}: the call was cancelled`, {
      hint: 'nothing to fix: the caller cancelled the call (run again to redo it)',
      cause: error,
      ...base(context),
    });
  }

  if (error instanceof OpenAI.APIConnectionTimeoutError || error instanceof Anthropic.APIConnectionTimeoutError) {
    return new ModelError('TIMEOUT', `${who}: no reply before the request timeout`, {
      hint: `raise timeoutMs for this model role, lower maxTokens, or check that ${serverName(context)} is responding`,
      cause: error,
      ...base(context),
    });
  }
  if (error instanceof OpenAI.APIConnectionError || error instanceof Anthropic.APIConnectionError) {
    return connectionError(error, who, context);
  }
  const status = statusOf(error);
  if (status !== undefined) return httpError(error, status, who, context);

  if (error instanceof SyntaxError) {
    return new ModelError('UNAVAILABLE', `${who}: the server returned a body that is not valid JSON (${error.message})`, {
      hint: `check that ${serverName(context)} speaks the ${context.backend} API (a proxy or wrong baseURL often answers with HTML)`,
      cause: error,
      ...base(context),
    });
  }
  if (isNetworkError(error)) return connectionError(error, who, context);

  const message = error instanceof Error ? error.message : String(error);
  return new ModelError('INTERNAL', `${who}: unexpected failure: ${message}`, {
    hint: 'this is a bug in skillopt-sleep or the SDK; please report it with the log',
    cause: error,
    retryable: false,
    ...base(context),
  });
}

function base(context: ModelErrorContext): { backend: string; model: string } {
  return { backend: context.backend, model: context.model };
}

function httpError(error: unknown, status: number, who: string, context: ModelErrorContext): ModelError {
  const detail = providerMessage(error);
  const what = `${who}: HTTP ${status}${detail ? `: ${detail}` : ''}`;
  const common = { cause: error, status, ...base(context) };
  if (status === 401 || status === 403) {
    const keyHint = context.apiKeyEnv ? `set ${context.apiKeyEnv} to a valid key` : 'check the credentials';
    return new ModelError('AUTH', what, {
      hint: status === 403 ? `${keyHint} that has access to model ${context.model}` : keyHint,
      ...common,
    });
  }
  if (status === 402) {
    return new ModelError('AUTH', what, { hint: 'check billing for this account (payment required)', ...common });
  }
  if (status === 429) {
    const retryAfterMs = retryAfterOf(error, context.clock);
    // A spent quota is a 429 too, but waiting does not fix it.
    if (providerCode(error) === 'insufficient_quota') {
      return new ModelError('RATE_LIMITED', what, { hint: 'the account is out of quota: add credits or raise the limit', retryable: false, ...common });
    }
    const wait = retryAfterMs === undefined ? '' : ` (the server asks to wait ${Math.ceil(retryAfterMs / 1000)} s)`;
    return new ModelError('RATE_LIMITED', what, {
      hint: `lower the concurrency for this model role or wait${wait}`,
      retryAfterMs,
      ...common,
    });
  }
  if (status === 408) {
    return new ModelError('TIMEOUT', what, { hint: 'the server timed out the request; retry, or lower maxTokens', ...common });
  }
  if (status === 404) {
    return new ModelError('BAD_REQUEST', what, {
      hint:
        context.backend === 'azure-openai'
          ? `check the deployment name "${context.model}" and the endpoint ${serverName(context)}`
          : `check the model name "${context.model}" and the base URL ${serverName(context)}`,
      ...common,
    });
  }
  if (status === 409) {
    return new ModelError('UNAVAILABLE', what, { hint: 'the server reported a conflict; retrying usually works', ...common });
  }
  if (status >= 500) {
    const local = isLocalURL(context.baseURL);
    return new ModelError('UNAVAILABLE', what, {
      hint: local ? `check the logs of the local server at ${context.baseURL}` : 'the provider is failing or overloaded; retry later',
      retryAfterMs: retryAfterOf(error, context.clock),
      ...common,
    });
  }
  return new ModelError('BAD_REQUEST', what, {
    hint: `check the model name "${context.model}" and the options (temperature, maxTokens, JSON schema)`,
    ...common,
  });
}

function connectionError(error: unknown, who: string, context: ModelErrorContext): ModelError {
  const cause = rootCause(error);
  const code = (cause as { code?: unknown } | undefined)?.code;
  const detail = typeof code === 'string' ? code : cause instanceof Error ? cause.message : 'connection error';
  const hint = isLocalURL(context.baseURL)
    ? `start the local server at ${context.baseURL} (or fix baseURL)`
    : `check the network and that ${serverName(context)} is reachable`;
  return new ModelError('UNAVAILABLE', `${who}: could not reach ${serverName(context)} (${detail})`, {
    hint,
    cause: error,
    ...base(context),
  });
}

function serverName(context: ModelErrorContext): string {
  return context.baseURL ?? `the ${context.backend} API`;
}

function isLocalURL(url: string | undefined): url is string {
  if (!url) return false;
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '0.0.0.0';
  } catch {
    return false;
  }
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof OpenAI.APIError || error instanceof Anthropic.APIError) {
    return typeof error.status === 'number' ? error.status : undefined;
  }
  return undefined;
}

function providerMessage(error: unknown): string | undefined {
  // Both SDKs keep the parsed body on `.error`: OpenAI unwraps {error:{...}}, Anthropic keeps {type, error:{...}}.
  const body = (error as { error?: unknown }).error;
  if (body && typeof body === 'object') {
    const inner = (body as { error?: unknown }).error;
    const source = inner && typeof inner === 'object' ? inner : body;
    const message = (source as { message?: unknown }).message;
    if (typeof message === 'string' && message) return message;
  }
  return undefined;
}

function providerCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Milliseconds to wait, from `retry-after-ms`, or `retry-after` as seconds or an HTTP-date. */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined, clock?: Clock): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const raw = headers.get('retry-after');
  if (raw === null || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const at = Date.parse(raw);
  if (Number.isNaN(at) || !clock) return undefined;
  return Math.max(0, at - clock.now().getTime());
}

function retryAfterOf(error: unknown, clock: Clock | undefined): number | undefined {
  const headers = (error as { headers?: unknown }).headers;
  if (!headers || typeof (headers as { get?: unknown }).get !== 'function') return undefined;
  return parseRetryAfter(headers as { get(name: string): string | null }, clock);
}

function isUserAbort(error: unknown): boolean {
  if (error instanceof OpenAI.APIUserAbortError || error instanceof Anthropic.APIUserAbortError) return true;
  return error instanceof Error && error.name === 'AbortError';
}

function isTimeoutReason(reason: unknown): boolean {
  if (reason instanceof Error && reason.name === 'TimeoutError') return true;
  return reason instanceof SkillOptError && reason.code === 'TIMEOUT';
}

function rootCause(error: unknown): unknown {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth += 1) {
    const next = (current as { cause?: unknown } | undefined)?.cause;
    if (next === undefined || next === null) break;
    current = next;
  }
  return current;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

function isNetworkError(error: unknown): boolean {
  const code = (rootCause(error) as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}
