import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedCorpus } from './harvest-corpus.js';
import type { ProbeFigures } from './parallel-probe.js';

const MB = 1024 * 1024;

interface FloorResult {
  seconds: number;
  cpuSeconds: number;
  lines: number;
  bytes: number;
  maxRssKb: number;
}

interface Totals {
  filesSeen: number;
  filesRead: number;
  sessionsNew: number;
  sessionsUpdated: number;
  bytesRead: number;
}

interface HarvestResult {
  seconds: number;
  cpuSeconds: number;
  maxRssKb: number;
  startRssKb: number;
  bytesWritten: number;
  dbBytes: number;
  totals: Totals;
  /** Lines walked for a skeleton and how many it served (the rest were parsed whole). */
  scan: { scanned: number; served: number };
  noChange?: { ms: number; totals: Totals };
  append?: { ms: number; totals: Totals };
}

/**
 * A Node option that takes the harvest's peak lower still, measured beside the default launch (the product does not
 * start with it: see the report). V8's worker threads (4 by default) run TurboFan's compile jobs, and each thread's
 * malloc arena keeps what its jobs used.
 */
const ONE_V8_WORKER = '--v8-pool-size=1';

/**
 * Parse threads of the parallel-harvest probe: on two cores, two parse threads and the writing thread share them
 * (one parse thread cannot beat the single-threaded harvest: it only moves the SQLite writes off its path).
 */
const PROBE_THREADS = 2;

function child<T>(args: string[], nodeOptions: string[] = []): T {
  const script = join(import.meta.dirname, 'harvest-child.js');
  const out = execFileSync(process.execPath, [...nodeOptions, script, ...args], { encoding: 'utf8', maxBuffer: 16 * MB, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out) as T;
}

interface CliResult {
  seconds: number;
  cpuSeconds: number;
  maxRssKb: number;
  exitCode: number;
}

/**
 * `skillopt-sleep harvest` as a person runs it, in its own process (cli-child.js): a state folder whose config has
 * been validated once before (what every run after the first finds), then the whole first harvest of the corpus.
 */
function cliHarvest(home: string, state: string, work: string): CliResult {
  const env = { ...process.env, HOME: home, SKILLOPT_SLEEP_HOME: state, TZ: 'UTC' };
  mkdirSync(state, { recursive: true, mode: 0o700 });
  const cli = join(import.meta.dirname, '../cli/main.js');
  execFileSync(process.execPath, [cli, 'harvest', '--source', 'gemini-cli'], { env, stdio: 'ignore' });
  const result = join(work, 'cli-result.json');
  execFileSync(process.execPath, [join(import.meta.dirname, 'cli-child.js'), result, 'harvest', '--json'], { env, stdio: 'ignore' });
  const measured = JSON.parse(readFileSync(result, 'utf8')) as CliResult;
  if (measured.exitCode !== 0) throw new Error(`skillopt-sleep harvest exited with ${measured.exitCode} in the bench`);
  return measured;
}

/** Read every file once, untimed: each side then finds the corpus in the page cache, as the first run did not. */
function warmPageCache(paths: readonly string[]): void {
  for (const path of paths) readFileSync(path);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Full harvest against the Node floor (read + split + JSON.parse of every line) on a generated Claude Code +
 * Codex corpus (default 200 MB in 5,000 files, cached under .bench-tmp/), paired runs in child processes so
 * peak RSS and bytes written are the harvest's own; then a no-change re-harvest and a 10-file append. Each run also
 * harvests once with the skeleton scan of long tool-output lines turned on, and once in a process started with one V8
 * worker thread, to show what each would change, and runs the CLI's `harvest` itself. The corpus is read once before
 * the first pair, so no side pays for cold reads.
 */
export async function runHarvestBench(options: { files?: number; totalMb?: number; runs?: number; cacheDir?: string } = {}): Promise<string[]> {
  const files = options.files ?? 5000;
  const totalMb = options.totalMb ?? 200;
  const runs = Math.max(1, options.runs ?? 3);
  const corpus = cachedCorpus(options.cacheDir ?? join(process.cwd(), '.bench-tmp'), files, totalMb);
  const work = mkdtempSync(join(tmpdir(), 'skillopt-harvest-bench-'));
  try {
    const appendList = join(work, 'append.json');
    writeFileSync(appendList, JSON.stringify([...corpus.claude.slice(0, 5), ...corpus.codex.slice(0, 5)]));
    const floors: FloorResult[] = [];
    const floorsAfter: FloorResult[] = [];
    const harvests: HarvestResult[] = [];
    const scanned: HarvestResult[] = [];
    const oneWorker: HarvestResult[] = [];
    const clis: CliResult[] = [];
    const parallel: ProbeFigures[] = [];
    warmPageCache([...corpus.claude, ...corpus.codex]);
    for (let i = 0; i < runs; i++) {
      // Paired and alternated, so drift in the machine's load hits every side alike.
      floors.push(child<FloorResult>(['floor', corpus.home]));
      const state = join(work, `state-${i}`);
      harvests.push(child<HarvestResult>(['harvest', corpus.home, state, ...(i === runs - 1 ? [appendList] : [])]));
      rmSync(state, { recursive: true, force: true });
      // The floor again right after: each harvest is set against both floors around it, so a machine that speeds
      // up or slows down during the pair (this VM drifts 20-30% within minutes) is not read as the harvest's doing.
      floorsAfter.push(child<FloorResult>(['floor', corpus.home]));
      scanned.push(child<HarvestResult>(['harvest-scan', corpus.home, state]));
      rmSync(state, { recursive: true, force: true });
      oneWorker.push(child<HarvestResult>(['harvest', corpus.home, state], [ONE_V8_WORKER]));
      rmSync(state, { recursive: true, force: true });
      clis.push(cliHarvest(corpus.home, state, work));
      rmSync(state, { recursive: true, force: true });
      mkdirSync(state, { recursive: true, mode: 0o700 });
      parallel.push(child<ProbeFigures>(['harvest-parallel', corpus.home, state, String(PROBE_THREADS)]));
      rmSync(state, { recursive: true, force: true });
    }
    // Each pair's floor: the mean of the runs before and after its harvest.
    const pairFloors = floors.map((f, i) => {
      const after = floorsAfter[i] as FloorResult;
      return { ...f, seconds: (f.seconds + after.seconds) / 2, cpuSeconds: (f.cpuSeconds + after.cpuSeconds) / 2, maxRssKb: Math.max(f.maxRssKb, after.maxRssKb) };
    });
    const floorS = median(pairFloors.map((f) => f.seconds));
    const harvestS = median(harvests.map((h) => h.seconds));
    const ratios = harvests.map((h, i) => h.seconds / (pairFloors[i] as FloorResult).seconds);
    const cpuRatios = harvests.map((h, i) => h.cpuSeconds / (pairFloors[i] as FloorResult).cpuSeconds);
    const last = harvests[harvests.length - 1] as HarvestResult;
    const t = last.totals;
    const corpusMb = corpus.bytes / MB;
    const rss = median(harvests.map((h) => h.maxRssKb / 1024));
    const written = median(harvests.map((h) => h.bytesWritten / MB));
    const scanCpu = scanned.map((h, i) => h.cpuSeconds / (harvests[i] as HarvestResult).cpuSeconds);
    const scanWall = scanned.map((h, i) => h.seconds / (harvests[i] as HarvestResult).seconds);
    const scanStats = (scanned[scanned.length - 1] as HarvestResult).scan;
    return [
      `harvest: ${corpus.files} files, ${corpusMb.toFixed(0)} MB, ${corpus.lines.toLocaleString('en-US')} lines (${corpus.claude.length} Claude Code, ${corpus.codex.length} Codex), ${corpus.cached ? 'cached in .bench-tmp/' : `generated in ${corpus.generatedSeconds.toFixed(1)} s`}; medians of ${runs} paired runs, each in its own process`,
      `  Node floor          ${floorS.toFixed(2)} s (read + split + JSON.parse of every line, ${(corpusMb / floorS).toFixed(0)} MB/s; each pair's floor is the mean of a run before and a run after its harvest: runs ${floors.map((f, i) => `${f.seconds.toFixed(2)}/${(floorsAfter[i] as FloorResult).seconds.toFixed(2)}`).join(', ')} s)`,
      `  full harvest        ${harvestS.toFixed(2)} s, ${(corpusMb / harvestS).toFixed(1)} MB/s, ${t.sessionsNew} sessions from ${t.filesRead} files`,
      `  harvest / floor     ${median(ratios).toFixed(2)}x wall (target <= 2x; runs ${ratios.map((r) => r.toFixed(2)).join(', ')}), ${median(cpuRatios).toFixed(2)}x CPU (${median(harvests.map((h) => h.cpuSeconds)).toFixed(2)} s against ${median(pairFloors.map((f) => f.cpuSeconds)).toFixed(2)} s)`,
      `  peak RSS            ${rss.toFixed(1)} MB (target <= 64 MB; before the first file: ${median(harvests.map((h) => h.startRssKb / 1024)).toFixed(0)} MB; the floor's own process: ${median(pairFloors.map((f) => f.maxRssKb / 1024)).toFixed(0)} MB)`,
      `  CLI harvest         \`skillopt-sleep harvest\`, the whole process (config validated before): ${median(clis.map((c) => c.seconds)).toFixed(2)} s, ${median(clis.map((c, i) => c.seconds / (pairFloors[i] as FloorResult).seconds)).toFixed(2)}x the floor, ${median(clis.map((c) => c.cpuSeconds)).toFixed(2)} s CPU, peak RSS ${median(clis.map((c) => c.maxRssKb / 1024)).toFixed(1)} MB (runs ${clis.map((c) => (c.maxRssKb / 1024).toFixed(1)).join(', ')})`,
      `  skeleton scan       off (src/harvest/skeleton.ts); turned on, it read ${scanStats.served.toLocaleString('en-US')} of the ${scanStats.scanned.toLocaleString('en-US')} long tool-output lines it walked without a full parse: ${median(scanWall).toFixed(2)}x the wall time, ${median(scanCpu).toFixed(2)}x the CPU (${median(scanned.map((h) => h.cpuSeconds)).toFixed(2)} s), peak RSS ${median(scanned.map((h) => h.maxRssKb / 1024)).toFixed(1)} MB`,
      `  with ${ONE_V8_WORKER}  peak RSS ${median(oneWorker.map((h) => h.maxRssKb / 1024)).toFixed(1)} MB, ${median(oneWorker.map((h, i) => h.seconds / (pairFloors[i] as FloorResult).seconds)).toFixed(2)}x the floor's wall time, ${median(oneWorker.map((h) => h.cpuSeconds)).toFixed(2)} s CPU (a launch option the product does not use yet)`,
      `  ${PROBE_THREADS} parse threads    a probe (src/bench/parallel-probe.ts, a lower bound: it skips the harvest's checks and counts): ${median(parallel.map((p) => p.seconds)).toFixed(2)} s, ${median(parallel.map((p, i) => p.seconds / (pairFloors[i] as FloorResult).seconds)).toFixed(2)}x the floor (runs ${parallel.map((p, i) => (p.seconds / (pairFloors[i] as FloorResult).seconds).toFixed(2)).join(', ')}), ${median(parallel.map((p) => p.cpuSeconds)).toFixed(2)} s CPU, peak RSS ${median(parallel.map((p) => p.maxRssKb / 1024)).toFixed(1)} MB (runs ${parallel.map((p) => (p.maxRssKb / 1024).toFixed(1)).join(', ')})`,
      `  bytes written       ${written.toFixed(1)} MB, ${(written / corpusMb).toFixed(3)} MB per MB of transcript (database ${(last.dbBytes / MB).toFixed(1)} MB)`,
      `  no-change re-run    ${last.noChange?.ms.toFixed(0)} ms over ${last.noChange?.totals.filesSeen} files (${last.noChange?.totals.filesRead} read, ${last.noChange?.totals.bytesRead} bytes)`,
      `  append to 10 files  ${last.append?.ms.toFixed(0)} ms (${last.append?.totals.filesRead} read, ${((last.append?.totals.bytesRead ?? 0) / 1024).toFixed(0)} KB, ${last.append?.totals.sessionsUpdated} sessions updated)`,
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
