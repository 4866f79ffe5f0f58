import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { SkillOptError } from '../core/errors.js';
import { isRetryableModelError, ModelError, parseRetryAfter, toModelError } from './error-map.js';

const context = { backend: 'openai', model: 'gpt-4o', apiKeyEnv: 'OPENAI_API_KEY', clock: fixedClock('2026-01-01T00:00:00Z') };

function openAIError(status: number, headers: Record<string, string> = {}, body: unknown = { error: { message: 'boom' } }) {
  return OpenAI.APIError.generate(status, body as object, undefined, new Headers(headers));
}

describe('parseRetryAfter', () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  it('reads seconds, milliseconds and HTTP-dates', () => {
    expect(parseRetryAfter(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(parseRetryAfter(headers({ 'retry-after': '0.5' }))).toBe(500);
    expect(parseRetryAfter(headers({ 'retry-after-ms': '250' }))).toBe(250);
    expect(parseRetryAfter(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }), context.clock)).toBe(10_000);
  });
  it('gives undefined for absent, garbage or negative values, and 0 for a date in the past', () => {
    expect(parseRetryAfter(headers({}))).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }), context.clock)).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': '-3' }))).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }), context.clock)).toBe(0);
  });
});

describe('toModelError', () => {
  it.each([
    [401, 'AUTH', false],
    [403, 'AUTH', false],
    [402, 'AUTH', false],
    [400, 'BAD_REQUEST', false],
    [404, 'BAD_REQUEST', false],
    [422, 'BAD_REQUEST', false],
    [408, 'TIMEOUT', true],
    [429, 'RATE_LIMITED', true],
    [500, 'UNAVAILABLE', true],
    [503, 'UNAVAILABLE', true],
  ] as const)('maps HTTP %i to %s (retryable %s)', (status, code, retryable) => {
    const error = toModelError(openAIError(status), context);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toBeInstanceOf(SkillOptError);
    expect(error).toMatchObject({ code, status, retryable, backend: 'openai', model: 'gpt-4o' });
    expect(error.message).toContain(`openai model gpt-4o: HTTP ${status}: boom`);
    expect(error.hint).toBeTruthy();
    expect(isRetryableModelError(error)).toBe(retryable);
  });

  it('reads the message from Anthropic error bodies', () => {
    const raw = Anthropic.APIError.generate(429, { type: 'error', error: { type: 'rate_limit_error', message: 'too many tokens' } }, undefined, new Headers({ 'retry-after': '4' }));
    const error = toModelError(raw, { ...context, backend: 'anthropic', model: 'claude-haiku-4-5' });
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 4000 });
    expect(error.message).toBe('anthropic model claude-haiku-4-5: HTTP 429: too many tokens');
  });

  it('keeps retry-after on 503 too', () => {
    expect(toModelError(openAIError(503, { 'retry-after': '5' }), context).retryAfterMs).toBe(5000);
  });

  it('maps connection refused to UNAVAILABLE with a start-the-server hint for local URLs', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:11434'), { code: 'ECONNREFUSED' });
    const error = toModelError(new TypeError('fetch failed', { cause: refused }), { ...context, baseURL: 'http://localhost:11434/v1' });
    expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.hint).toBe('start the local server at http://localhost:11434/v1 (or fix baseURL)');
    const remote = toModelError(new OpenAI.APIConnectionError({ cause: refused }), { ...context, baseURL: 'https://api.openai.com/v1' });
    expect(remote.hint).toContain('network');
  });

  it('tells a caller cancel from a deadline abort', () => {
    const cancelled = new AbortController();
    cancelled.abort();
    expect(toModelError(new OpenAI.APIUserAbortError(), { ...context, signal: cancelled.signal }).code).toBe('CANCELLED');
    const deadline = new AbortController();
    deadline.abort(new DOMException('deadline', 'TimeoutError'));
    expect(toModelError(new OpenAI.APIUserAbortError(), { ...context, signal: deadline.signal }).code).toBe('TIMEOUT');
    expect(toModelError(new Anthropic.APIConnectionTimeoutError(), context).code).toBe('TIMEOUT');
  });

  it('passes ModelErrors through, keeps the code of other SkillOptErrors, and calls the rest INTERNAL', () => {
    const own = new ModelError('EMPTY_REPLY', 'empty', { backend: 'openai', model: 'gpt-4o' });
    expect(toModelError(own, context)).toBe(own);
    expect(toModelError(new SkillOptError('BUDGET_EXHAUSTED', 'spent', { hint: 'raise it' }), context)).toMatchObject({
      code: 'BUDGET_EXHAUSTED',
      hint: 'raise it',
      retryable: false,
    });
    expect(toModelError(new RangeError('bug'), context)).toMatchObject({ code: 'INTERNAL', retryable: false });
    expect(toModelError('a string', context).message).toContain('a string');
  });
});
