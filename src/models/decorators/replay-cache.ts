import type { Clock } from '../../core/clock.js';
import { sha256, stableStringify } from '../../core/hash.js';
import type { CallPurpose, ChatRequest, ChatResponse, ModelBackend } from '../types.js';

/** Which calls to cache and for how long. */
export interface ReplayCacheOptions {
  enabled: boolean;
  /** Only these purposes are cached (default rollout and judge: deterministic given the key). */
  purposes?: readonly CallPurpose[];
  /** Rows older than this are ignored and replaced (default 30). */
  ttlDays?: number;
  /** Told about every hit, so a ledger can count cached calls it never sees. */
  onHit?: (request: ChatRequest, response: ChatResponse) => void;
}

/** Counters since the decorator was built. */
export interface ReplayCacheStats {
  hits: number;
  misses: number;
  expired: number;
  writes: number;
  /** Calls that bypassed the cache (disabled, or a purpose that is not cached). */
  bypassed: number;
}

/** A cached backend plus its counters. */
export interface CachedBackend extends ModelBackend {
  stats(): ReplayCacheStats;
}

/** The parts of a replay-cache key, before hashing. */
export interface ReplayKeyParts {
  taskHash: string;
  skillHash: string;
  backend: string;
  model: string;
  optionsHash: string;
  sampleIndex: number;
}

/**
 * The key parts of a request: task = sha256(system + NUL + user) (the skill is not part of it for harness
 * backends; API backends put it in system, which is fine: the skill hash then agrees), skill text hash,
 * backend, model, options (temperature, max tokens, JSON schema name and a hash of the schema itself, so an
 * edited schema under the same name does not serve stale answers) and the sample index.
 */
export function replayKeyParts(request: ChatRequest, backend: string, defaultModel: string): ReplayKeyParts {
  const options = {
    temperature: request.temperature,
    maxTokens: request.maxTokens,
    jsonSchema: request.jsonSchema ? { name: request.jsonSchema.name, hash: sha256(stableStringify(request.jsonSchema.schema)) } : undefined,
  };
  return {
    taskHash: sha256(`${request.system}\u0000${request.user}`),
    skillHash: sha256(request.skill?.text ?? ''),
    backend,
    model: request.model ?? defaultModel,
    optionsHash: sha256(stableStringify(options)),
    sampleIndex: request.sampleIndex ?? 0,
  };
}

/** The cache key: sha256 of the stable JSON of the key parts. */
export function replayKey(parts: ReplayKeyParts): string {
  return sha256(stableStringify(parts));
}

/** One stored reply, as the cache store returns it. */
export interface StoredReply {
  responseJson: string;
  createdAt: string;
}

/** Where the cache keeps replies (src/store/cache-repo.ts implements it over the replay_cache table). */
export interface ReplayCacheStore {
  get(key: string): StoredReply | undefined;
  touch(key: string, at: string): void;
  put(entry: ReplayKeyParts & { key: string; responseJson: string; now: string }): void;
}

function parseStored(json: string): ChatResponse | undefined {
  try {
    const value = JSON.parse(json) as Partial<ChatResponse>;
    if (typeof value.text !== 'string' || typeof value.usage !== 'object' || value.usage === null) return undefined;
    return value as ChatResponse;
  } catch {
    return undefined;
  }
}

/**
 * Serve repeated (task, skill, backend, model, options, sample) calls from the `replay_cache` table: a hit
 * returns the stored reply with cached: true and makes no provider call. Errors are never cached.
 */
export function withReplayCache(inner: ModelBackend, store: ReplayCacheStore, options: ReplayCacheOptions, clock: Clock): CachedBackend {
  const purposes = new Set<CallPurpose>(options.purposes ?? ['rollout', 'judge']);
  const ttlMs = (options.ttlDays ?? 30) * 24 * 60 * 60 * 1000;
  const stats: ReplayCacheStats = { hits: 0, misses: 0, expired: 0, writes: 0, bypassed: 0 };

  return {
    backend: inner.backend,
    model: inner.model,
    stats: () => ({ ...stats }),
    async complete(request: ChatRequest): Promise<ChatResponse> {
      if (!options.enabled || request.purpose === undefined || !purposes.has(request.purpose)) {
        stats.bypassed += 1;
        return inner.complete(request);
      }
      const parts = replayKeyParts(request, inner.backend, inner.model);
      const key = replayKey(parts);
      const now = clock.now();
      const row = store.get(key);
      if (row) {
        const fresh = now.getTime() - Date.parse(row.createdAt) < ttlMs;
        const stored = fresh ? parseStored(row.responseJson) : undefined;
        if (stored) {
          stats.hits += 1;
          store.touch(key, now.toISOString());
          const response: ChatResponse = { ...stored, cached: true };
          options.onHit?.(request, response);
          return response;
        }
        stats.expired += 1;
      }
      stats.misses += 1;
      const response = await inner.complete(request);
      const { cached: _cached, ...storable } = response;
      store.put({ key, ...parts, responseJson: JSON.stringify(storable), now: now.toISOString() });
      stats.writes += 1;
      return response;
    },
  };
}
