import { startFakeHttpServer } from './fake-openai-server.js';
import type { FakeReply, FakeResponder, FakeServer } from './fake-openai-server.js';

export type { FakeReply, FakeRequest, FakeResponder, FakeServer } from './fake-openai-server.js';

/** A content block as the Messages API returns it. */
export type FakeAnthropicBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id?: string; name: string; input: unknown }
  | { type: 'thinking'; thinking: string; signature?: string };

/** Token counts in Anthropic's usage shape; pass null to omit usage. */
export interface FakeAnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

/** A `message` body; a string becomes one text block. */
export function anthropicMessageBody(
  content: string | FakeAnthropicBlock[],
  options: { model?: string; usage?: FakeAnthropicUsage | null; stopReason?: string } = {},
): Record<string, unknown> {
  const blocks: FakeAnthropicBlock[] = typeof content === 'string' ? [{ type: 'text', text: content }] : content;
  const usage = options.usage === undefined ? { input_tokens: 15, output_tokens: 2 } : options.usage;
  return {
    id: 'msg_fake_01',
    type: 'message',
    role: 'assistant',
    model: options.model ?? 'claude-haiku-4-5',
    content: blocks.map((block) => {
      if (block.type === 'text') return { type: 'text', text: block.text, citations: null };
      if (block.type === 'tool_use') {
        return { type: 'tool_use', id: block.id ?? 'toolu_fake_01', name: block.name, input: block.input, caller: { type: 'direct' } };
      }
      return { type: 'thinking', thinking: block.thinking, signature: block.signature ?? 'sig' };
    }),
    stop_reason: options.stopReason ?? (blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    container: null,
    ...(usage === null
      ? {}
      : {
          usage: {
            input_tokens: usage.input_tokens,
            output_tokens: usage.output_tokens,
            cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
            cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
            service_tier: 'standard',
          },
        }),
  };
}

/** An error reply in Anthropic's real shape: `{type: "error", error: {type, message}, request_id}`. */
export function anthropicErrorReply(status: number, message: string, options: { type?: string; headers?: Record<string, string> } = {}): FakeReply {
  const type =
    options.type ??
    (status === 401
      ? 'authentication_error'
      : status === 403
        ? 'permission_error'
        : status === 404
          ? 'not_found_error'
          : status === 429
            ? 'rate_limit_error'
            : status === 529
              ? 'overloaded_error'
              : status >= 500
                ? 'api_error'
                : 'invalid_request_error');
  return {
    status,
    headers: { 'request-id': 'req_fake_01', ...options.headers },
    json: { type: 'error', error: { type, message }, request_id: 'req_fake_01' },
  };
}

/** The default responder: POST /v1/messages answers `OK`; anything else is a 404. */
export const defaultAnthropicResponder: FakeResponder = (request) => {
  if (request.path.endsWith('/v1/messages')) return { json: anthropicMessageBody('OK') };
  return anthropicErrorReply(404, `Unknown path ${request.path}`);
};

/** Start a fake Anthropic Messages server; `url` is the origin, as ANTHROPIC_BASE_URL expects. */
export function startFakeAnthropicServer(responder: FakeResponder = defaultAnthropicResponder): Promise<FakeServer> {
  return startFakeHttpServer(responder, '');
}
