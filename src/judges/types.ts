/** The rule-check operators a judge can use. */
export const CHECK_OPS = [
  'contains',
  'not_contains',
  'regex',
  'not_regex',
  'starts_with',
  'ends_with',
  'max_chars',
  'min_chars',
  'max_lines',
  'heading',
  'json_valid',
  'json_has_keys',
  'exact',
  'tool_called',
  'no_refusal',
] as const;

export type CheckOp = (typeof CHECK_OPS)[number];

/** One rule check; `arg` is a string, a number (bounds) or a list of strings (json keys). */
export interface Check {
  op: CheckOp;
  arg?: string | number | string[];
}

/** How a task's answer is scored. */
export type Judge =
  | { kind: 'rule'; checks: Check[] }
  | { kind: 'exact'; answer: string }
  | { kind: 'rubric'; rubric: string; checks?: Check[] };

/** What the judge sees of one attempt. */
export interface JudgeInput {
  response: string;
  toolCalls: readonly string[];
}

/** The outcome of one check. */
export interface CheckResult {
  op: string;
  arg?: string | number | string[];
  passed: boolean;
  /** One actionable line when the check failed (or is broken). */
  feedback?: string;
  /** Set when the check itself is malformed (bad regex, bad bound): not the answer's fault. */
  broken?: string;
}

/** A scored attempt: hard = all checks pass, soft = fraction passed. */
export interface Verdict {
  hard: 0 | 1;
  soft: number;
  checks: CheckResult[];
  /** One line per failed check, phrased so a reflection can act on it. */
  feedback: string[];
  /** Broken checks (reported separately, excluded from the score). */
  broken: string[];
}
