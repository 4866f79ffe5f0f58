import { z } from 'zod';
import { ConfigSchema } from './config.js';

/** One documented config key. */
export interface ConfigKeyDoc {
  key: string;
  type: string;
  default?: unknown;
  description: string;
}

type JsonSchema = { type?: string | string[]; enum?: unknown[]; default?: unknown; description?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[]; additionalProperties?: JsonSchema | boolean };

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' | ');
  if (s.type === 'array') return `${s.items ? typeOf(s.items) : 'any'}[]`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') return `map of ${typeOf(s.additionalProperties)}`;
  return Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
}

/** Every leaf key of the config file with its type, default and description, read from the schema itself. */
export function describeConfigKeys(): ConfigKeyDoc[] {
  const root = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const out: ConfigKeyDoc[] = [];
  const walk = (schema: JsonSchema, path: string[]) => {
    if (schema.type === 'object' && schema.properties) {
      for (const [name, child] of Object.entries(schema.properties)) walk(child, [...path, name]);
      return;
    }
    out.push({ key: path.join('.'), type: typeOf(schema), ...(schema.default !== undefined ? { default: schema.default } : {}), description: schema.description ?? '' });
  };
  walk(root, []);
  return out;
}

/**
 * The config file's JSON Schema (draft 2020-12), generated from the zod schema: editors validate and complete
 * `config.json` with it. The checked-in `config.schema.json` is this function's output (a test holds them equal).
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'skillopt-sleep config.json' };
}
