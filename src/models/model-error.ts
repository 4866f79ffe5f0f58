// The model-call error on its own: importing it loads no provider SDK (error-map.ts, which reads the SDKs' error
// classes, loads both), so code that only checks for a ModelError stays cheap to start.
import { SkillOptError } from '../core/errors.js';
import type { ErrorCode } from '../core/errors.js';

const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['RATE_LIMITED', 'TIMEOUT', 'UNAVAILABLE', 'EMPTY_REPLY']);

/** A model-call failure: our code, plus what a retry decorator needs (status, retry-after, retryable). */
export class ModelError extends SkillOptError {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;
  readonly backend: string;
  readonly model: string;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      hint?: string;
      cause?: unknown;
      status?: number;
      retryAfterMs?: number;
      retryable?: boolean;
      backend: string;
      model: string;
    },
  ) {
    super(code, message, { hint: options.hint, cause: options.cause });
    this.name = 'ModelError';
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = options.retryable ?? RETRYABLE_CODES.has(code);
    this.backend = options.backend;
    this.model = options.model;
  }
}
