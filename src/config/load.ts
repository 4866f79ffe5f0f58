import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SkillOptError } from '../core/errors.js';
import type { Config, ConfigLoad } from './config.js';

/**
 * Loading config.json without holding zod when nothing changed. Validating the config needs the zod schemas
 * (src/config/config.ts), and importing them costs a process 13 MB resident, more than a harvest's own working memory.
 * So each validated config is kept beside the state, keyed by the bytes of config.json, the package version and the
 * JSON Schema the package ships (config.schema.json, held equal to the zod schemas by a test): a command that finds
 * its key there uses the stored result and never loads the schemas. Any edit of config.json, or a new version or
 * schema, misses the cache, and the file is validated (and its errors named) exactly as before.
 *
 * This module must not import zod or config.ts statically (only their types): loadConfigValidator imports config.ts
 * when a command may need it, and registers its validator here.
 */

type Validator = (path: string) => ConfigLoad;

let validator: Validator | undefined;

/** The full validation, for a cache miss (config.ts's loadConfig; a test may wrap it). */
export function registerConfigValidator(validate: Validator): void {
  validator = validate;
}

/** Import config.ts (the zod schemas) and register its validator, once per process. */
export async function loadConfigValidator(): Promise<void> {
  if (!validator) registerConfigValidator((await import('./config.js')).loadConfig);
}

/** What the cache file holds. */
interface CacheEntry {
  key: string;
  config: Config;
}

function readOptional(path: string | URL): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

let packageFacts: { version: string; schema: string } | null | undefined;

/** The package's version and shipped JSON Schema, or null when either is missing (then nothing is cached). */
function packageIdentity(): { version: string; schema: string } | null {
  if (packageFacts !== undefined) return packageFacts;
  const pkg = readOptional(new URL('../../package.json', import.meta.url));
  const schema = readOptional(new URL('../../config.schema.json', import.meta.url));
  let version: string | undefined;
  try {
    version = pkg === undefined ? undefined : (JSON.parse(pkg) as { version?: unknown }).version as string | undefined;
  } catch {
    version = undefined;
  }
  packageFacts = typeof version === 'string' && schema !== undefined ? { version, schema } : null;
  return packageFacts;
}

/** The cache key of a config file's text (undefined: no file, the defaults), or undefined when caching is off. */
export function configCacheKey(configText: string | undefined): string | undefined {
  const identity = packageIdentity();
  if (!identity) return undefined;
  const hash = createHash('sha256');
  for (const part of ['config-cache-1', identity.version, identity.schema, configText === undefined ? '\u0000none' : `\u0001${configText}`]) {
    hash.update(part).update('\u0000');
  }
  return hash.digest('hex');
}

function readCache(cachePath: string, key: string): Config | undefined {
  const text = readOptional(cachePath);
  if (text === undefined) return undefined;
  try {
    const entry = JSON.parse(text) as Partial<CacheEntry>;
    if (entry.key === key && entry.config && typeof entry.config === 'object' && !Array.isArray(entry.config)) return entry.config;
  } catch {
    // a damaged cache is a miss; the next validation rewrites it
  }
  return undefined;
}

/** Write the cache atomically and private (it holds what config.json holds); a state folder not made yet is left alone. */
function writeCache(cachePath: string, key: string, config: Config): void {
  if (!existsSync(dirname(cachePath))) return;
  const temporary = `${cachePath}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify({ key, config } satisfies CacheEntry)}\n`, { mode: 0o600 });
    renameSync(temporary, cachePath);
  } catch {
    rmSync(temporary, { force: true }); // a read-only state folder: validate every time, as before the cache
  }
}

/** config.json's text, undefined when there is none, null when it is there but cannot be read (not cached). */
function readConfigText(configPath: string): string | undefined | null {
  try {
    return readFileSync(configPath, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : null;
  }
}

/** The cached config when config.json (or its absence) is what was validated last, else the key to store it under. */
function cachedConfig(configPath: string, cachePath: string): { config: Config } | { miss: string | undefined; text: string | undefined | null } {
  const text = readConfigText(configPath);
  // An unreadable config.json is never served from the cache: the validator reports it, as without a cache.
  if (text === null) return { miss: undefined, text };
  const key = configCacheKey(text);
  const config = key === undefined ? undefined : readCache(cachePath, key);
  return config ? { config } : { miss: key, text };
}

/** Validate config.json (the found miss) and cache the result; the validator must be registered. */
function validateMiss(configPath: string, cachePath: string, found: { miss: string | undefined; text: string | undefined | null }): Config {
  if (!validator) {
    throw new SkillOptError('CONFIG', `${configPath} changed while this command was starting`, { hint: 'run the command again' });
  }
  const loaded = validator(configPath);
  // Only what was validated from these very bytes is cached (a file replaced meanwhile is validated next time).
  if (found.miss !== undefined && readConfigText(configPath) === found.text) writeCache(cachePath, found.miss, loaded.config);
  return loaded.config;
}

/**
 * The config, synchronously: from the cache, else validated by config.ts (whose validator must be registered: every
 * command but the light ones loads it at start; those call loadConfigAsync first). A config.json with errors throws
 * its CONFIG error.
 */
export function loadConfigSync(configPath: string, cachePath: string): Config {
  const found = cachedConfig(configPath, cachePath);
  return 'config' in found ? found.config : validateMiss(configPath, cachePath, found);
}

/** The config, loading the zod schemas only when the cache misses. */
export async function loadConfigAsync(configPath: string, cachePath: string): Promise<Config> {
  const found = cachedConfig(configPath, cachePath);
  if ('config' in found) return found.config;
  await loadConfigValidator();
  return validateMiss(configPath, cachePath, found);
}

/** Whether the validator (config.ts, and with it zod) has been loaded in this process. */
export function configValidatorLoaded(): boolean {
  return validator !== undefined;
}
