import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * How a harvest keeps the process's resident memory down. Each part was measured on the 217 MB / 5,000-file bench
 * corpus (Node 20, 2 loaded cores; peak RSS as the harvest child's maxRSS, CPU as user + system, three runs each):
 * V8's defaults peaked at 77-79 MB with 6.2 s of CPU, 54 MB of the peak before the first file (Node, better-sqlite3,
 * the modules, the open database; Node's own text pages are 40 MB of it). All three parts: 64.4-65.4 MB, 6.8-7.1 s.
 */
export interface HarvestHeapSettings {
  /**
   * Keep V8's young generation at the size it has (1 MB semi-spaces in a fresh process): about -9 MB, no CPU.
   * V8 grows it whenever the bytes that survived scavenges since its last growth exceed its size; that sum only
   * grows, so any long allocation-heavy run ends at the largest semi-spaces (16 MB each), though a harvest keeps
   * little alive (one file's digest). `--max-semi-space-size` at launch would do the same, for a process started with
   * it; V8 reads the growth factor each time it grows the space, so setting it while running takes effect at once.
   */
  holdYoungGeneration: boolean;
  /**
   * TurboFan without inlining while harvesting: 68.6-68.9 -> 65.4-65.9 MB with the collections below (1-2 MB without
   * them), no CPU measured. Its compile jobs run on V8's worker threads, and each thread's malloc arena keeps what its
   * jobs' zones used; without inlining the zones are smaller. (Launching with `--v8-pool-size=1` takes another 2 MB,
   * to 62.5-63.3; the bench shows it.)
   */
  smallOptimizingCompiles: boolean;
  /**
   * A full collection every this many files read (0: never). With small semi-spaces what lives across two scavenges
   * is promoted, and the old generation gathers about 1.5 KB of dead digest pieces per file until V8's first
   * mark-compact (at about 12 MB). Every 512 files: 68.6-69.2 -> 64.8-65.4 MB for 5.9-6.9 -> 6.8-7.1 s of CPU; every
   * 256 the same peak for 6.9-8.1 s (a forced collection takes about 10 ms; V8 pays more than that recovering from
   * it); every 1,024: 67.2 MB. `gc({ type: 'major' })` (unforced) and an asynchronous one saved nothing. The wall
   * time stays within the bench's target (2x the floor).
   */
  collectEveryFiles: number;
}

export const DEFAULT_HARVEST_HEAP: HarvestHeapSettings = { holdYoungGeneration: true, smallOptimizingCompiles: true, collectEveryFiles: 512 };

/**
 * Hold the young generation from now on, for a process that starts in order to harvest (the CLI's `harvest`): loading
 * the modules and migrating the database had already doubled it (1 -> 2 MB semi-spaces) before holdHarvestHeap ran,
 * and the doubled space stays committed through the harvest. Held from the start: peak RSS 65.3-65.5 -> 63.3-64.3 MB
 * on the bench corpus, CPU 8.3-9.1 s either way (three paired runs). The harvest's release restores the default.
 */
export function holdYoungGenerationFromStart(): void {
  setFlag('--semi-space-growth-factor=1');
}

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
