import { describe, expect, it } from 'vitest';
import { costOf, normalizeModelId, priceOf, PRICE_TABLE } from './prices.js';

describe('normalizeModelId', () => {
  it('folds snapshots, prefixes, aliases and dotted versions onto table keys', () => {
    expect(normalizeModelId('gpt-4o-2024-08-06')).toBe('gpt-4o');
    expect(normalizeModelId('openai/GPT-4o-mini')).toBe('gpt-4o-mini');
    expect(normalizeModelId('claude-sonnet-4-5-20250929')).toBe('claude-sonnet-4-5');
    expect(normalizeModelId('claude-sonnet-4.5')).toBe('claude-sonnet-4-5');
    expect(normalizeModelId('claude-opus-4-0')).toBe('claude-opus-4');
    expect(normalizeModelId('claude-3-5-haiku-latest')).toBe('claude-3-5-haiku');
    expect(normalizeModelId('gpt-4.1-mini')).toBe('gpt-4.1-mini');
  });
});

describe('costOf', () => {
  it('prices input, cached input and output per million tokens', () => {
    expect(costOf('gpt-4o', { input: 1_000_000, output: 1_000_000 })).toBeCloseTo(12.5, 10);
    expect(costOf('gpt-4o', { input: 1_000_000, output: 0, cachedInput: 1_000_000 })).toBeCloseTo(1.25, 10);
    expect(costOf('claude-haiku-4-5-20251001', { input: 2_000, output: 1_000 })).toBeCloseTo((2_000 * 1 + 1_000 * 5) / 1e6, 12);
  });

  it('returns null, never 0, for an unknown model', () => {
    expect(costOf('llama3.1:8b', { input: 100, output: 100 })).toBeNull();
    expect(costOf('gpt-4o-mini-but-not-really', { input: 1, output: 1 })).toBeNull();
    expect(priceOf('my-azure-deployment')).toBeUndefined();
  });

  it('clamps a cached count larger than the input', () => {
    expect(costOf('gpt-4o', { input: 10, output: 0, cachedInput: 50 })).toBeCloseTo((10 * 1.25) / 1e6, 12);
  });

  it('has a positive price for every entry', () => {
    for (const [id, price] of Object.entries(PRICE_TABLE)) {
      expect(price.input, id).toBeGreaterThan(0);
      expect(price.output, id).toBeGreaterThan(price.input);
    }
  });
});
