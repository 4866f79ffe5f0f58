import { costOf, type ModelPrice } from '../prices.js';
import type { ChatRequest, ChatResponse, ModelBackend } from '../types.js';

/**
 * Price replies with the config's own table (`prices`): a model missing from the built-in table (a local or
 * fine-tuned model, a new release) gets a cost, so a cost budget can hold; a listed model uses the configured price.
 */
export function withPrices(inner: ModelBackend, prices: Readonly<Record<string, ModelPrice>>): ModelBackend {
  if (Object.keys(prices).length === 0) return inner;
  return {
    backend: inner.backend,
    model: inner.model,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const response = await inner.complete(request);
      if (response.cached) return response;
      const cost = costOf(response.model, response.usage, prices);
      return cost === null ? response : { ...response, costUsd: cost };
    },
  };
}
