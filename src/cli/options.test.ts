import { describe, it, expect } from 'vitest';
import { parseConfig } from '../config/config.js';
import { applyTrainerFlags } from './options.js';

const configOf = (raw: unknown) => {
  const parsed = parseConfig(raw);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
};

describe('applyTrainerFlags: --target/--optimizer over config.json', () => {
  it('keeps per-role keys the new backend reads, and names each key it ignores', () => {
    const config = configOf({ target: { timeoutMs: 1500, temperature: 0.2, simulated: { seed: 3 } }, optimizer: { backend: 'anthropic', model: 'claude-haiku-4-5', structured: 'tool', maxTokens: 900 } });
    const warnings: string[] = [];
    const next = applyTrainerFlags(config, { target: 'openai:x', optimizer: 'openai' }, (m) => warnings.push(m));
    expect(next.target).toMatchObject({ backend: 'openai', model: 'x', timeoutMs: 1500, temperature: 0.2 });
    expect(next.target.simulated).toBeUndefined();
    expect(next.optimizer).toMatchObject({ backend: 'openai', maxTokens: 900 });
    expect(next.optimizer.model).toBeUndefined();
    expect(next.optimizer.structured).toBeUndefined();
    expect(warnings).toEqual([
      expect.stringContaining('target.simulated'),
      expect.stringContaining('optimizer.model in config.json ("claude-haiku-4-5") does not apply to --optimizer openai'),
      expect.stringContaining('optimizer.structured'),
    ]);
  });

  it('changes only the model when the flag names the config backend', () => {
    const config = configOf({ target: { backend: 'openai', model: 'a', timeoutMs: 1500, baseURL: 'http://127.0.0.1:1/v1' } });
    const warnings: string[] = [];
    const next = applyTrainerFlags(config, { target: 'openai:b' }, (m) => warnings.push(m));
    expect(next.target).toMatchObject({ backend: 'openai', model: 'b', timeoutMs: 1500, baseURL: 'http://127.0.0.1:1/v1' });
    expect(warnings).toEqual([]);
  });
});
