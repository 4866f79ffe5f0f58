import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * How a harvest keeps the process's resident memory down. Each part was measured on the 217 MB / 5,000-file bench
 * corpus (Node 20, 2 cores; peak RSS as the harvest child's maxRSS, medians of paired runs), where the default
 * settings peaked at 79 MB, 54 MB of it before the first file (Node, better-sqlite3, the modules, the open database).
 */
export interface HarvestHeapSettings {
  /**
   * Keep V8's young generation at the size it has (1 MB semi-spaces in a fresh process): 79 -> 70 MB, same CPU.
   * V8 grows it whenever the bytes that survived scavenges since its last growth exceed its size; that sum only
   * grows, so any long allocation-heavy run ends at the largest semi-spaces (16 MB each), though a harvest keeps
   * little alive (one file's digest). `--max-semi-space-size` at launch would do the same, for a process started with
   * it; V8 reads the growth factor each time it grows the space, so setting it while running takes effect at once.
   */
  holdYoungGeneration: boolean;
  /**
   * TurboFan without inlining while harvesting: its compile jobs run on V8's worker threads, and their zones (malloc'd
   * in those threads' arenas, kept after the job) held 3-4 MB at the peak; without inlining they are smaller.
   */
  smallOptimizingCompiles: boolean;
  /**
   * A full collection every this many files read (0: never). With small semi-spaces, what lives across two scavenges
   * is promoted, and the old generation filled with about 1.5 KB of dead digest pieces per file until V8's first
   * mark-compact (at about 12 MB); collecting every 256 files keeps it near the live 6 MB.
   */
  collectEveryFiles: number;
}

export const DEFAULT_HARVEST_HEAP: HarvestHeapSettings = { holdYoungGeneration: true, smallOptimizingCompiles: true, collectEveryFiles: 256 };

/** V8's defaults for the flags changed while harvesting (restored when the last harvest in the process ends). */
const RESTORE = { growth: '--semi-space-growth-factor=2', inlining: '--turbo-inlining' };

let holders = 0;
let collector: (() => void) | undefined;

function setFlag(flag: string): void {
  try {
    setFlagsFromString(flag);
  } catch {
    // a runtime without V8 flags (none that Node ships): the harvest runs with the default sizing
  }
}

/** V8's full collection, taken once per process from a context created while `--expose-gc` was set. */
function fullCollection(): (() => void) | undefined {
  if (collector) return collector;
  try {
    setFlag('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    collector = typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    collector = undefined;
  } finally {
    setFlag('--no-expose-gc'); // contexts created later get no `gc` global
  }
  return collector;
}

/** What a harvest holds while it runs: `fileRead()` after each file read, `release()` when done. */
export interface HarvestHeap {
  fileRead(): void;
  release(): void;
}

/**
 * Apply the harvest's memory settings for the time of one harvest. Nested holders (two harvests in one process)
 * restore V8's defaults on the last release. V8 versions that refuse a flag (newer ones raise the growth factor to at
 * least 2) simply keep their default behaviour for it.
 */
export function holdHarvestHeap(settings: HarvestHeapSettings = DEFAULT_HARVEST_HEAP): HarvestHeap {
  if (holders++ === 0) {
    if (settings.holdYoungGeneration) setFlag('--semi-space-growth-factor=1');
    if (settings.smallOptimizingCompiles) setFlag('--no-turbo-inlining');
  }
  const collect = settings.collectEveryFiles > 0 ? fullCollection() : undefined;
  let files = 0;
  let released = false;
  return {
    fileRead() {
      if (collect && ++files % settings.collectEveryFiles === 0) collect();
    },
    release() {
      if (released) return;
      released = true;
      if (--holders === 0) {
        setFlag(RESTORE.growth);
        setFlag(RESTORE.inlining);
      }
    },
  };
}
