import { createSimulatedTarget } from '../../src/simulated/target.js';
import { createSimulatedOptimizer } from '../../src/simulated/optimizer.js';
import { simulationLookupFor } from '../../src/simulated/lookup.js';
import { createRng } from '../../src/core/rng.js';
import type { Task } from '../../src/tasks/types.js';
import { openAIChatBody, openAIErrorReply, startFakeHttpServer, type FakeReply, type FakeRequest, type FakeServer } from './fake-openai-server.js';

/** The faults a local provider can inject, as a new user meets them against a real API. */
export type FaultMode = 'none' | 'hang' | 'retry-after' | '429-two-of-three' | '500' | 'malformed' | '401-echo-key' | 'prose' | 'mix';

/** What the server must know to inject a fault: the key it "received" (echoed by 401) and a seed for the mix. */
export interface FaultOptions {
  mode: FaultMode;
  /** The key the client sends; a 401 echoes it the way OpenAI's "Incorrect API key provided: sk-..." does. */
  apiKey: string;
  /** Requests whose model starts with this go to the simulated target, the rest to the simulated optimizer. */
  targetModel?: string;
  seed?: number;
  /** Seconds in the retry-after header (mode retry-after; the mix uses 0 or 1). */
  retryAfterSeconds?: number;
}

/** Requests whose fault was injected, per kind, so a test can check the faults really happened. */
export interface FaultServer extends FakeServer {
  injected: Record<string, number>;
  /** performance.now() of the first request: the run's clock is running by then (its deadline starts before any call). */
  firstRequestAt: number | null;
}

const PROSE = 'Thanks for sharing these trajectories! Overall the skill looks solid. I would suggest being a bit more careful with units, and maybe adding a heading. Let me know if you want me to go deeper.';

/**
 * A chat-completions server answered by the simulator from what came over the wire, with faults injected by mode:
 * hang (never answers), retry-after (every 4th request is a 429 with retry-after), 429-two-of-three, 500 (every
 * request), malformed (a 200 whose body is not JSON), 401-echo-key, prose (the optimizer answers in prose), and a
 * seeded random mix of all of them.
 */
export async function startFaultServer(tasks: readonly Task[], options: FaultOptions): Promise<FaultServer> {
  const targetModel = options.targetModel ?? 'sim-target';
  const target = createSimulatedTarget({ followRate: 0.92, slipRate: 0.03, seed: 7, lookup: simulationLookupFor(tasks) });
  const optimizer = createSimulatedOptimizer({ seed: 11, uselessRate: 0.3, harmfulRate: 0.1 });
  const rng = createRng(options.seed ?? 5);
  const injected: Record<string, number> = {};
  const inject = (kind: string, reply: FakeReply): FakeReply => {
    injected[kind] = (injected[kind] ?? 0) + 1;
    return reply;
  };
  const answer = async (req: FakeRequest, prose: boolean): Promise<FakeReply> => {
    const body = req.body as { model: string; messages: Array<{ role: string; content: string }> };
    const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
    const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
    const isTarget = body.model.startsWith(targetModel);
    if (prose && !isTarget) return inject('prose', { json: openAIChatBody(PROSE, { model: body.model }) });
    const reply = await (isTarget ? target : optimizer).complete({ system, user });
    return { json: openAIChatBody(reply.text, { model: body.model, usage: { prompt_tokens: reply.usage.input, completion_tokens: reply.usage.output } }) };
  };
  const fault = (kind: Exclude<FaultMode, 'none' | 'prose' | 'mix'>, index: number): FakeReply | null => {
    switch (kind) {
      case 'hang':
        return inject('hang', { hang: true });
      case 'retry-after':
        return index % 4 === 0 ? inject('429', openAIErrorReply(429, 'Rate limit reached for requests', { headers: { 'retry-after': String(options.retryAfterSeconds ?? 1) } })) : null;
      case '429-two-of-three':
        return index % 3 !== 2 ? inject('429', openAIErrorReply(429, 'Rate limit reached for requests')) : null;
      case '500':
        return inject('500', openAIErrorReply(500, 'The server had an error while processing your request'));
      case 'malformed':
        return inject('malformed', { status: 200, raw: '<html><body>502 Bad Gateway</body></html>' });
      case '401-echo-key':
        return inject('401', openAIErrorReply(401, `Incorrect API key provided: ${options.apiKey}. You can find your API key at https://platform.openai.com/account/api-keys.`, { code: 'invalid_api_key' }));
      default:
        kind satisfies never;
        return null;
    }
  };
  let firstRequestAt: number | null = null;
  const server = await startFakeHttpServer(async (req, index) => {
    firstRequestAt ??= performance.now();
    switch (options.mode) {
      case 'none':
        return answer(req, false);
      case 'prose':
        return answer(req, true);
      case 'mix': {
        const roll = rng.next();
        if (roll < 0.05) return fault('hang', index) as FakeReply;
        if (roll < 0.2) return inject('429', openAIErrorReply(429, 'Rate limit reached', { headers: { 'retry-after': roll < 0.12 ? '0' : '1' } }));
        if (roll < 0.28) return fault('500', index) as FakeReply;
        if (roll < 0.32) return fault('malformed', index) as FakeReply;
        return answer(req, false);
      }
      default:
        return fault(options.mode, index) ?? answer(req, false);
    }
  }, '/v1');
  // A getter, so the test reads the time of the first request whenever it asks.
  return Object.defineProperties(server, {
    injected: { value: injected, enumerable: true },
    firstRequestAt: { get: () => firstRequestAt, enumerable: true },
  }) as FaultServer;
}
