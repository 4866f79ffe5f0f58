import { z } from 'zod';
import { SkillOptError } from '../core/errors.js';
import type { AnthropicBackendConfig, AnthropicStructuredMode } from './anthropic.js';
import type { AzureOpenAIBackendConfig } from './azure-openai.js';
import type { OpenAIBackendConfig, StructuredMode } from './openai.js';

/** Every backend a model role can use. */
export const BACKEND_KINDS = ['simulated', 'openai', 'azure-openai', 'anthropic', 'claude-cli', 'codex-cli'] as const;

/** One of BACKEND_KINDS. */
export type BackendKind = (typeof BACKEND_KINDS)[number];

/** The model used when a role names an API backend but no model (cheap, widely available). */
export const DEFAULT_API_MODELS: Readonly<Partial<Record<BackendKind, string>>> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-haiku-4-5',
};

const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Azure OpenAI settings of a model role. */
export const AzureSettingsSchema = z
  .strictObject({
    endpoint: z.url().optional().describe('Resource endpoint, https://<resource>.openai.azure.com (default: AZURE_OPENAI_ENDPOINT).'),
    deployment: z.string().min(1).optional().describe('Deployment name sent as the model (default: the role\'s model).'),
    apiVersion: z.string().min(1).optional().describe('Azure API version, e.g. 2024-10-21 (default: OPENAI_API_VERSION, then 2024-10-21).'),
  })
  .describe('Azure OpenAI settings, for backend azure-openai.');

/** Settings of the agent-harness backends (claude -p, codex exec). */
export const CliSettingsSchema = z
  .strictObject({
    command: z.string().min(1).optional().describe('The CLI to run (default: claude or codex found on PATH).'),
    args: z.array(z.string()).optional().describe('Extra arguments appended to the CLI invocation.'),
    allowProjectAccess: z
      .boolean()
      .optional()
      .describe('Let the agent read the real project folder (default false: it runs in an empty temp workspace).'),
  })
  .describe('Harness settings, for backends claude-cli and codex-cli.');

/** Settings of the offline simulated backend. */
export const SimulatedSettingsSchema = z
  .strictObject({
    followRate: z.number().min(0).max(1).optional().describe('Probability that the simulated target follows a recognised instruction.'),
    slipRate: z.number().min(0).max(1).optional().describe('Probability of a baseline slip on any task, to test the gate under noise.'),
    seed: z.number().int().optional().describe('Seed of the simulator\'s random choices (same seed, same answers).'),
    uselessRate: z.number().min(0).max(1).optional().describe('Simulated optimizer: probability a reflection adds a plausible but useless edit.'),
    harmfulRate: z.number().min(0).max(1).optional().describe('Simulated optimizer: probability a reflection proposes a harmful edit (the gate must reject it).'),
  })
  .describe('Simulator settings, for backend simulated.');

/** One model role (target or optimizer): which backend, which model, and its options. */
export const ModelRoleConfigSchema = z
  .strictObject({
    backend: z.enum(BACKEND_KINDS).default('simulated').describe(`Which backend serves this role: ${BACKEND_KINDS.join(', ')}.`),
    model: z.string().min(1).optional().describe('Model id, e.g. gpt-4o-mini, claude-haiku-4-5, llama3.1:8b (API backends have a default).'),
    temperature: z.number().min(0).max(2).optional().describe('Sampling temperature (omit for the provider default; reasoning models reject it).'),
    maxTokens: z.number().int().positive().optional().describe('Largest reply in tokens (Anthropic default 4096).'),
    timeoutMs: z.number().int().positive().optional().describe('Per-call timeout in milliseconds.'),
    baseURL: z.url().optional().describe('OpenAI-compatible or Anthropic-compatible server URL, e.g. http://localhost:11434/v1 for Ollama.'),
    apiKeyEnv: z
      .string()
      .regex(ENV_VAR_NAME, 'must be an environment variable name')
      .optional()
      .describe('Name of the env var holding the API key (default OPENAI_API_KEY, AZURE_OPENAI_API_KEY or ANTHROPIC_API_KEY). Never the key itself.'),
    api: z.enum(['chat', 'responses']).optional().describe('OpenAI API flavour: chat (default; what compatible servers speak) or responses.'),
    structured: z
      .enum(['auto', 'json_schema', 'json_object', 'tool', 'none'])
      .optional()
      .describe('How JSON output is enforced: auto (native, falling back to text), json_schema/json_object (OpenAI), tool (Anthropic), none (asked in text).'),
    azure: AzureSettingsSchema.optional().describe('Azure OpenAI settings, for backend azure-openai.'),
    cli: CliSettingsSchema.optional().describe('Harness settings, for backends claude-cli and codex-cli.'),
    simulated: SimulatedSettingsSchema.optional().describe('Simulator settings, for backend simulated.'),
  })
  .superRefine((role, ctx) => {
    const isOpenAI = role.backend === 'openai' || role.backend === 'azure-openai';
    if ((role.structured === 'json_schema' || role.structured === 'json_object') && !isOpenAI) {
      ctx.addIssue({ code: 'custom', path: ['structured'], message: `${role.structured} is only for openai and azure-openai; use auto, tool or none` });
    }
    if (role.structured === 'tool' && role.backend !== 'anthropic') {
      ctx.addIssue({ code: 'custom', path: ['structured'], message: 'tool is only for anthropic; use auto, json_schema, json_object or none' });
    }
    if (role.api !== undefined && !isOpenAI) {
      ctx.addIssue({ code: 'custom', path: ['api'], message: 'api is only for openai and azure-openai' });
    }
    if (role.backend === 'azure-openai' && !role.azure?.deployment && !role.model) {
      ctx.addIssue({ code: 'custom', path: ['azure', 'deployment'], message: 'azure-openai needs azure.deployment (or model, used as the deployment name)' });
    }
  })
  .describe('A model role: the backend and model that serve it, and call options.');

/** A validated model role config. */
export type ModelRoleConfig = z.infer<typeof ModelRoleConfigSchema>;

/** Validate a model role; errors come back as `path: message` lines, never thrown. */
export function parseModelRoleConfig(value: unknown, path = 'model'): { ok: true; config: ModelRoleConfig } | { ok: false; errors: string[] } {
  const result = ModelRoleConfigSchema.safeParse(value);
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => `${[path, ...issue.path.map(String)].join('.')}: ${issue.message}`),
  };
}

/** A `--target BACKEND[:MODEL]` value, split. */
export interface BackendSpec {
  backend: BackendKind;
  model?: string;
}

/** Split `openai:gpt-4o-mini` (the model may itself contain colons: `openai:llama3.1:8b`); INPUT error on an unknown backend. */
export function parseBackendSpec(spec: string): BackendSpec {
  const trimmed = spec.trim();
  const colon = trimmed.indexOf(':');
  const name = (colon < 0 ? trimmed : trimmed.slice(0, colon)).trim().toLowerCase();
  const model = colon < 0 ? undefined : trimmed.slice(colon + 1).trim();
  const known = BACKEND_KINDS.find((kind) => kind === name);
  if (!known) {
    const near = BACKEND_KINDS.filter((kind) => name !== '' && (kind.startsWith(name) || kind.includes(name) || name.includes(kind)));
    const suggestion = near.length > 0 ? `did you mean ${near.join(' or ')}? ` : '';
    throw new SkillOptError('INPUT', `unknown backend "${name}" in "${spec}"`, {
      hint: `${suggestion}use BACKEND[:MODEL] with BACKEND one of ${BACKEND_KINDS.join(', ')} (e.g. openai:gpt-4o-mini)`,
    });
  }
  if (model === '') {
    throw new SkillOptError('INPUT', `empty model after "${known}:" in "${spec}"`, {
      hint: `drop the colon to use the default model, or name one (e.g. ${known}:${DEFAULT_API_MODELS[known] ?? 'MODEL'})`,
    });
  }
  return model === undefined ? { backend: known } : { backend: known, model };
}

/** The OpenAI backend settings of a role (the backend factory calls this). */
export function toOpenAIBackendConfig(role: ModelRoleConfig): OpenAIBackendConfig {
  return {
    model: role.model ?? DEFAULT_API_MODELS.openai ?? 'gpt-4o-mini',
    ...optional({ baseURL: role.baseURL, apiKeyEnv: role.apiKeyEnv, api: role.api, temperature: role.temperature, maxTokens: role.maxTokens, timeoutMs: role.timeoutMs }),
    ...optional({ structured: openAIStructured(role.structured) }),
  };
}

/** The Azure OpenAI backend settings of a role; CONFIG error when no deployment is named. */
export function toAzureOpenAIBackendConfig(role: ModelRoleConfig): AzureOpenAIBackendConfig {
  const deployment = role.azure?.deployment ?? role.model;
  if (!deployment) {
    throw new SkillOptError('CONFIG', 'azure-openai role has no deployment', { hint: 'set azure.deployment (or model) in the model role config' });
  }
  return {
    deployment,
    ...optional({ endpoint: role.azure?.endpoint, apiVersion: role.azure?.apiVersion, model: role.azure?.deployment ? role.model : undefined }),
    ...optional({ apiKeyEnv: role.apiKeyEnv, api: role.api, temperature: role.temperature, maxTokens: role.maxTokens, timeoutMs: role.timeoutMs }),
    ...optional({ structured: openAIStructured(role.structured) }),
  };
}

/** The Anthropic backend settings of a role. */
export function toAnthropicBackendConfig(role: ModelRoleConfig): AnthropicBackendConfig {
  const structured: AnthropicStructuredMode | undefined =
    role.structured === 'tool' || role.structured === 'none' || role.structured === 'auto' ? role.structured : undefined;
  return {
    model: role.model ?? DEFAULT_API_MODELS.anthropic ?? 'claude-haiku-4-5',
    ...optional({ baseURL: role.baseURL, apiKeyEnv: role.apiKeyEnv, temperature: role.temperature, maxTokens: role.maxTokens, timeoutMs: role.timeoutMs, structured }),
  };
}

function openAIStructured(value: ModelRoleConfig['structured']): StructuredMode | undefined {
  return value === 'tool' ? undefined : value;
}

/** Drop undefined values so optional properties stay absent (exactOptionalPropertyTypes-friendly). */
function optional<T extends Record<string, unknown>>(values: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<{ [K in keyof T]: Exclude<T[K], undefined> }>;
}
