/** Timers as an input, so the debounce is tested without waiting. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real timers; unref'd so a pending debounce never keeps a stopping process alive. */
export const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** One batch of changed transcript paths; `full` asks for a whole harvest (a root appeared). */
export interface ChangeBatch {
  files: string[];
  full: boolean;
}

/**
 * Collects changed paths and flushes them once no change came for `debounceMs`, or at most `maxWaitMs` after the
 * first change of the batch while files keep changing (a long agent session must still be harvested).
 */
export class ChangeBatcher {
  private files = new Set<string>();
  private full = false;
  private quietTimer: unknown;
  private maxTimer: unknown;

  constructor(
    private readonly options: { debounceMs: number; maxWaitMs: number },
    private readonly flush: (batch: ChangeBatch) => void,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Paths waiting for their harvest. */
  get pending(): number {
    return this.files.size + (this.full ? 1 : 0);
  }

  add(path: string): void {
    this.files.add(path);
    this.arm();
  }

  addFull(): void {
    this.full = true;
    this.arm();
  }

  /** Flush what is pending now (harvest-now, shutdown). */
  flushNow(): void {
    this.timers.clearTimeout(this.quietTimer);
    this.timers.clearTimeout(this.maxTimer);
    this.quietTimer = this.maxTimer = undefined;
    if (this.pending === 0) return;
    const batch: ChangeBatch = { files: [...this.files].sort(), full: this.full };
    this.files = new Set();
    this.full = false;
    this.flush(batch);
  }

  /** Drop pending timers (the changes stay pending). */
  dispose(): void {
    this.timers.clearTimeout(this.quietTimer);
    this.timers.clearTimeout(this.maxTimer);
    this.quietTimer = this.maxTimer = undefined;
  }

  private arm(): void {
    this.timers.clearTimeout(this.quietTimer);
    this.quietTimer = this.timers.setTimeout(() => this.flushNow(), this.options.debounceMs);
    this.maxTimer ??= this.timers.setTimeout(() => this.flushNow(), this.options.maxWaitMs);
  }
}
