import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake server received, with its JSON body parsed (undefined when not JSON). */
export interface FakeRequest {
  method: string;
  /** Path with query string, e.g. `/v1/chat/completions`. */
  url: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: unknown;
}

/** What the fake server answers: a JSON body, a raw body, or a hang (never answers). */
export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** Serialized as JSON. */
  json?: unknown;
  /** Sent as is (for malformed bodies). */
  raw?: string;
  /** Keep the connection open without answering, until the client gives up or the server closes. */
  hang?: boolean;
  /** A `text/event-stream` body: one `event:`/`data:` frame per entry (data serialized as JSON), then the end. */
  sse?: FakeSseEvent[];
}

/** One server-sent event; `event` omitted writes a data-only frame (as OpenAI's chat stream does). */
export interface FakeSseEvent {
  event?: string;
  data: unknown;
}

/** One SSE frame as the wire carries it. */
export function sseFrame(event: FakeSseEvent): string {
  const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  return `${event.event ? `event: ${event.event}\n` : ''}data: ${data}\n\n`;
}

/** Decides the reply to one request; `index` counts requests from 0. */
export type FakeResponder = (request: FakeRequest, index: number) => FakeReply | Promise<FakeReply>;

/** A running fake server; close() also drops hanging connections. */
export interface FakeServer {
  /** Base URL as the SDK wants it (OpenAI: ends in `/v1`; Anthropic: the origin). */
  url: string;
  /** The origin, `http://127.0.0.1:<port>`. */
  origin: string;
  requests: FakeRequest[];
  setResponder(responder: FakeResponder): void;
  close(): Promise<void>;
}

/** Start a JSON HTTP server on 127.0.0.1 (port 0) that answers with the responder. */
export async function startFakeHttpServer(responder: FakeResponder, basePath = ''): Promise<FakeServer> {
  let current = responder;
  const requests: FakeRequest[] = [];
  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const url = req.url ?? '/';
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      url,
      path: url.split('?')[0] ?? url,
      headers: req.headers,
      rawBody,
      body,
    };
    const index = requests.length;
    requests.push(request);
    let reply: FakeReply;
    try {
      reply = await current(request, index);
    } catch (error) {
      reply = { status: 500, json: { error: { message: `fake responder threw: ${String(error)}` } } };
    }
    if (reply.hang) return;
    const status = reply.status ?? 200;
    if (reply.sse) {
      res.writeHead(status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...reply.headers });
      // One write per frame, as a real server flushes them, so a client's incremental parser is exercised.
      for (const event of reply.sse) res.write(sseFrame(event));
      res.end();
      return;
    }
    const payload = reply.raw ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
    res.writeHead(status, { 'content-type': 'application/json', ...reply.headers });
    res.end(payload);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}${basePath}`,
    origin,
    requests,
    setResponder(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Token counts in OpenAI chat-completions shape; pass null to omit usage entirely. */
export interface FakeChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens?: number;
}

/** A chat.completion body with one choice. `content: null` gives an empty reply. */
export function openAIChatBody(
  content: string | null,
  options: { model?: string; usage?: FakeChatUsage | null; finishReason?: string } = {},
): Record<string, unknown> {
  const usage = options.usage === undefined ? { prompt_tokens: 12, completion_tokens: 3 } : options.usage;
  return {
    id: 'chatcmpl-fake-1',
    object: 'chat.completion',
    created: 1_767_225_600,
    model: options.model ?? 'gpt-4o-mini',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: options.finishReason ?? 'stop',
      },
    ],
    ...(usage === null
      ? {}
      : {
          usage: {
            prompt_tokens: usage.prompt_tokens,
            completion_tokens: usage.completion_tokens,
            total_tokens: usage.prompt_tokens + usage.completion_tokens,
            prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0, audio_tokens: 0 },
            completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
          },
        }),
    system_fingerprint: 'fp_fake',
  };
}

/** A Responses API body with one output message. `text: null` gives an output with no message. */
export function openAIResponsesBody(
  text: string | null,
  options: { model?: string; usage?: { input_tokens: number; output_tokens: number; cached_tokens?: number } | null } = {},
): Record<string, unknown> {
  const usage = options.usage === undefined ? { input_tokens: 20, output_tokens: 4 } : options.usage;
  return {
    id: 'resp_fake_1',
    object: 'response',
    created_at: 1_767_225_600,
    status: 'completed',
    model: options.model ?? 'gpt-4o-mini',
    output:
      text === null
        ? []
        : [
            {
              id: 'msg_fake_1',
              type: 'message',
              status: 'completed',
              role: 'assistant',
              content: [{ type: 'output_text', text, annotations: [] }],
            },
          ],
    ...(usage === null
      ? {}
      : {
          usage: {
            input_tokens: usage.input_tokens,
            input_tokens_details: { cached_tokens: usage.cached_tokens ?? 0 },
            output_tokens: usage.output_tokens,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: usage.input_tokens + usage.output_tokens,
          },
        }),
  };
}

/** An error reply in OpenAI's real shape: `{error: {message, type, param, code}}`. */
export function openAIErrorReply(
  status: number,
  message: string,
  options: { type?: string; code?: string | null; param?: string | null; headers?: Record<string, string> } = {},
): FakeReply {
  return {
    status,
    headers: options.headers,
    json: {
      error: {
        message,
        type: options.type ?? (status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error'),
        param: options.param ?? null,
        code: options.code ?? null,
      },
    },
  };
}

/** The default responder: chat completions and responses both answer `OK`; anything else is a 404. */
export const defaultOpenAIResponder: FakeResponder = (request) => {
  if (request.path.endsWith('/chat/completions')) return { json: openAIChatBody('OK') };
  if (request.path.endsWith('/responses')) return { json: openAIResponsesBody('OK') };
  return openAIErrorReply(404, `Unknown path ${request.path}`, { code: 'unknown_url' });
};

/** Start a fake OpenAI-compatible server; `url` ends in `/v1` like the real base URL. */
export function startFakeOpenAIServer(responder: FakeResponder = defaultOpenAIResponder): Promise<FakeServer> {
  return startFakeHttpServer(responder, '/v1');
}
