import { createHash } from 'node:crypto';

/** A seeded pseudo-random source; everything random in the trainer and simulator goes through one. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
}

/** 32-bit seed from any list of parts (strings or numbers), via sha256. */
export function seedFrom(...parts: Array<string | number>): number {
  const h = createHash('sha256').update(parts.map(String).join('\u0000')).digest();
  return h.readUInt32LE(0);
}

/** mulberry32: small, fast, good enough for sampling and simulation noise. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n) };
}

/** Fisher-Yates shuffle into a new array. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

/** A uniform draw in [0,1) determined only by the parts (no shared state). */
export function drawFor(...parts: Array<string | number>): number {
  return createRng(seedFrom(...parts)).next();
}
