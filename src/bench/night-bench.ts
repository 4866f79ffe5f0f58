import { join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { systemClock } from '../core/clock.js';
import { defaultConfig, type Config } from '../config/config.js';
import { openDatabase } from '../store/db.js';
import { loadTaskFile } from '../tasks/task-file.js';
import { PERSONAS_DIR } from '../app/demo.js';
import { runTraining, type TrainRunOutput } from '../app/run-train.js';
import type { ModelBackend } from '../models/types.js';

/** A backend that answers after a fixed delay, and counts how many calls overlap. */
function withLatency(inner: ModelBackend, ms: number, stats: { inFlight: number; peak: number }): ModelBackend {
  return {
    backend: inner.backend,
    model: inner.model,
    async complete(request) {
      stats.inFlight++;
      stats.peak = Math.max(stats.peak, stats.inFlight);
      try {
        await new Promise((r) => setTimeout(r, ms));
        return await inner.complete(request);
      } finally {
        stats.inFlight--;
      }
    },
  };
}

async function night(persona: string, config: Config, dbPath: string | null, latencyMs: number, skill?: string) {
  const tasks = loadTaskFile(join(PERSONAS_DIR, persona, 'tasks.jsonl')).tasks;
  const skillText = skill ?? readFileSync(join(PERSONAS_DIR, persona, 'skill.md'), 'utf8');
  const out = mkdtempSync(join(tmpdir(), 'sos-bench-'));
  const db = dbPath ? openDatabase(dbPath) : undefined;
  const stats = { inFlight: 0, peak: 0 };
  const started = performance.now();
  try {
    const run: TrainRunOutput = await runTraining(
      { kind: 'night', tasks, skillName: persona, skillText, config, outDir: out },
      { clock: systemClock, env: {}, tmpDir: tmpdir(), ...(db ? { db } : {}), ...(latencyMs > 0 ? { wrapBare: (b: ModelBackend) => withLatency(b, latencyMs, stats) } : {}) },
    );
    return { run, wallMs: performance.now() - started, peak: stats.peak };
  } finally {
    db?.close();
    rmSync(out, { recursive: true, force: true });
  }
}

/** Calls and tokens of one night for a persona, and wall time under simulated latency with the cache on and off. */
export async function runNightBench(options: { persona?: string; latencyMs?: number } = {}): Promise<string[]> {
  const persona = options.persona ?? 'programmer';
  const latency = options.latencyMs ?? 200;
  const lines: string[] = [];
  const config = defaultConfig();
  const plain = await night(persona, config, null, 0);
  const t = plain.run.report.calls.total;
  lines.push(`night cost (${persona}, simulated, defaults): ${t.calls} model calls, ${t.inputTokens} input + ${t.outputTokens} output tokens`);
  for (const [purpose, v] of Object.entries(plain.run.report.calls.byPurpose)) lines.push(`  ${purpose.padEnd(12)} ${String(v.calls).padStart(5)} calls ${String(v.inputTokens + v.outputTokens).padStart(8)} tokens`);

  lines.push(`latency bench (${persona}, ${latency} ms a call, concurrency ${config.concurrency}):`);
  const dir = mkdtempSync(join(tmpdir(), 'sos-bench-db-'));
  try {
    for (const cache of [false, true]) {
      const c: Config = { ...config, replayCache: { ...config.replayCache, enabled: cache } };
      const dbPath = join(dir, `cache-${cache}.db`);
      const first = await night(persona, c, dbPath, latency);
      // A second night from the same skill: with the cache, the replays already paid for are free.
      const second = await night(persona, c, dbPath, latency);
      for (const [label, n] of [['night 1', first], ['night 2 (same start)', second]] as const) {
        const total = n.run.report.calls.total;
        const paid = total.calls - total.cachedCalls;
        const bound = (paid / config.concurrency) * latency;
        lines.push(
          `  cache ${cache ? 'on ' : 'off'} ${label.padEnd(21)} wall ${(n.wallMs / 1000).toFixed(2)} s vs critical-path bound ${(bound / 1000).toFixed(2)} s (${paid} paid calls / ${config.concurrency} x ${latency} ms; ratio ${(n.wallMs / Math.max(1, bound)).toFixed(2)}); ${total.calls} calls, ${total.cachedCalls} cached, ${total.inputTokens + total.outputTokens} tokens paid; peak in flight ${n.peak}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
