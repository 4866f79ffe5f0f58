import { describe, expect, it } from 'vitest';
import { isSkillOptError } from '../core/errors.js';
import {
  AzureSettingsSchema,
  BACKEND_KINDS,
  CliSettingsSchema,
  SimulatedSettingsSchema,
  ModelRoleConfigSchema,
  parseBackendSpec,
  parseModelRoleConfig,
  toAnthropicBackendConfig,
  toAzureOpenAIBackendConfig,
  toOpenAIBackendConfig,
} from './config.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('parseBackendSpec', () => {
  it('splits backend and model at the first colon only', () => {
    expect(parseBackendSpec('openai:gpt-4o-mini')).toEqual({ backend: 'openai', model: 'gpt-4o-mini' });
    expect(parseBackendSpec('openai:llama3.1:8b')).toEqual({ backend: 'openai', model: 'llama3.1:8b' });
    expect(parseBackendSpec(' Anthropic:claude-haiku-4-5 ')).toEqual({ backend: 'anthropic', model: 'claude-haiku-4-5' });
    expect(parseBackendSpec('simulated')).toEqual({ backend: 'simulated' });
  });

  it('rejects an unknown backend with an INPUT error naming the valid ones', () => {
    const error = thrown(() => parseBackendSpec('azure:gpt-4o'));
    expect(isSkillOptError(error, 'INPUT')).toBe(true);
    const e = error as { message: string; hint: string };
    expect(e.message).toContain('"azure"');
    expect(e.hint).toContain('did you mean azure-openai');
    for (const kind of BACKEND_KINDS) expect(e.hint).toContain(kind);
    expect(isSkillOptError(thrown(() => parseBackendSpec('')), 'INPUT')).toBe(true);
  });

  it('rejects an empty model after the colon', () => {
    const error = thrown(() => parseBackendSpec('openai:'));
    expect(isSkillOptError(error, 'INPUT')).toBe(true);
  });
});

describe('ModelRoleConfigSchema', () => {
  it('defaults to the simulated backend and describes every key', () => {
    expect(ModelRoleConfigSchema.parse({})).toEqual({ backend: 'simulated' });
    for (const schema of [ModelRoleConfigSchema, AzureSettingsSchema, CliSettingsSchema, SimulatedSettingsSchema]) {
      for (const [key, field] of Object.entries(schema.shape)) expect(field.description, key).toBeTruthy();
    }
  });

  it('reports bad keys as path: message lines', () => {
    const result = parseModelRoleConfig({ backend: 'openai', temperature: 5, apiKeyEnv: 'sk-123 secret', bogus: 1 }, 'models.target');
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.some((line) => line.startsWith('models.target.temperature:'))).toBe(true);
    expect(errors.some((line) => line.startsWith('models.target.apiKeyEnv:'))).toBe(true);
    expect(errors.some((line) => line.includes('bogus'))).toBe(true);
  });

  it('refuses options that do not fit the backend', () => {
    expect(parseModelRoleConfig({ backend: 'anthropic', structured: 'json_schema' }).ok).toBe(false);
    expect(parseModelRoleConfig({ backend: 'openai', structured: 'tool' }).ok).toBe(false);
    expect(parseModelRoleConfig({ backend: 'anthropic', api: 'responses' }).ok).toBe(false);
    expect(parseModelRoleConfig({ backend: 'azure-openai' }).ok).toBe(false);
    expect(parseModelRoleConfig({ backend: 'azure-openai', azure: { deployment: 'd', endpoint: 'https://r.openai.azure.com' } }).ok).toBe(true);
  });
});

describe('backend config converters', () => {
  it('builds OpenAI settings with a default model and only the keys that are set', () => {
    const role = ModelRoleConfigSchema.parse({ backend: 'openai', baseURL: 'http://localhost:11434/v1', structured: 'json_object' });
    expect(toOpenAIBackendConfig(role)).toEqual({ model: 'gpt-4o-mini', baseURL: 'http://localhost:11434/v1', structured: 'json_object' });
  });

  it('uses azure.deployment as the deployment and model as the priced model', () => {
    const role = ModelRoleConfigSchema.parse({ backend: 'azure-openai', model: 'gpt-4o', azure: { deployment: 'prod', apiVersion: '2024-10-21' } });
    expect(toAzureOpenAIBackendConfig(role)).toEqual({ deployment: 'prod', model: 'gpt-4o', apiVersion: '2024-10-21' });
    expect(toAzureOpenAIBackendConfig(ModelRoleConfigSchema.parse({ backend: 'azure-openai', model: 'dep' }))).toEqual({ deployment: 'dep' });
  });

  it('builds Anthropic settings', () => {
    const role = ModelRoleConfigSchema.parse({ backend: 'anthropic', maxTokens: 1000, structured: 'tool' });
    expect(toAnthropicBackendConfig(role)).toEqual({ model: 'claude-haiku-4-5', maxTokens: 1000, structured: 'tool' });
  });
});
