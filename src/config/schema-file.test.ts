import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from './docs.js';
import { defaultConfig } from './config.js';

const FILE = new URL('../../config.schema.json', import.meta.url);

describe('config.schema.json', () => {
  it('is the generated JSON Schema of the config (regenerate: node dist/cli/main.js config schema --json-schema > config.schema.json)', () => {
    expect(JSON.parse(readFileSync(FILE, 'utf8'))).toEqual(configJsonSchema());
  });
  it('describes every top-level key of the default config', () => {
    const schema = configJsonSchema() as { properties: Record<string, { description?: string }> };
    for (const key of Object.keys(defaultConfig())) expect(schema.properties[key]?.description, key).toBeTruthy();
  });
});
