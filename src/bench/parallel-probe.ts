/**
 * What a harvest on more than one thread would cost, measured rather than guessed: `workers` parse threads
 * (parallel-probe-worker.ts) each read, parse, digest, redact and stringify whole files, and this thread writes their
 * rows and checkpoints into the real schema in file order, BATCH_FILES files per transaction, with the harvest's SQLite and
 * heap settings. It leaves out what the harvester does besides (stat against checkpoints, fingerprints, skip and drift
 * counts, the unchanged-row check), so its time and its peak are lower bounds for a parallel harvest. Bench code only.
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { openDatabase } from '../store/db.js';
import { saveCheckpoint } from '../store/sessions-repo.js';
import { prepared } from '../store/prepared.js';
import { BATCH_FILES, harvestPragmas } from '../harvest/harvester.js';
import type { ProbeJob, ProbeResult } from './parallel-probe-worker.js';

/** Files handed to each thread ahead of the one it works on, so no thread waits for the writer. */
const AHEAD = 3;
/** Young generation of each parse thread, MB: V8's smallest, as the harvest holds on its own thread. */
const WORKER_YOUNG_MB = 1;

export interface ProbeFigures {
  seconds: number;
  cpuSeconds: number;
  maxRssKb: number;
  sessions: number;
  files: number;
}

export async function parallelHarvestProbe(files: readonly string[], stateDir: string, workers: number): Promise<ProbeFigures> {
  // The young generation is held from the process's start by harvest-child-early.ts (mode `harvest-parallel`).
  const db = openDatabase(join(stateDir, 'sleep.db'));
  const pragmas = harvestPragmas(db);
  const insert = prepared(
    db,
    `INSERT INTO sessions (source, session_id, digest_json, started_at, ended_at, project_cwd, own_replay, headless, written_by, harvested_at, updated_at)
     VALUES (@source, @sessionId, @json, @startedAt, @endedAt, @cwd, 0, 0, @path, @now, @now)
     ON CONFLICT (source, session_id) DO UPDATE SET digest_json = excluded.digest_json, written_by = excluded.written_by`,
  );
  const now = new Date().toISOString();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const threads = Array.from({ length: workers }, () => new Worker(join(import.meta.dirname, 'parallel-probe-worker.js'), { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } }));
  let sessions = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let written = 0;
      let inBatch = 0;
      const waiting = new Map<number, ProbeResult>();
      const send = (thread: Worker) => {
        if (next >= files.length) return;
        thread.postMessage({ index: next, path: files[next] as string } satisfies ProbeJob);
        next++;
      };
      const write = () => {
        // In file order, as the harvest stores them: the last file to hold a session decides its row.
        for (let result = waiting.get(written); result !== undefined; result = waiting.get(written)) {
          waiting.delete(written);
          const path = files[written] as string;
          if (inBatch === 0) db.exec('BEGIN IMMEDIATE');
          for (const row of result.rows) insert.run({ ...row, path, now });
          sessions += result.rows.length;
          saveCheckpoint(db, { path, source: result.source, size: result.size, mtimeMs: result.mtimeMs, offset: result.offset, prefixHash: 'probe', parserState: result.state }, now);
          inBatch++;
          written++;
          if (inBatch >= BATCH_FILES) {
            db.exec('COMMIT');
            inBatch = 0;
          }
        }
        if (written === files.length) {
          if (inBatch > 0) db.exec('COMMIT');
          resolve();
        }
      };
      for (const thread of threads) {
        thread.on('error', reject);
        thread.on('message', (result: ProbeResult) => {
          waiting.set(result.index, result);
          send(thread);
          try {
            write();
          } catch (error) {
            reject(error as Error);
          }
        });
        for (let i = 0; i <= AHEAD; i++) send(thread);
      }
      if (files.length === 0) resolve();
    });
    pragmas.restore(); // with the harvest's closing checkpoint
  } finally {
    await Promise.all(threads.map((thread) => thread.terminate()));
    db.close();
  }
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, maxRssKb: process.resourceUsage().maxRSS, sessions, files: files.length };
}
