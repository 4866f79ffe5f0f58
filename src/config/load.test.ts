import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSkillOptError } from '../core/errors.js';
import { defaultConfig, loadConfig } from './config.js';
import { statePaths } from '../core/paths.js';
import { configCacheKey, loadConfigAsync, loadConfigSync, registerConfigValidator } from './load.js';

let dir: string;
let configPath: string;
let cachePath: string;
let validations: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'config-load-'));
  configPath = join(dir, 'config.json');
  cachePath = statePaths(dir).configChecked;
  validations = 0;
  registerConfigValidator((path) => {
    validations++;
    return loadConfig(path);
  });
});
afterEach(() => {
  registerConfigValidator(loadConfig);
  rmSync(dir, { recursive: true, force: true });
});

describe('the validated-config cache', () => {
  it('validates a config once, then serves the same result until config.json changes', () => {
    writeFileSync(configPath, JSON.stringify({ harvest: { sources: ['codex'] } }));
    const first = loadConfigSync(configPath, cachePath);
    expect(first.harvest.sources).toEqual(['codex']);
    expect(validations).toBe(1);
    expect(statSync(cachePath).mode & 0o777).toBe(0o600);
    expect(loadConfigSync(configPath, cachePath)).toEqual(first);
    expect(validations).toBe(1);
    // A hand edit is a new key: validated again, and the new value is what comes back.
    writeFileSync(configPath, JSON.stringify({ harvest: { sources: ['claude-code'] } }));
    expect(loadConfigSync(configPath, cachePath).harvest.sources).toEqual(['claude-code']);
    expect(validations).toBe(2);
  });

  it('caches the defaults when there is no config.json, and drops them once a file appears', () => {
    expect(loadConfigSync(configPath, cachePath)).toEqual(defaultConfig());
    expect(loadConfigSync(configPath, cachePath)).toEqual(defaultConfig());
    expect(validations).toBe(1);
    writeFileSync(configPath, JSON.stringify({ harvest: { sources: ['gemini-cli'] } }));
    expect(loadConfigSync(configPath, cachePath).harvest.sources).toEqual(['gemini-cli']);
    expect(validations).toBe(2);
  });

  it('names the errors of an invalid edit every time, and never serves the last good config for it', () => {
    writeFileSync(configPath, JSON.stringify({ harvest: { sources: ['codex'] } }));
    loadConfigSync(configPath, cachePath);
    writeFileSync(configPath, JSON.stringify({ harvest: { sources: ['notepad'] } }));
    for (let i = 0; i < 2; i++) {
      let caught: unknown;
      try {
        loadConfigSync(configPath, cachePath);
      } catch (error) {
        caught = error;
      }
      expect(isSkillOptError(caught, 'CONFIG')).toBe(true);
      expect((caught as Error).message).toContain('harvest.sources');
    }
    expect(validations).toBe(3);
  });

  it('treats a damaged or foreign cache file as a miss and rewrites it', () => {
    writeFileSync(configPath, '{}');
    writeFileSync(cachePath, '{"key": "not');
    expect(loadConfigSync(configPath, cachePath)).toEqual(defaultConfig());
    writeFileSync(cachePath, JSON.stringify({ key: configCacheKey('{"other": true}'), config: { forged: true } }));
    expect(loadConfigSync(configPath, cachePath)).toEqual(defaultConfig());
    expect(validations).toBe(2);
    expect((JSON.parse(readFileSync(cachePath, 'utf8')) as { key: string }).key).toBe(configCacheKey('{}'));
  });

  it('never answers for a config.json it cannot read with the cached defaults', () => {
    expect(loadConfigSync(configPath, cachePath)).toEqual(defaultConfig()); // the defaults are cached now
    mkdirSync(configPath); // there, but not a readable file
    expect(() => loadConfigSync(configPath, cachePath)).toThrow(/cannot read .*config\.json/);
    expect(validations).toBe(2);
  });

  it('writes nothing into a state folder that does not exist yet', async () => {
    const missing = join(dir, 'not-yet');
    expect(await loadConfigAsync(configPath, statePaths(missing).configChecked)).toEqual(defaultConfig());
    expect(existsSync(missing)).toBe(false);
  });
});

const BUILT = join(import.meta.dirname, '../../dist/config/load.js');

describe.skipIf(!existsSync(BUILT))('loadConfigAsync in a fresh process', () => {
  function run(home: string): { loaded: boolean; sources: string[] } {
    const script = `
      import { configValidatorLoaded, loadConfigAsync } from ${JSON.stringify(BUILT)};
      const home = ${JSON.stringify(home)};
      const config = await loadConfigAsync(home + '/config.json', home + '/config.checked.json');
      process.stdout.write(JSON.stringify({ loaded: configValidatorLoaded(), sources: config.harvest.sources }));`;
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as { loaded: boolean; sources: string[] };
  }

  it('loads the zod schemas on a miss only', () => {
    writeFileSync(configPath, JSON.stringify({ harvest: { sources: ['codex'] } }));
    expect(run(dir)).toEqual({ loaded: true, sources: ['codex'] });
    expect(run(dir)).toEqual({ loaded: false, sources: ['codex'] });
    writeFileSync(configPath, JSON.stringify({ harvest: { sources: ['codex', 'claude-code'] } }));
    expect(run(dir)).toEqual({ loaded: true, sources: ['codex', 'claude-code'] });
  });
});
