import { SkillOptError, type ErrorCode } from '../core/errors.js';

/** What a harness backend says about its own CLI when a run fails. */
export interface HarnessIdentity {
  backend: string;
  /** The product as a person knows it, e.g. `Claude Code`. */
  product: string;
  loginHint: string;
  /** How to bring the CLI up to date. */
  updateHint: string;
  /** A command the person can run by hand to see the error. */
  tryCommand: string;
}

/** A typed error for a failed harness run, naming the backend, what was seen, and the fix. */
export function harnessFailure(identity: HarnessIdentity, kind: ErrorCode, what: string): SkillOptError {
  const { backend } = identity;
  switch (kind) {
    case 'AUTH':
      return new SkillOptError('AUTH', `${backend}: ${identity.product} is not logged in or the key was refused (${what})`, { hint: identity.loginHint });
    case 'RATE_LIMITED':
      return new SkillOptError('RATE_LIMITED', `${backend}: rate or usage limit reached (${what})`, { hint: 'wait for the limit to reset, or lower the night budget / concurrency' });
    case 'BAD_REQUEST':
      return new SkillOptError('BAD_REQUEST', `${backend}: the call was rejected (${what})`, { hint: `check the model name and cli.extraArgs, and that ${identity.product} is up to date${identity.updateHint}` });
    default:
      return new SkillOptError(kind, `${backend}: the call failed (${what})`, { hint: `run \`${identity.tryCommand}\` by hand to see the error` });
  }
}
