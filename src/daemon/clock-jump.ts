/** A reading of both clocks: the wall clock jumps (suspend, NTP, a person), the monotonic one does not. */
export interface ClockReading {
  wallMs: number;
  monoMs: number;
}

/**
 * Did the wall clock move differently from the monotonic clock between two readings? On Linux and macOS the
 * monotonic clock stops while the machine sleeps, so a wake shows as the wall clock running ahead.
 */
export function detectClockJump(previous: ClockReading, current: ClockReading, toleranceMs: number): { jumped: boolean; skewMs: number } {
  const skewMs = current.wallMs - previous.wallMs - (current.monoMs - previous.monoMs);
  return { jumped: Math.abs(skewMs) > toleranceMs, skewMs };
}
