import { describe, it, expect } from 'vitest';
import { isCanonicalIso, toUtcIso } from './timestamps.js';
import { createRng } from '../core/rng.js';

/** The slow path every timestamp took before the fast path: parse, then print. */
function reference(value: string): string | undefined {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('toUtcIso', () => {
  it('returns canonical ISO strings as they are and normalises every other form', () => {
    expect(toUtcIso('2026-02-23T12:41:04.123Z')).toBe('2026-02-23T12:41:04.123Z');
    expect(toUtcIso('2026-02-23T12:41:04Z')).toBe('2026-02-23T12:41:04.000Z');
    expect(toUtcIso('2026-02-23T13:41:04.123+01:00')).toBe('2026-02-23T12:41:04.123Z');
    expect(toUtcIso('2026-02-23T24:00:00.000Z')).toBe('2026-02-24T00:00:00.000Z');
    expect(toUtcIso(1_771_850_464)).toBe('2026-02-23T12:41:04.000Z');
    expect(toUtcIso('not a date')).toBeUndefined();
    expect(toUtcIso('')).toBeUndefined();
  });

  it('agrees with Date.parse + toISOString on 5,000 canonical-looking strings, valid and out of range', () => {
    const rng = createRng(11);
    let fast = 0;
    for (let i = 0; i < 5_000; i++) {
      // Fields drawn a little past their ranges, so impossible dates (Feb 30, hour 24, second 60) are covered.
      const text = `${pad(rng.int(3) === 0 ? rng.int(10_000) : 1995 + rng.int(40), 4)}-${pad(rng.int(14), 2)}-${pad(rng.int(33), 2)}T${pad(rng.int(26), 2)}:${pad(rng.int(62), 2)}:${pad(rng.int(62), 2)}.${pad(rng.int(1000), 3)}Z`;
      if (isCanonicalIso(text)) fast++;
      expect(toUtcIso(text), text).toBe(reference(text));
    }
    expect(fast).toBeGreaterThan(1_000); // the fast path was exercised, not only the fallback
  });

  it('agrees when any one character of a canonical string is replaced by a neighbour of the digits or a letter', () => {
    const base = '2026-02-23T12:41:04.123Z';
    for (let i = 0; i < base.length; i++) {
      for (const ch of ['/', ':', 'x', '0', '9', ' ', '\u0660']) {
        const text = base.slice(0, i) + ch + base.slice(i + 1);
        expect(toUtcIso(text), text).toBe(reference(text));
      }
    }
  });

  it('agrees on leap days and near-miss shapes', () => {
    for (const text of ['2024-02-29T00:00:00.000Z', '2023-02-29T00:00:00.000Z', '1900-02-29T00:00:00.000Z', '2000-02-29T23:59:59.999Z', '0000-01-01T00:00:00.000Z', '2026-1-01T00:00:00.000Z', '2026-01-01T00:00:00.000z', '2026-01-01 00:00:00.000Z', '2026-01-01T00:00:00.0000Z']) {
      expect(toUtcIso(text), text).toBe(reference(text));
    }
  });
});
