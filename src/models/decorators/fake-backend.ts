import type { ChatRequest, ChatResponse, ModelBackend } from '../types.js';

/** One scripted outcome: a reply (partial, filled with defaults), an error to throw, or a function of the request. */
export type FakeStep = Partial<ChatResponse> | Error | ((request: ChatRequest) => Promise<ChatResponse> | ChatResponse);

/** A scripted backend for decorator tests: records every request and plays the steps in order (the last repeats). */
export interface FakeBackend extends ModelBackend {
  readonly requests: ChatRequest[];
}

/** Build a fake backend; with no steps every call answers `ok`. */
export function createFakeBackend(steps: FakeStep[] = [], identity: { backend?: string; model?: string } = {}): FakeBackend {
  const backend = identity.backend ?? 'fake';
  const model = identity.model ?? 'fake-model';
  const requests: ChatRequest[] = [];
  return {
    backend,
    model,
    requests,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      requests.push(request);
      const step = steps.length === 0 ? {} : steps[Math.min(requests.length - 1, steps.length - 1)];
      if (step instanceof Error) throw step;
      if (typeof step === 'function') return step(request);
      return {
        text: 'ok',
        usage: { input: 10, output: 5 },
        backend,
        model: request.model ?? model,
        costUsd: 0.001,
        ...step,
      };
    },
  };
}
