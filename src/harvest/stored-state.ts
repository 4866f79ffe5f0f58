import type { SessionDigest } from './types.js';

/** Key of the marker that stands for a digest kept in the sessions table rather than inside a parser state. */
export const STORED_DIGEST = '$storedDigest';

/** Where the detached digest lives: its session row. */
export interface StoredDigestRef {
  source: string;
  sessionId: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A parser state without the copy of the digest it carries: when `state.digest` is the very digest the parser
 * emitted (Claude Code and Codex keep theirs there), it becomes a reference to the session row, so each session is
 * stored once. Any other state shape is returned as it is.
 */
export function detachDigest(state: unknown, emitted: readonly SessionDigest[]): unknown {
  if (!isPlainObject(state) || !isPlainObject(state.digest)) return state;
  // The emitted digest may be a copy of the state's (a parser adds an empty-session reason to what it returns).
  const own = state.digest;
  const digest = emitted.find((d) => (d as unknown) === own) ?? emitted.find((d) => d.source === own.source && d.sessionId === own.sessionId);
  if (!digest) return state;
  const ref: StoredDigestRef = { source: digest.source, sessionId: digest.sessionId };
  return { ...state, digest: { [STORED_DIGEST]: ref } };
}

/** The reference a saved state holds in place of its digest, if any. */
export function storedDigestRef(state: unknown): StoredDigestRef | undefined {
  if (!isPlainObject(state) || !isPlainObject(state.digest)) return undefined;
  const ref = state.digest[STORED_DIGEST];
  if (!isPlainObject(ref) || typeof ref.source !== 'string' || typeof ref.sessionId !== 'string') return undefined;
  return { source: ref.source, sessionId: ref.sessionId };
}

/**
 * Put the stored digest back into a saved state. Returns `{ ok: false }` when the state refers to a digest that
 * `load` cannot give (the row is gone or another file wrote it since): the caller then reads the file from its start.
 */
export function attachDigest(state: unknown, load: (ref: StoredDigestRef) => unknown): { ok: true; state: unknown } | { ok: false } {
  const ref = storedDigestRef(state);
  if (!ref) return { ok: true, state };
  const digest = load(ref);
  if (!isPlainObject(digest)) return { ok: false };
  return { ok: true, state: { ...(state as Record<string, unknown>), digest } };
}
