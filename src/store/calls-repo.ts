import type { Db } from './db.js';

/** A model call as stored in model_calls. */
export interface CallRowInput {
  nightId: number | null;
  backend: string;
  model: string;
  purpose: string | null;
  inputTokens: number;
  outputTokens: number;
  estimated: 0 | 1;
  cached: 0 | 1;
  costUsd: number | null;
  durationMs: number | null;
  errorCode: string | null;
  createdAt: string;
}

/** The model_calls table: one row per logical call. */
export function createCallsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO model_calls (night_id, backend, model, purpose, input_tokens, output_tokens, estimated, cached, cost_usd, duration_ms, error_code, created_at)
     VALUES (@nightId, @backend, @model, @purpose, @inputTokens, @outputTokens, @estimated, @cached, @costUsd, @durationMs, @errorCode, @createdAt)`,
  );
  return {
    insert(row: CallRowInput): void {
      insert.run({ ...row });
    },
  };
}
