import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type Config } from '../config/config.js';
import { parseTaskFile } from '../tasks/task-file.js';
import { checkBudgetsUpFront, estimateStepMinimum } from './preflight.js';
import { trainerSettings } from './run-train.js';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'personas', 'analyst');
const tasks = parseTaskFile(readFileSync(join(dir, 'tasks.jsonl'), 'utf8'), 'tasks.jsonl').tasks;
const skill = readFileSync(join(dir, 'skill.md'), 'utf8');
const configOf = (raw: unknown): Config => {
  const parsed = parseConfig(raw);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
};
const check = (raw: unknown) => {
  const config = configOf(raw);
  return () => checkBudgetsUpFront(tasks, skill, trainerSettings(config), config);
};

describe('checkBudgetsUpFront', () => {
  it('refuses a token budget below one step, with the number needed', () => {
    const config = configOf({});
    const need = estimateStepMinimum(tasks, skill, trainerSettings(config), config);
    expect(need.tokens).toBeGreaterThan(500);
    expect(check({ budget: { maxTokens: 200 } })).toThrowError(expect.objectContaining({ code: 'CONFIG', message: expect.stringContaining(`about ${need.tokens} tokens`), hint: expect.stringMatching(/--max-tokens\) to at least \d+/) }));
    expect(check({ budget: { maxTokens: need.tokens } })).not.toThrow();
  });

  it('refuses a cost budget for a model with no price, naming the config key; a configured price or the simulator passes', () => {
    const role = { backend: 'openai', model: 'llama3.1:8b', baseURL: 'http://127.0.0.1:11434/v1' };
    expect(check({ target: role, budget: { maxCostUsd: 0.01 } })).toThrowError(expect.objectContaining({ code: 'CONFIG', message: expect.stringContaining('target model llama3.1:8b (openai) has no known price'), hint: expect.stringContaining('"prices": {"llama3.1:8b"') }));
    expect(check({ target: role, budget: { maxCostUsd: 0.01 }, prices: { 'llama3.1:8b': { input: 0, output: 0 } } })).not.toThrow();
    expect(check({ target: role, budget: { maxCostUsd: 0.01, allowUnpricedCalls: true } })).not.toThrow();
    expect(check({ target: { backend: 'openai', model: 'gpt-4o-mini' }, budget: { maxCostUsd: 0.01 } })).not.toThrow();
    expect(check({ budget: { maxCostUsd: 0.01 } })).not.toThrow();
  });
});
