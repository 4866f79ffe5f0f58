import { describe, it, expect } from 'vitest';
import {
  logGamma,
  mean,
  normalCdf,
  normalQuantile,
  regularizedIncompleteBeta,
  sampleStdDev,
  standardError,
  tCdf,
  tQuantile,
} from './stats.js';

describe('mean, sampleStdDev, standardError', () => {
  it('computes the textbook values', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    // Sum of squares 32 over n - 1 = 7.
    expect(sampleStdDev(xs)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(standardError(xs)).toBeCloseTo(Math.sqrt(32 / 7) / Math.sqrt(8), 12);
  });

  it('gives NaN where the statistic is undefined', () => {
    expect(mean([])).toBeNaN();
    expect(sampleStdDev([3])).toBeNaN();
    expect(standardError([])).toBeNaN();
  });

  it('gives zero spread for constant data', () => {
    expect(sampleStdDev([0.25, 0.25, 0.25])).toBe(0);
    expect(standardError([0.25, 0.25, 0.25])).toBe(0);
  });
});

describe('special functions', () => {
  it('logGamma matches factorials and Gamma(1/2)', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(0.25)).toBeCloseTo(Math.log(3.625609908221908), 10);
  });

  it('regularised incomplete beta matches closed forms', () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 - (1 - x)^b.
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedIncompleteBeta(0.7, 3, 1)).toBeCloseTo(0.343, 12);
    expect(regularizedIncompleteBeta(0.2, 1, 4)).toBeCloseTo(1 - 0.8 ** 4, 12);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    expect(regularizedIncompleteBeta(1.2, 2, 3)).toBeNaN();
    expect(regularizedIncompleteBeta(0.5, 0, 3)).toBeNaN();
  });

  it('tCdf is symmetric and matches the Cauchy distribution at df = 1', () => {
    expect(tCdf(0, 7)).toBeCloseTo(0.5, 12);
    expect(tCdf(1.3, 9) + tCdf(-1.3, 9)).toBeCloseTo(1, 12);
    expect(tCdf(1, 1)).toBeCloseTo(0.75, 12);
    expect(tCdf(2, 1)).toBeCloseTo(0.5 + Math.atan(2) / Math.PI, 12);
  });

  it('normalCdf and normalQuantile agree with the table', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232, 5);
  });
});

describe('tQuantile', () => {
  const table: Array<[p: number, df: number, t: number]> = [
    [0.95, 1, 6.3138],
    [0.95, 2, 2.92],
    [0.95, 5, 2.015],
    [0.95, 19, 1.7291],
    [0.975, 10, 2.2281],
    [0.99, 30, 2.4573],
    [0.975, 1, 12.7062],
    [0.995, 3, 5.8409],
    [0.9, 60, 1.2958],
  ];

  it.each(table)('t_{%s, %s} = %s to 1e-4', (p, df, t) => {
    expect(Math.abs(tQuantile(p, df) - t)).toBeLessThan(1e-4);
  });

  it('is antisymmetric around p = 0.5', () => {
    expect(tQuantile(0.5, 4)).toBe(0);
    expect(tQuantile(0.05, 19)).toBeCloseTo(-tQuantile(0.95, 19), 10);
  });

  it('inverts tCdf, also for fractional df', () => {
    for (const [p, df] of [[0.8, 2.5], [0.99, 7.3], [0.6, 0.7]] as const) {
      expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 9);
    }
  });

  it('falls back to the normal quantile for infinite or very large df', () => {
    expect(Math.abs(tQuantile(0.95, Number.POSITIVE_INFINITY) - 1.6449)).toBeLessThan(1e-4);
    expect(Math.abs(tQuantile(0.95, 1e6) - 1.6449)).toBeLessThan(1e-4);
    // Just below the switch, the exact t is used and still near the normal value.
    expect(Math.abs(tQuantile(0.95, 1e5) - 1.6449)).toBeLessThan(1e-4);
    expect(Math.abs(tQuantile(0.95, 1000) - 1.6464)).toBeLessThan(1e-4);
  });

  it('handles the edges without throwing', () => {
    expect(tQuantile(0, 5)).toBe(Number.NEGATIVE_INFINITY);
    expect(tQuantile(1, 5)).toBe(Number.POSITIVE_INFINITY);
    expect(tQuantile(1.5, 5)).toBeNaN();
    expect(tQuantile(0.95, 0)).toBeNaN();
    expect(tQuantile(Number.NaN, 5)).toBeNaN();
  });
});
