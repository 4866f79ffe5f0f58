import { startFakeHttpServer } from './fake-openai-server.js';
import type { FakeReply, FakeRequest, FakeServer, FakeSseEvent } from './fake-openai-server.js';
import { openAIErrorReply, openAIResponsesBody } from './fake-openai-server.js';
import { splitInPieces } from './fake-anthropic-stream.js';

/** One output item of a scripted Responses answer: assistant text, or a function call the client runs. */
export type FakeResponsesItem = { type: 'message'; text: string } | { type: 'function_call'; name: string; arguments: unknown; callId?: string };

/** Usage in the Responses API's shape. */
export interface FakeResponsesUsage {
  input_tokens: number;
  output_tokens: number;
  cached_tokens?: number;
  reasoning_tokens?: number;
}

function usageBody(usage: FakeResponsesUsage): Record<string, unknown> {
  return {
    input_tokens: usage.input_tokens,
    input_tokens_details: { cached_tokens: usage.cached_tokens ?? 0 },
    output_tokens: usage.output_tokens,
    output_tokens_details: { reasoning_tokens: usage.reasoning_tokens ?? 0 },
    total_tokens: usage.input_tokens + usage.output_tokens,
  };
}

/**
 * The Responses API's streaming events for one response, as the real API orders them: response.created and
 * .in_progress, per item output_item.added, its content part / text deltas (or function-call argument
 * deltas), output_item.done, and response.completed carrying the whole output and the usage.
 */
export function responsesStreamEvents(items: FakeResponsesItem[], options: { id: string; model: string; usage: FakeResponsesUsage; createdAt?: number }): FakeSseEvent[] {
  let sequence = 0;
  const frame = (type: string, data: Record<string, unknown>): FakeSseEvent => ({ event: type, data: { type, sequence_number: sequence++, ...data } });
  const base = {
    id: options.id,
    object: 'response',
    created_at: options.createdAt ?? 1_767_225_600,
    model: options.model,
    output: [] as unknown[],
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: null,
    error: null,
    incomplete_details: null,
  };
  const events: FakeSseEvent[] = [frame('response.created', { response: { ...base, status: 'in_progress' } }), frame('response.in_progress', { response: { ...base, status: 'in_progress' } })];
  const done: unknown[] = [];
  items.forEach((item, outputIndex) => {
    if (item.type === 'message') {
      const itemId = `msg_${options.id}_${outputIndex}`;
      events.push(frame('response.output_item.added', { output_index: outputIndex, item: { id: itemId, type: 'message', status: 'in_progress', role: 'assistant', content: [] } }));
      events.push(frame('response.content_part.added', { item_id: itemId, output_index: outputIndex, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }));
      for (const delta of splitInPieces(item.text, 3)) {
        events.push(frame('response.output_text.delta', { item_id: itemId, output_index: outputIndex, content_index: 0, delta, logprobs: [] }));
      }
      events.push(frame('response.output_text.done', { item_id: itemId, output_index: outputIndex, content_index: 0, text: item.text, logprobs: [] }));
      const part = { type: 'output_text', text: item.text, annotations: [] };
      events.push(frame('response.content_part.done', { item_id: itemId, output_index: outputIndex, content_index: 0, part }));
      const finished = { id: itemId, type: 'message', status: 'completed', role: 'assistant', content: [part] };
      events.push(frame('response.output_item.done', { output_index: outputIndex, item: finished }));
      done.push(finished);
    } else {
      const itemId = `fc_${options.id}_${outputIndex}`;
      const callId = item.callId ?? `call_${options.id}_${outputIndex}`;
      const args = typeof item.arguments === 'string' ? item.arguments : JSON.stringify(item.arguments);
      events.push(frame('response.output_item.added', { output_index: outputIndex, item: { id: itemId, type: 'function_call', status: 'in_progress', call_id: callId, name: item.name, arguments: '' } }));
      for (const delta of splitInPieces(args, 2)) events.push(frame('response.function_call_arguments.delta', { item_id: itemId, output_index: outputIndex, delta }));
      events.push(frame('response.function_call_arguments.done', { item_id: itemId, output_index: outputIndex, arguments: args }));
      const finished = { id: itemId, type: 'function_call', status: 'completed', call_id: callId, name: item.name, arguments: args };
      events.push(frame('response.output_item.done', { output_index: outputIndex, item: finished }));
      done.push(finished);
    }
  });
  events.push(frame('response.completed', { response: { ...base, status: 'completed', output: done, usage: usageBody(options.usage) } }));
  return events;
}

/** What the test's conversation logic sees of one Responses request. */
export interface ResponsesTurnRequest {
  request: FakeRequest;
  /** The text of the last user-role message in `input` (injected context included: the script decides). */
  lastUserText: string;
  /** Every user-role input text, in order. */
  userTexts: string[];
  /** Function call outputs in the input after the last user message, in order. */
  toolOutputs: Array<{ callId: string; output: string }>;
  instructions: string;
  model: string;
  stream: boolean;
  /** Names of the tools the client offered. */
  tools: string[];
}

/** The items and usage of one answer; undefined from the script means "not mine" (answered generically). */
export interface ResponsesTurnReply {
  items: FakeResponsesItem[];
  usage: FakeResponsesUsage;
  model?: string;
}

/** A Responses API fake for real clients: streaming and plain replies, model listing, routes logged. */
export interface FakeResponsesStreamServer extends FakeServer {
  unknownRoutes: string[];
  turns: ResponsesTurnRequest[];
}

function inputText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => {
      const p = part as { type?: unknown; text?: unknown };
      return (p.type === 'input_text' || p.type === 'text') && typeof p.text === 'string' ? p.text : '';
    })
    .filter(Boolean)
    .join('\n');
}

/** Read a Responses request body into what a script needs. */
export function readResponsesTurn(request: FakeRequest): ResponsesTurnRequest {
  const body = (request.body ?? {}) as { input?: unknown; instructions?: unknown; model?: unknown; stream?: unknown; tools?: unknown };
  const input = typeof body.input === 'string' ? [{ type: 'message', role: 'user', content: body.input }] : Array.isArray(body.input) ? (body.input as Array<Record<string, unknown>>) : [];
  const userTexts: string[] = [];
  let lastUserIndex = -1;
  input.forEach((item, index) => {
    if ((item.type === 'message' || item.type === undefined) && item.role === 'user') {
      userTexts.push(inputText(item.content));
      lastUserIndex = index;
    }
  });
  const toolOutputs = input
    .slice(lastUserIndex + 1)
    .filter((item) => item.type === 'function_call_output' || item.type === 'custom_tool_call_output')
    .map((item) => ({ callId: String(item.call_id ?? ''), output: typeof item.output === 'string' ? item.output : JSON.stringify(item.output) }));
  const tools = Array.isArray(body.tools) ? (body.tools as Array<{ name?: unknown; type?: unknown }>).map((t) => String(t.name ?? t.type ?? '')) : [];
  return {
    request,
    lastUserText: userTexts.at(-1) ?? '',
    userTexts,
    toolOutputs,
    instructions: typeof body.instructions === 'string' ? body.instructions : '',
    model: typeof body.model === 'string' ? body.model : 'gpt-fake',
    stream: body.stream === true,
    tools,
  };
}

let responseCounter = 0;

/** One answer as the client asked for it: an SSE stream when `stream` was set, else a response body. */
export function responsesReply(turn: ResponsesTurnRequest, reply: ResponsesTurnReply): FakeReply {
  const model = reply.model ?? turn.model;
  const id = `resp_fake_${String(++responseCounter).padStart(4, '0')}`;
  if (turn.stream) return { headers: { 'x-request-id': `req_${id}` }, sse: responsesStreamEvents(reply.items, { id, model, usage: reply.usage }) };
  const text = reply.items.filter((i): i is Extract<FakeResponsesItem, { type: 'message' }> => i.type === 'message').map((i) => i.text).join('\n');
  const usage = reply.usage;
  return { json: { ...openAIResponsesBody(text, { model, usage: { input_tokens: usage.input_tokens, output_tokens: usage.output_tokens, cached_tokens: usage.cached_tokens ?? 0 } }), id } };
}

/**
 * Start a Responses API fake that real Codex can talk to (base URL ends in `/v1`). `script` answers the
 * conversation; requests it declines get a short generic answer. `GET /v1/models` lists the scripted model;
 * anything else is a logged 404.
 */
export async function startFakeResponsesStreamServer(
  script: (turn: ResponsesTurnRequest) => ResponsesTurnReply | undefined,
  options: { model?: string; log?: (line: string) => void } = {},
): Promise<FakeResponsesStreamServer> {
  const log = options.log ?? (() => {});
  const model = options.model ?? 'gpt-fake';
  const unknownRoutes: string[] = [];
  const turns: ResponsesTurnRequest[] = [];
  const server = await startFakeHttpServer((request) => {
    if (request.method === 'POST' && request.path.endsWith('/responses')) {
      const turn = readResponsesTurn(request);
      const reply = script(turn);
      if (reply) {
        turns.push(turn);
        return responsesReply(turn, reply);
      }
      log(`fake responses: generic answer to a request outside the script (model ${turn.model}, last user text ${JSON.stringify(turn.lastUserText.slice(0, 80))})`);
      return responsesReply(turn, { items: [{ type: 'message', text: 'OK' }], usage: { input_tokens: 1, output_tokens: 1 } });
    }
    if (request.method === 'GET' && request.path.endsWith('/models')) {
      return { json: { object: 'list', data: [{ id: model, object: 'model', created: 1_767_225_600, owned_by: 'fake' }], models: [] } };
    }
    unknownRoutes.push(`${request.method} ${request.url}`);
    log(`fake responses: unknown route ${request.method} ${request.url}`);
    return openAIErrorReply(404, `Unknown path ${request.path}`, { code: 'unknown_url' });
  }, '/v1');
  return Object.assign(server, { unknownRoutes, turns });
}
