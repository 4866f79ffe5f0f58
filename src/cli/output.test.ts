import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import type { Output } from '../app/deps.js';
import { createProgress, emit } from './output.js';

function recorder(interactive: boolean): Output & { outs: string[]; errs: string[]; raw: string[] } {
  const rec = { outs: [] as string[], errs: [] as string[], raw: [] as string[] };
  return { ...rec, interactive, out: (t) => rec.outs.push(t), err: (t) => rec.errs.push(t), rewrite: (t) => rec.raw.push(t) };
}

describe('emit', () => {
  it('prints JSON when asked and the rendering otherwise', () => {
    const o = recorder(false);
    emit(o, true, { a: 1 }, () => 'text');
    emit(o, false, { a: 1 }, (d) => `a is ${d.a}`);
    expect(o.outs).toEqual(['{\n  "a": 1\n}', 'a is 1']);
  });
});

describe('createProgress', () => {
  it('throttles status redraws to 10 a second, erases the status line before a lasting line and at the end', () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const o = recorder(true);
    const p = createProgress(o, clock);
    p.status('1/3');
    clock.advance(50);
    p.status('2/3');
    p.status('3/3', true);
    p.line('done reading');
    p.done();
    expect(o.raw).toEqual(['\r\x1b[K1/3', '\r\x1b[K3/3', '\r\x1b[K']);
    expect(o.errs).toEqual(['done reading']);
  });
  it('writes nothing when stderr is piped or the command prints JSON', () => {
    for (const [interactive, quiet] of [[false, false], [true, true]] as const) {
      const o = recorder(interactive);
      const p = createProgress(o, fixedClock('2026-01-01T00:00:00Z'), { quiet });
      p.status('x', true);
      p.line('y');
      p.done();
      expect([...o.raw, ...o.errs, ...o.outs]).toEqual([]);
    }
  });
});
