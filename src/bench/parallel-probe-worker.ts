/**
 * One parse thread of the parallel-harvest probe (parallel-probe.ts): for each file it is sent, the work a harvest
 * does before it writes (read, split, parse, build the digests, redact them, stringify them), with the harvest's
 * memory settings held in this thread's own heap. Bench code: the product harvests on one thread (see the report).
 */
import { parentPort } from 'node:worker_threads';
import { closeSync, fstatSync, openSync } from 'node:fs';
import { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_LINE_BYTES, looksBinary, readLines } from '../harvest/line-reader.js';
import { claudeCodeSource } from '../harvest/sources/claude-code/index.js';
import { codexSource } from '../harvest/sources/codex/index.js';
import { createRedactor, redactDigest } from '../harvest/digest.js';
import { detachDigest } from '../harvest/stored-state.js';
import { DEFAULT_HARVEST_HEAP, holdHarvestHeap } from '../harvest/heap.js';

/** A file to read, by its place in the harvest's order. */
export interface ProbeJob {
  index: number;
  path: string;
}

/** What one file gave: its sessions as the rows a harvest writes, and its parser state. */
export interface ProbeResult {
  index: number;
  rows: Array<{ source: string; sessionId: string; json: string; startedAt: string | null; endedAt: string | null; cwd: string | null }>;
  state: unknown;
  size: number;
  mtimeMs: number;
  offset: number;
  source: 'claude-code' | 'codex';
}

const port = parentPort;
if (!port) throw new Error('parallel-probe-worker.js runs as a worker thread');
const heap = holdHarvestHeap(DEFAULT_HARVEST_HEAP);
const buffer = Buffer.allocUnsafe(DEFAULT_CHUNK_BYTES);

// The probe terminates this thread when its last file is written; the heap settings go with it.
port.on('message', (job: ProbeJob) => {
  const adapter = job.path.includes('/.codex/') ? codexSource : claudeCodeSource;
  const parser = adapter.openParser(job.path, undefined);
  const fd = openSync(job.path, 'r');
  let result: ProbeResult;
  try {
    const stats = fstatSync(fd);
    const read = readLines(fd, {
      start: 0,
      end: stats.size,
      skipping: false,
      maxLineBytes: DEFAULT_MAX_LINE_BYTES,
      chunkBytes: buffer.length,
      buffer,
      onOversized: () => undefined,
      onLine: (bytes) => {
        if (looksBinary(bytes)) return;
        const line = bytes.toString('utf8');
        if (line.trim()) parser.feedLine(line);
      },
    });
    const digests = parser.digests();
    const redactor = createRedactor();
    const rows = digests.map((raw) => {
      const { digest } = redactDigest(raw, redactor);
      return { source: digest.source, sessionId: digest.sessionId, json: JSON.stringify(digest), startedAt: digest.startedAt ?? null, endedAt: digest.endedAt ?? null, cwd: digest.project?.cwd ?? null };
    });
    result = { index: job.index, rows, state: detachDigest(parser.saveState(), digests), size: stats.size, mtimeMs: stats.mtimeMs, offset: read.endOffset, source: adapter.name as ProbeResult['source'] };
  } finally {
    closeSync(fd);
  }
  heap.fileRead();
  port.postMessage(result);
});
