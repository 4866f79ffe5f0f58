/**
 * One measured harvest (or the Node floor) in its own process, so its peak RSS and bytes written are its own
 * and not the bench's. Run by harvest-bench.ts: `node harvest-child.js floor|harvest <home> [state dir] [append paths file]`.
 * Prints one JSON object on stdout.
 */
import './harvest-child-early.js'; // first, as the CLI's early.ts: it acts before the other modules load
import { open, readdir } from 'node:fs/promises';
import { readFileSync, statSync, truncateSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../core/clock.js';
import { createRng } from '../core/rng.js';
import { openDatabase } from '../store/db.js';
import { harvestSources } from '../harvest/harvester.js';
import { claudeCodeSource } from '../harvest/sources/claude-code/index.js';
import { codexSource } from '../harvest/sources/codex/index.js';
import { claudeTurn, codexTurn } from './harvest-corpus.js';
import { lineScanStats, setLineScan } from '../harvest/skeleton.js';
import { DEFAULT_HARVEST_HEAP, type HarvestHeapSettings } from '../harvest/heap.js';
import { parallelHarvestProbe } from './parallel-probe.js';

/** Bytes this process has passed to write(2) so far (Linux; undefined elsewhere). */
function bytesWritten(): number | undefined {
  try {
    const match = /^wchar:\s*(\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesBelow(path)));
    else if (entry.name.endsWith('.jsonl')) out.push(path);
  }
  return out;
}

/** The floor: read every file in 1 MB chunks, split on newlines, JSON.parse every line. Nothing else. */
/** CPU seconds (user + system) since `from`: steadier than wall time on a loaded machine. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

async function floor(home: string): Promise<Record<string, number>> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const files = await filesBelow(home);
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  let lines = 0;
  let bytes = 0;
  for (const path of files) {
    const handle = await open(path, 'r');
    let carry = '';
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      bytes += bytesRead;
      const text = carry + buffer.toString('utf8', 0, bytesRead);
      const parts = text.split('\n');
      carry = parts.pop() ?? '';
      for (const part of parts) {
        if (part.length === 0) continue;
        JSON.parse(part);
        lines++;
      }
    }
    if (carry) {
      JSON.parse(carry);
      lines++;
    }
    await handle.close();
  }
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSince(cpu), lines, bytes, files: files.length, maxRssKb: process.resourceUsage().maxRSS };
}

async function harvest(home: string, stateDir: string, appendList: string | undefined): Promise<Record<string, unknown>> {
  const db = openDatabase(join(stateDir, 'sleep.db'));
  const deps = { db, environment: { env: {}, platform: process.platform, homeDir: home }, clock: systemClock };
  // HARVEST_HEAP (JSON, bench experiments only): override parts of the harvest's memory settings.
  const heap = { ...DEFAULT_HARVEST_HEAP, ...(JSON.parse(process.env.HARVEST_HEAP ?? '{}') as Partial<HarvestHeapSettings>) };
  const run = () => harvestSources(deps, { sources: [claudeCodeSource, codexSource], heap });
  // What Node with the harvest modules and an open database holds before reading a byte (the baseline of the peak).
  const startRssKb = process.memoryUsage().rss / 1024;
  const writtenBefore = bytesWritten() ?? 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const full = await run();
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSince(cpu);
  const fullWritten = (bytesWritten() ?? 0) - writtenBefore;
  const maxRssKb = process.resourceUsage().maxRSS;
  const out: Record<string, unknown> = { seconds, cpuSeconds, maxRssKb, startRssKb, bytesWritten: fullWritten, totals: full.totals, scan: lineScanStats() };
  if (appendList) {
    const t0 = performance.now();
    const noChange = await run();
    out.noChange = { ms: performance.now() - t0, totals: noChange.totals };
    const paths = JSON.parse(readFileSync(appendList, 'utf8')) as string[];
    const sizes = paths.map((p) => statSync(p).size);
    const rng = createRng(7);
    const at = Date.parse('2026-03-05T00:00:00Z');
    try {
      for (const path of paths) {
        const lines = path.includes('.claude') ? claudeTurn(rng, 'x', 1000, at) : codexTurn(rng, 1000, at);
        appendFileSync(path, `${lines.join('\n')}\n`);
      }
      const t1 = performance.now();
      const appended = await run();
      out.append = { ms: performance.now() - t1, totals: appended.totals };
    } finally {
      // The corpus is cached for the next bench run: put every byte back.
      for (const [i, path] of paths.entries()) truncateSync(path, sizes[i]);
    }
  }
  db.close();
  out.dbBytes = ['sleep.db', 'sleep.db-wal'].reduce((sum, name) => {
    try {
      return sum + statSync(join(stateDir, name)).size;
    } catch {
      return sum;
    }
  }, 0);
  return out;
}

const [mode, home, stateDir, appendList] = process.argv.slice(2);
const harvesting = mode === 'harvest' || mode === 'harvest-scan' || mode === 'harvest-parallel';
if (!home || (mode !== 'floor' && !harvesting) || (harvesting && !stateDir)) {
  process.stderr.write('usage: harvest-child.js floor <home> | harvest|harvest-scan <home> <state dir> [append list] | harvest-parallel <home> <state dir> <threads>\n');
  process.exitCode = 2;
} else if (mode === 'harvest-parallel') {
  // The parallel-harvest probe: `appendList` is the number of parse threads here.
  const result = await parallelHarvestProbe(await filesBelow(home), stateDir as string, Number(appendList ?? 2));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  // harvest-scan: long tool-output lines read by the skeleton scan (off in the product, see src/harvest/skeleton.ts).
  if (mode === 'harvest-scan') setLineScan(true);
  const result = mode === 'floor' ? await floor(home) : await harvest(home, stateDir as string, appendList);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
