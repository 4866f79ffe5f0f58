import { startFakeHttpServer } from './fake-openai-server.js';
import type { FakeReply, FakeRequest, FakeServer, FakeSseEvent } from './fake-openai-server.js';
import { anthropicErrorReply, anthropicMessageBody, type FakeAnthropicBlock, type FakeAnthropicUsage } from './fake-anthropic-server.js';

/**
 * The Messages API's streaming events for one response, in the order the real API sends them: message_start
 * (input usage), per block content_block_start / delta(s) / stop, a ping, message_delta (stop reason, output
 * usage), message_stop. Text is split into a few deltas and tool input into partial JSON, as the API does.
 */
export function anthropicStreamEvents(
  blocks: FakeAnthropicBlock[],
  options: { id: string; model: string; usage: FakeAnthropicUsage; stopReason?: string },
): FakeSseEvent[] {
  const usage = options.usage;
  const events: FakeSseEvent[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          id: options.id,
          type: 'message',
          role: 'assistant',
          model: options.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: usage.input_tokens,
            cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
            cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
            output_tokens: 1,
            service_tier: 'standard',
          },
        },
      },
    },
    { event: 'ping', data: { type: 'ping' } },
  ];
  blocks.forEach((block, index) => {
    if (block.type === 'text') {
      events.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'text', text: '' } } });
      for (const piece of splitInPieces(block.text, 3)) {
        events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } } });
      }
    } else if (block.type === 'tool_use') {
      const id = block.id ?? `toolu_${options.id}_${index}`;
      events.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'tool_use', id, name: block.name, input: {} } } });
      for (const piece of splitInPieces(JSON.stringify(block.input), 2)) {
        events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } } });
      }
    } else {
      events.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } } });
      events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: block.thinking } } });
      events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature ?? 'sig' } } });
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  });
  const stopReason = options.stopReason ?? (blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
  events.push({
    event: 'message_delta',
    data: { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } },
  });
  events.push({ event: 'message_stop', data: { type: 'message_stop' } });
  return events;
}

/** Text cut into up to `count` consecutive pieces (never empty ones), as a stream would deliver it. */
export function splitInPieces(text: string, count: number): string[] {
  if (text.length <= 1 || count <= 1) return [text];
  const size = Math.ceil(text.length / count);
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

/** What the test's conversation logic sees of one Messages request. */
export interface AnthropicTurnRequest {
  request: FakeRequest;
  /**
   * The text of the last user message (its text blocks joined, `<system-reminder>` blocks the client injects
   * removed), '' when it holds only tool results.
   */
  lastUserText: string;
  /** Tool results in the last user message, in order. */
  toolResults: Array<{ toolUseId: string; isError: boolean; content: string }>;
  /** The request's system prompt, flattened to text. */
  system: string;
  model: string;
  stream: boolean;
}

/** The blocks and usage of one answer; undefined from the script means "not mine" (answered generically). */
export interface AnthropicTurnReply {
  blocks: FakeAnthropicBlock[];
  usage: FakeAnthropicUsage;
  model?: string;
}

/** A Messages API fake for real clients: streaming and plain replies, token counting, routes logged. */
export interface FakeAnthropicStreamServer extends FakeServer {
  /** Requests to routes this fake does not serve (method and path), for the test log. */
  unknownRoutes: string[];
  /** Every Messages request answered by the script, in order. */
  turns: AnthropicTurnRequest[];
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block) => {
      const b = block as { type?: unknown; text?: unknown };
      return b.type === 'text' && typeof b.text === 'string' ? b.text : '';
    })
    .filter(Boolean)
    .join('\n');
}

/** Read a Messages request body into what a script needs. */
export function readAnthropicTurn(request: FakeRequest): AnthropicTurnRequest {
  const body = (request.body ?? {}) as { messages?: unknown; system?: unknown; model?: unknown; stream?: unknown };
  const messages = Array.isArray(body.messages) ? (body.messages as Array<{ role?: unknown; content?: unknown }>) : [];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  const toolResults: AnthropicTurnRequest['toolResults'] = [];
  if (last && Array.isArray(last.content)) {
    for (const block of last.content as Array<Record<string, unknown>>) {
      if (block.type !== 'tool_result') continue;
      toolResults.push({ toolUseId: String(block.tool_use_id ?? ''), isError: block.is_error === true, content: textOf(block.content) || String(typeof block.content === 'string' ? block.content : '') });
    }
  }
  const system = typeof body.system === 'string' ? body.system : textOf(body.system);
  return {
    request,
    lastUserText: last ? textOf(last.content).replace(/<system-reminder>[\s\S]*?<\/system-reminder>/g, '').trim() : '',
    toolResults,
    system,
    model: typeof body.model === 'string' ? body.model : 'claude-fake',
    stream: body.stream === true,
  };
}

let messageCounter = 0;

/** One answer as the client asked for it: an SSE stream when `stream` was set, else a message body. */
export function anthropicReply(turn: AnthropicTurnRequest, reply: AnthropicTurnReply): FakeReply {
  const model = reply.model ?? turn.model;
  const id = `msg_fake_${String(++messageCounter).padStart(4, '0')}`;
  if (turn.stream) return { headers: { 'request-id': `req_${id}` }, sse: anthropicStreamEvents(reply.blocks, { id, model, usage: reply.usage }) };
  const body = anthropicMessageBody(reply.blocks, { model, usage: reply.usage });
  return { headers: { 'request-id': `req_${id}` }, json: { ...body, id } };
}

/**
 * Start a Messages API fake that real Claude Code can talk to. `script` answers the conversation; requests
 * it declines (returns undefined: title generation, quota probes, ...) get a short generic answer. Token
 * counting answers from the body size; HEAD/GET on the origin answer 200; anything else is a logged 404.
 */
export async function startFakeAnthropicStreamServer(
  script: (turn: AnthropicTurnRequest) => AnthropicTurnReply | undefined,
  log: (line: string) => void = () => {},
): Promise<FakeAnthropicStreamServer> {
  const unknownRoutes: string[] = [];
  const turns: AnthropicTurnRequest[] = [];
  const server = await startFakeHttpServer((request) => {
    if (request.method === 'POST' && request.path.endsWith('/v1/messages/count_tokens')) {
      return { json: { input_tokens: Math.max(1, Math.round(request.rawBody.length / 4)) } };
    }
    if (request.method === 'POST' && request.path.endsWith('/v1/messages')) {
      const turn = readAnthropicTurn(request);
      const reply = script(turn);
      if (reply) {
        turns.push(turn);
        return anthropicReply(turn, reply);
      }
      log(`fake anthropic: generic answer to a request outside the script (model ${turn.model}, system ${JSON.stringify(turn.system.slice(0, 80))})`);
      return anthropicReply(turn, { blocks: [{ type: 'text', text: 'OK' }], usage: { input_tokens: 1, output_tokens: 1 } });
    }
    if ((request.method === 'HEAD' || request.method === 'GET') && (request.path === '/' || request.path === '')) return { status: 200, raw: '' };
    unknownRoutes.push(`${request.method} ${request.url}`);
    log(`fake anthropic: unknown route ${request.method} ${request.url}`);
    return anthropicErrorReply(404, `Unknown path ${request.path}`);
  }, '');
  return Object.assign(server, { unknownRoutes, turns });
}
