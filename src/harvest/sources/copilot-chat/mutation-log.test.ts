import { describe, it, expect } from 'vitest';
import { applyMutation, type ReplayedState } from './mutation-log.js';

function replay(records: Array<Record<string, unknown>>, start: ReplayedState = null): { state: ReplayedState; reasons: string[] } {
  let state = start;
  const reasons: string[] = [];
  for (const record of records) {
    const next = applyMutation(state, record);
    state = next.state;
    if (!next.outcome.ok) reasons.push(next.outcome.reason);
  }
  return { state, reasons };
}

describe('applyMutation', () => {
  it('kind 0 replaces the whole state', () => {
    const { state } = replay([{ kind: 0, v: { a: 1 } }, { kind: 0, v: { b: 2 } }]);
    expect(state).toEqual({ b: 2 });
  });
  it('kind 1 sets a nested value, creating missing containers', () => {
    const { state } = replay([
      { kind: 0, v: { requests: [{ id: 'r1' }] } },
      { kind: 1, k: ['requests', 0, 'modelState'], v: { value: 1 } },
      { kind: 1, k: ['requests', 0, 'result', 'details'], v: 'x' },
      { kind: 1, k: ['title'], v: 't' },
    ]);
    expect(state).toEqual({ requests: [{ id: 'r1', modelState: { value: 1 }, result: { details: 'x' } }], title: 't' });
  });
  it('kind 2 appends, truncating at i first', () => {
    const { state } = replay([
      { kind: 0, v: { requests: [{ response: ['a', 'b', 'c'] }] } },
      { kind: 2, k: ['requests', 0, 'response'], v: ['d'] },
      { kind: 2, k: ['requests', 0, 'response'], v: ['X', 'Y'], i: 2 },
      { kind: 2, k: ['requests'], v: [{ response: [] }] },
      { kind: 2, k: ['pending'], v: [1] },
    ]);
    expect(state).toEqual({ requests: [{ response: ['a', 'b', 'X', 'Y'] }, { response: [] }], pending: [1] });
  });
  it('kind 3 deletes object keys and array items; deleting what is gone is harmless', () => {
    const { state, reasons } = replay([
      { kind: 0, v: { a: { b: 1, c: 2 }, list: [1, 2, 3] } },
      { kind: 3, k: ['a', 'b'] },
      { kind: 3, k: ['list', 1] },
      { kind: 3, k: ['missing', 'deeper'] },
    ]);
    expect(state).toEqual({ a: { c: 2 }, list: [1, 3] });
    expect(reasons).toEqual([]);
  });
  it('reports records it cannot apply and keeps the state', () => {
    const { state, reasons } = replay([
      { kind: 1, k: ['a'], v: 1 },
      { kind: 0 },
      { kind: 0, v: { a: 'text', list: [] } },
      { kind: 7, k: [] },
      { kind: 1, v: 1 },
      { kind: 1, k: ['a'] },
      { kind: 1, k: ['a', 'b'], v: 1 },
      { kind: 2, k: ['a'], v: [1] },
      { kind: 1, k: ['list', 50], v: 1 },
      { kind: 1, k: [{}], v: 1 },
    ]);
    expect(state).toEqual({ a: 'text', list: [] });
    expect(reasons).toEqual([
      'missing_field',
      'missing_field',
      'unknown_record',
      'missing_field',
      'missing_field',
      'unknown_record',
      'unknown_record',
      'unknown_record',
      'missing_field',
    ]);
  });
  it('never writes through prototype keys', () => {
    const { state, reasons } = replay([
      { kind: 0, v: {} },
      { kind: 1, k: ['__proto__', 'polluted'], v: true },
      { kind: 1, k: ['constructor', 'prototype', 'polluted'], v: true },
    ]);
    expect(reasons).toEqual(['missing_field', 'missing_field']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(state).toEqual({});
  });
});
