import type { TokenUsage } from './types.js';

/** USD per million tokens for one model; cachedInput applies to the cached part of the input. */
export interface ModelPrice {
  input: number;
  output: number;
  cachedInput?: number;
}

/** The date the price table was last checked against the providers' public price pages. */
export const PRICE_TABLE_DATE = '2025-10-01';

/**
 * Public list prices (standard tier, USD per 1M tokens) as of PRICE_TABLE_DATE.
 * Keys are normalized ids (see normalizeModelId); an unknown model has no price, never a zero price.
 */
export const PRICE_TABLE: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  o3: { input: 2, output: 8, cachedInput: 0.5 },
  'o4-mini': { input: 1.1, output: 4.4, cachedInput: 0.275 },
  'gpt-5': { input: 1.25, output: 10, cachedInput: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025 },
  'gpt-5-nano': { input: 0.05, output: 0.4, cachedInput: 0.005 },
  'claude-opus-4': { input: 15, output: 75, cachedInput: 1.5 },
  'claude-opus-4-1': { input: 15, output: 75, cachedInput: 1.5 },
  'claude-sonnet-4': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-haiku-4-5': { input: 1, output: 5, cachedInput: 0.1 },
  'claude-3-7-sonnet': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cachedInput: 0.08 },
};

/**
 * Fold the spellings of one model onto a table key: provider prefix, case, dated snapshot suffix,
 * `-latest`/`-0` aliases and dotted versions (`claude-sonnet-4.5` = `claude-sonnet-4-5`).
 */
export function normalizeModelId(model: string): string {
  let id = model.trim().toLowerCase();
  const slash = id.lastIndexOf('/');
  if (slash >= 0) id = id.slice(slash + 1);
  id = id.replace(/-\d{4}-\d{2}-\d{2}$/, '').replace(/-\d{8}$/, '').replace(/-latest$/, '');
  if (id.startsWith('claude-')) {
    id = id.replace(/(\d)\.(\d)/g, '$1-$2').replace(/-0$/, '');
  }
  return id;
}

/** The price of a model, or undefined when it is not in the table; `extra` (config `prices`) wins over the table. */
export function priceOf(model: string, extra: Readonly<Record<string, ModelPrice>> = {}): ModelPrice | undefined {
  return extra[model] ?? extra[normalizeModelId(model)] ?? PRICE_TABLE[normalizeModelId(model)];
}

/**
 * Cost in USD of one call; null for a model not in the table (callers must treat that as unknown,
 * never as free). `usage.input` includes the cached part, billed at the cached rate.
 */
export function costOf(model: string, usage: TokenUsage, extra: Readonly<Record<string, ModelPrice>> = {}): number | null {
  const price = priceOf(model, extra);
  if (!price) return null;
  const cached = Math.min(Math.max(usage.cachedInput ?? 0, 0), usage.input);
  const fresh = usage.input - cached;
  const cachedRate = price.cachedInput ?? price.input;
  return (fresh * price.input + cached * cachedRate + usage.output * price.output) / 1_000_000;
}
