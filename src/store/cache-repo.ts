import type { Db } from './db.js';
import type { ReplayCacheStore, StoredReply } from '../models/decorators/replay-cache.js';

interface CacheRow {
  response_json: string;
  created_at: string;
}

/** The replay_cache table: get, touch and upsert by key. */
export function createCacheRepo(db: Db): ReplayCacheStore {
  const select = db.prepare<[string], CacheRow>('SELECT response_json, created_at FROM replay_cache WHERE key = ?');
  const touch = db.prepare<[string, string]>('UPDATE replay_cache SET last_used_at = ? WHERE key = ?');
  const upsert = db.prepare(
    `INSERT INTO replay_cache (key, task_hash, skill_hash, backend, model, options_hash, sample_index, response_json, created_at, last_used_at)
     VALUES (@key, @taskHash, @skillHash, @backend, @model, @optionsHash, @sampleIndex, @responseJson, @now, @now)
     ON CONFLICT (key) DO UPDATE SET response_json = excluded.response_json, created_at = excluded.created_at, last_used_at = excluded.last_used_at`,
  );
  return {
    get(key: string): StoredReply | undefined {
      const row = select.get(key);
      return row ? { responseJson: row.response_json, createdAt: row.created_at } : undefined;
    },
    touch(key: string, at: string): void {
      touch.run(at, key);
    },
    put(entry): void {
      upsert.run({ ...entry });
    },
  };
}
