import type { ParseOutcome } from '../../types.js';

/**
 * VS Code >= 1.109 writes a chat session as an append-only log of mutations:
 * `{kind:0,v}` replaces the whole state, `{kind:1,k,v}` sets the value at path `k`,
 * `{kind:2,k,v,i?}` appends the items `v` to the array at `k` (after truncating it to `i`),
 * `{kind:3,k}` deletes the value at `k`. Replaying the log in order gives the session object.
 */

/** The replayed session: a plain JSON value (null before the first `kind:0`). */
export type ReplayedState = unknown;

type PathKey = string | number;

// Keys that would reach the prototype chain of the replayed object instead of data.
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return value !== null && typeof value === 'object';
}

function readPath(raw: unknown): PathKey[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const path: PathKey[] = [];
  for (const key of raw) {
    if (typeof key === 'number' && Number.isInteger(key) && key >= 0) path.push(key);
    else if (typeof key === 'string' && !UNSAFE_KEYS.has(key)) path.push(key);
    else return undefined;
  }
  return path;
}

function getChild(container: Record<string, unknown> | unknown[], key: PathKey): unknown {
  if (Array.isArray(container)) return typeof key === 'number' ? container[key] : undefined;
  return Object.prototype.hasOwnProperty.call(container, key) ? container[String(key)] : undefined;
}

function setChild(container: Record<string, unknown> | unknown[], key: PathKey, value: unknown): boolean {
  if (Array.isArray(container)) {
    // An index far past the end would allocate a huge sparse array from one bad line.
    if (typeof key !== 'number' || key > container.length) return false;
    container[key] = value;
    return true;
  }
  container[String(key)] = value;
  return true;
}

/** Walk to the parent of the last key, creating missing objects/arrays on the way (VS Code's own writer does). */
function walkToParent(root: unknown, path: PathKey[]): Record<string, unknown> | unknown[] | undefined {
  if (!isContainer(root)) return undefined;
  let node: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as PathKey;
    let next = getChild(node, key);
    if (next === undefined || next === null) {
      next = typeof path[i + 1] === 'number' ? [] : {};
      if (!setChild(node, key, next)) return undefined;
    }
    if (!isContainer(next)) return undefined;
    node = next;
  }
  return node;
}

/**
 * Apply one log record to the state. Returns the new state (the same object mutated in place, or a new one for
 * `kind:0`) and an outcome; a record that cannot apply leaves the state as it was. Never throws.
 */
export function applyMutation(state: ReplayedState, record: Record<string, unknown>): { state: ReplayedState; outcome: ParseOutcome } {
  const kind = record.kind;
  if (kind === 0) {
    if (!('v' in record)) return { state, outcome: { ok: false, reason: 'missing_field', detail: 'kind 0 without v' } };
    return { state: record.v, outcome: { ok: true } };
  }
  if (kind !== 1 && kind !== 2 && kind !== 3) {
    return { state, outcome: { ok: false, reason: 'unknown_record', detail: `kind ${JSON.stringify(kind)?.slice(0, 20)}` } };
  }
  if (!isContainer(state)) return { state, outcome: { ok: false, reason: 'missing_field', detail: `kind ${kind} before the initial state` } };
  const path = readPath(record.k);
  if (!path) return { state, outcome: { ok: false, reason: 'missing_field', detail: `kind ${kind} without a valid path k` } };
  if (kind === 1) {
    if (!('v' in record)) return { state, outcome: { ok: false, reason: 'missing_field', detail: 'kind 1 without v' } };
    if (path.length === 0) return { state: record.v, outcome: { ok: true } };
    const parent = walkToParent(state, path);
    const ok = parent !== undefined && setChild(parent, path[path.length - 1] as PathKey, record.v);
    return { state, outcome: ok ? { ok: true } : { ok: false, reason: 'unknown_record', detail: 'kind 1 path does not resolve' } };
  }
  if (kind === 2) return appendAt(state, path, record);
  return deleteAt(state, path);
}

function appendAt(state: Record<string, unknown> | unknown[], path: PathKey[], record: Record<string, unknown>): { state: ReplayedState; outcome: ParseOutcome } {
  const items = record.v === undefined ? [] : Array.isArray(record.v) ? record.v : [record.v];
  const truncate = typeof record.i === 'number' && Number.isInteger(record.i) && record.i >= 0 ? record.i : undefined;
  let target: unknown;
  let parent: Record<string, unknown> | unknown[] | undefined;
  if (path.length === 0) {
    target = state;
  } else {
    parent = walkToParent(state, path);
    if (!parent) return { state, outcome: { ok: false, reason: 'unknown_record', detail: 'kind 2 path does not resolve' } };
    target = getChild(parent, path[path.length - 1] as PathKey);
    if (target === undefined || target === null) {
      target = [];
      if (!setChild(parent, path[path.length - 1] as PathKey, target)) {
        return { state, outcome: { ok: false, reason: 'unknown_record', detail: 'kind 2 path does not resolve' } };
      }
    }
  }
  if (!Array.isArray(target)) return { state, outcome: { ok: false, reason: 'unknown_record', detail: 'kind 2 target is not an array' } };
  if (truncate !== undefined && truncate < target.length) target.length = truncate;
  for (const item of items) target.push(item);
  return { state, outcome: { ok: true } };
}

function deleteAt(state: Record<string, unknown> | unknown[], path: PathKey[]): { state: ReplayedState; outcome: ParseOutcome } {
  if (path.length === 0) return { state: null, outcome: { ok: true } };
  let node: unknown = state;
  for (let i = 0; i < path.length - 1; i++) {
    if (!isContainer(node)) return { state, outcome: { ok: true } };
    node = getChild(node, path[i] as PathKey);
  }
  const last = path[path.length - 1] as PathKey;
  // Deleting something already gone is harmless: the state is what VS Code would read.
  if (Array.isArray(node)) {
    if (typeof last === 'number' && last < node.length) node.splice(last, 1);
  } else if (isContainer(node)) {
    delete (node as Record<string, unknown>)[String(last)];
  }
  return { state, outcome: { ok: true } };
}
