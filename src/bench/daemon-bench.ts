import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { askDaemon } from '../daemon/control-client.js';
import type { DaemonStatus } from '../daemon/daemon.js';

const CLI = join(import.meta.dirname, '..', 'cli', 'main.js');

function sessionId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function userLine(session: string, uuid: string, text: string): string {
  return JSON.stringify({ type: 'user', sessionId: session, uuid, timestamp: '2026-03-01T09:00:00.000Z', cwd: '/home/dev/shop', version: '2.1.150', isSidechain: false, message: { role: 'user', content: text } });
}

/** `files` small Claude Code sessions in 100 project folders. */
function generate(home: string, files: number): string[] {
  const paths: string[] = [];
  for (let i = 0; i < files; i++) {
    const dir = join(home, '.claude', 'projects', `-home-dev-p${i % 100}`);
    if (i < 100) mkdirSync(dir, { recursive: true });
    const s = sessionId(i);
    const path = join(dir, `${s}.jsonl`);
    const answer = JSON.stringify({ type: 'assistant', sessionId: s, uuid: `a${i}`, timestamp: '2026-03-01T09:00:01.000Z', cwd: '/home/dev/shop', message: { id: `m${i}`, role: 'assistant', content: [{ type: 'text', text: 'fixed the rounding in cart.ts '.repeat(20) }] } });
    writeFileSync(path, `${userLine(s, `u${i}`, `fix the cart rounding, case ${i}`)}\n${answer}\n`);
    paths.push(path);
  }
  return paths;
}

/** CPU seconds (user + system) and resident memory of a process, from /proc or ps. */
function sample(pid: number): { cpuSeconds: number; rssMb: number } {
  if (existsSync(`/proc/${pid}/stat`)) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return { cpuSeconds: ticks / 100, rssMb: rssKb / 1024 };
  }
  const [rss, time] = execFileSync('ps', ['-o', 'rss=,time=', '-p', String(pid)], { encoding: 'utf8' }).trim().split(/\s+/);
  const parts = (time ?? '0:0').split(':').map(Number);
  return { cpuSeconds: parts.reduce((a, b) => a * 60 + b, 0), rssMb: Number(rss) / 1024 };
}

async function status(socket: string): Promise<DaemonStatus | undefined> {
  const r = await askDaemon(socket, 'status', { timeoutMs: 30_000 });
  return r.reachable && r.response.ok ? (r.response.result as DaemonStatus) : undefined;
}

/**
 * The daemon watching 10,000 transcript files: start-up (watch set-up and the harvest of everything), resident
 * memory and CPU over an idle minute, and the latency from a transcript append to its harvest in the store.
 */
export async function runDaemonBench(options: { files?: number; idleSeconds?: number; appends?: number } = {}): Promise<string[]> {
  const files = options.files ?? 10_000;
  const idleSeconds = options.idleSeconds ?? Number(process.env.SKILLOPT_BENCH_IDLE_SECONDS ?? 60);
  const appends = options.appends ?? 5;
  const home = mkdtempSync(join(tmpdir(), 'sos-daemon-bench-'));
  const state = join(home, 'state');
  mkdirSync(state, { recursive: true, mode: 0o700 });
  const debounceMs = 2000; // the default
  writeFileSync(join(state, 'config.json'), JSON.stringify({ harvest: { sources: ['claude-code'] }, daemon: { catchUp: { enabled: false }, watch: { debounceMs } } }));
  const paths = generate(home, files);
  const socket = join(state, 'control.sock');
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'daemon'], { env: { PATH: process.env.PATH ?? '', HOME: home, TZ: 'UTC', SKILLOPT_SLEEP_HOME: state }, stdio: 'ignore' });
  const lines: string[] = [];
  try {
    let ready: DaemonStatus | undefined;
    while (!(ready = await status(socket))?.harvest?.runs) {
      if (child.exitCode !== null) throw new Error(`daemon exited with ${child.exitCode}`);
      await sleep(200);
    }
    const startup = (performance.now() - started) / 1000;
    lines.push(`daemon: ${files} Claude Code transcripts in 100 folders; socket up, watches set and all ${ready.harvest.last?.filesRead} files harvested ${startup.toFixed(1)} s after spawn`);

    const pid = child.pid ?? 0;
    const heap = (await status(socket))?.memory.heapUsedMb;
    const before = sample(pid);
    const rss: number[] = [];
    const t0 = performance.now();
    while (performance.now() - t0 < idleSeconds * 1000) {
      await sleep(1000);
      rss.push(sample(pid).rssMb);
    }
    const after = sample(pid);
    const wall = (performance.now() - t0) / 1000;
    const cpu = after.cpuSeconds - before.cpuSeconds;
    lines.push(`  idle ${wall.toFixed(0)} s watching them: RSS ${Math.min(...rss).toFixed(0)}-${Math.max(...rss).toFixed(0)} MB (mean ${(rss.reduce((a, b) => a + b, 0) / rss.length).toFixed(0)} MB; JS heap in use ${heap ?? '?'} MB), CPU ${cpu.toFixed(2)} s = ${((100 * cpu) / wall).toFixed(2)}% of one core`);

    const db = new Database(join(state, 'sleep.db'), { readonly: true });
    const digest = db.prepare('SELECT digest_json FROM sessions WHERE session_id = ?');
    const latencies: number[] = [];
    for (let k = 0; k < appends; k++) {
      const i = (k * 1999) % files;
      const marker = `appended prompt ${k} for the latency bench`;
      const t = performance.now();
      appendFileSync(paths[i] ?? '', `${userLine(sessionId(i), `bench-${k}`, marker)}\n`);
      for (;;) {
        const row = digest.get(sessionId(i)) as { digest_json: string } | undefined;
        if (row?.digest_json.includes(marker)) break;
        if (performance.now() - t > 60_000) throw new Error('append not harvested within 60 s');
        await sleep(10);
      }
      latencies.push(performance.now() - t);
      await sleep(500);
    }
    db.close();
    latencies.sort((a, b) => a - b);
    const median = latencies[Math.floor(latencies.length / 2)] ?? 0;
    lines.push(`  append -> harvested in the store: median ${(median / 1000).toFixed(2)} s, max ${((latencies.at(-1) ?? 0) / 1000).toFixed(2)} s over ${appends} appends (debounce ${debounceMs / 1000} s, the default; the rest is the harvest)`);
    const busy = sample(pid);
    const mem = (await status(socket))?.memory;
    lines.push(`  after the appends: RSS ${busy.rssMb.toFixed(0)} MB (JS heap in use ${mem?.heapUsedMb ?? '?'} MB)`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    rmSync(home, { recursive: true, force: true });
  }
  return lines;
}
