/** Time is an input: every module that needs "now" takes a Clock. */
export interface Clock {
  now(): Date;
}

/** The real clock; only the composition root should construct it. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that returns a fixed instant (advance it by hand in tests). */
export function fixedClock(start: Date | string): Clock & { advance(ms: number): void; set(to: Date | string): void } {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    },
    set: (to: Date | string) => {
      t = new Date(to).getTime();
    },
  };
}
