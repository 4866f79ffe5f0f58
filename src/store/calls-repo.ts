import type { Db } from './db.js';
import type { CallRow } from '../models/decorators/accounting.js';

/** The model_calls table: one row per logical call. */
export function createCallsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO model_calls (night_id, backend, model, purpose, input_tokens, output_tokens, estimated, cached, cost_usd, duration_ms, error_code, created_at)
     VALUES (@nightId, @backend, @model, @purpose, @inputTokens, @outputTokens, @estimated, @cached, @costUsd, @durationMs, @errorCode, @createdAt)`,
  );
  return {
    insert(row: CallRow): void {
      insert.run({ ...row });
    },
  };
}
