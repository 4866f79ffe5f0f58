/** Error codes used at every boundary; a code says what went wrong, the hint says the fix. */
export type ErrorCode =
  | 'AUTH'
  | 'RATE_LIMITED'
  | 'BAD_REQUEST'
  | 'TIMEOUT'
  | 'UNAVAILABLE'
  | 'EMPTY_REPLY'
  | 'BUDGET_EXHAUSTED'
  | 'CANCELLED'
  | 'CONFIG'
  | 'INPUT'
  | 'NOT_FOUND'
  | 'LOCKED'
  | 'CONFLICT'
  | 'INTERNAL';

/** A typed failure: a code, a message that names the thing, and a hint that says the fix. */
export class SkillOptError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SkillOptError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** True when the value is a SkillOptError (optionally with the given code). */
export function isSkillOptError(value: unknown, code?: ErrorCode): value is SkillOptError {
  return value instanceof SkillOptError && (code === undefined || value.code === code);
}

/** One line for a person: message, then the hint. */
export function formatError(error: unknown): string {
  if (error instanceof SkillOptError) {
    return error.hint ? `${error.message}\n  fix: ${error.hint}` : error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
