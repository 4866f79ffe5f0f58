import { describe, it, expect } from 'vitest';
import { withPrices } from './pricing.js';
import { createFakeBackend } from './fake-backend.js';

describe('withPrices', () => {
  it('prices a model missing from the table with the configured price, and leaves cache hits free', async () => {
    const inner = createFakeBackend([{ model: 'my-local-model', costUsd: undefined, usage: { input: 1_000_000, output: 500_000 } }, { model: 'my-local-model', cached: true, costUsd: 0 }]);
    const priced = withPrices(inner, { 'my-local-model': { input: 0.2, output: 1 } });
    expect((await priced.complete({ system: '', user: 'a' })).costUsd).toBeCloseTo(0.7);
    expect((await priced.complete({ system: '', user: 'b' })).costUsd).toBe(0);
  });
});
