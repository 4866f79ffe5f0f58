import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../core/clock.js';
import { createRng, type Rng } from '../core/rng.js';
import { openDatabase } from '../store/db.js';
import { harvestSources, type HarvestReport } from '../harvest/harvester.js';
import { claudeCodeSource } from '../harvest/sources/claude-code/index.js';
import { codexSource } from '../harvest/sources/codex/index.js';

const WORDS = 'the cart total rounding test fails when a discount applies twice please fix parser api endpoint json config build deploy'.split(' ');

function filler(rng: Rng, bytes: number): string {
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    const word = WORDS[rng.int(WORDS.length)] ?? 'x';
    parts.push(word);
    length += word.length + 1;
  }
  return parts.join(' ');
}

function claudeTurn(rng: Rng, session: string, turn: number, at: number): string[] {
  const base = { sessionId: session, cwd: '/home/dev/shop', gitBranch: 'main', version: '2.1.150', userType: 'external', entrypoint: 'cli', isSidechain: false };
  const ts = (k: number) => new Date(at + turn * 60_000 + k * 1000).toISOString();
  const id = `msg_${turn}`;
  return [
    { ...base, type: 'user', uuid: `u${turn}`, timestamp: ts(0), message: { role: 'user', content: `${filler(rng, 200)} ${turn}` } },
    { ...base, type: 'assistant', uuid: `a${turn}`, requestId: `r${turn}`, timestamp: ts(1), message: { id, model: 'claude-opus-4-5', role: 'assistant', content: [{ type: 'text', text: filler(rng, 1500) }], usage: { input_tokens: 900, output_tokens: 300, cache_read_input_tokens: 5000 } } },
    { ...base, type: 'assistant', uuid: `b${turn}`, requestId: `r${turn}`, timestamp: ts(2), message: { id, model: 'claude-opus-4-5', role: 'assistant', content: [{ type: 'tool_use', id: `t${turn}`, name: 'Edit', input: { file_path: '/home/dev/shop/src/cart.ts', old_string: filler(rng, 200), new_string: filler(rng, 200) } }], usage: { input_tokens: 900, output_tokens: 420, cache_read_input_tokens: 5000 } } },
    { ...base, type: 'user', uuid: `c${turn}`, timestamp: ts(3), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${turn}`, content: filler(rng, 1500) }] } },
  ].map((r) => JSON.stringify(r));
}

function codexTurn(rng: Rng, turn: number, at: number): string[] {
  const ts = (k: number) => new Date(at + turn * 60_000 + k * 1000).toISOString();
  const line = (k: number, type: string, payload: unknown) => JSON.stringify({ timestamp: ts(k), type, payload });
  const prompt = `${filler(rng, 200)} ${turn}`;
  return [
    line(0, 'turn_context', { turn_id: `t${turn}`, cwd: '/home/dev/api', model: 'gpt-5.3-codex' }),
    line(0, 'response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] }),
    line(0, 'event_msg', { type: 'user_message', message: prompt, images: [] }),
    line(1, 'response_item', { type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd: filler(rng, 100) }), call_id: `c${turn}` }),
    line(2, 'response_item', { type: 'function_call_output', call_id: `c${turn}`, output: filler(rng, 1800) }),
    line(3, 'event_msg', { type: 'token_count', info: { total_token_usage: { input_tokens: 1000 * turn, cached_input_tokens: 800 * turn, output_tokens: 100 * turn } } }),
    line(4, 'event_msg', { type: 'agent_message', message: filler(rng, 700) }),
    line(4, 'response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: filler(rng, 700) }] }),
  ];
}

/** Write a corpus of `files` transcripts (half Claude Code, half Codex) of about `totalBytes`. */
function generateCorpus(home: string, files: number, totalBytes: number): { claude: string[]; codex: string[]; bytes: number } {
  const rng = createRng(42);
  const perFile = totalBytes / files;
  const claude: string[] = [];
  const codex: string[] = [];
  let bytes = 0;
  const start = Date.parse('2026-03-01T00:00:00Z');
  for (let i = 0; i < files; i++) {
    const lines: string[] = [];
    let size = 0;
    let path: string;
    if (i % 2 === 0) {
      const dir = join(home, '.claude', 'projects', `-home-dev-p${i % 50}`);
      mkdirSync(dir, { recursive: true });
      const session = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      path = join(dir, `${session}.jsonl`);
      for (let turn = 0; size < perFile; turn++) {
        for (const l of claudeTurn(rng, session, turn, start + i * 1000)) {
          lines.push(l);
          size += l.length + 1;
        }
      }
      claude.push(path);
    } else {
      const dir = join(home, '.codex', 'sessions', '2026', '03', String(1 + (i % 28)).padStart(2, '0'));
      mkdirSync(dir, { recursive: true });
      const id = `019d0000-0000-7000-8000-${String(i).padStart(12, '0')}`;
      path = join(dir, `rollout-2026-03-01T00-00-00-${id}.jsonl`);
      lines.push(JSON.stringify({ timestamp: new Date(start).toISOString(), type: 'session_meta', payload: { id, timestamp: new Date(start).toISOString(), cwd: '/home/dev/api', originator: 'codex_cli_rs', source: 'cli' } }));
      for (let turn = 0; size < perFile; turn++) {
        for (const l of codexTurn(rng, turn, start + i * 1000)) {
          lines.push(l);
          size += l.length + 1;
        }
      }
      codex.push(path);
    }
    const text = `${lines.join('\n')}\n`;
    writeFileSync(path, text);
    bytes += Buffer.byteLength(text);
  }
  return { claude, codex, bytes };
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await run();
  return { value, seconds: (performance.now() - started) / 1000 };
}

const MB = 1024 * 1024;

/**
 * Full-harvest throughput on a generated Claude Code + Codex corpus (default 200 MB in 5,000 files),
 * peak memory, a no-change re-harvest, and a harvest after appending to 10 files.
 */
export async function runHarvestBench(options: { files?: number; totalMb?: number } = {}): Promise<string[]> {
  const files = options.files ?? 5000;
  const totalBytes = (options.totalMb ?? 200) * MB;
  const home = mkdtempSync(join(tmpdir(), 'skillopt-harvest-bench-'));
  try {
    const generated = await timed(async () => generateCorpus(home, files, totalBytes));
    const corpus = generated.value;
    const db = openDatabase(join(home, 'state', 'sleep.db'));
    const deps = { db, environment: { env: {}, platform: process.platform, homeDir: home }, clock: systemClock };
    const sources = [claudeCodeSource, codexSource];
    const run = (): Promise<HarvestReport> => harvestSources(deps, { sources });

    (globalThis as { gc?: () => void }).gc?.();
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    let peakHeap = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 20);
    const full = await timed(run);
    clearInterval(sampler);

    const noChange = await timed(run);
    const appended = [...corpus.claude.slice(0, 5), ...corpus.codex.slice(0, 5)];
    const rng = createRng(7);
    for (const [i, path] of appended.entries()) {
      const lines = i < 5 ? claudeTurn(rng, 'x', 1000, Date.parse('2026-03-05T00:00:00Z')) : codexTurn(rng, 1000, Date.parse('2026-03-05T00:00:00Z'));
      appendFileSync(path, `${lines.join('\n')}\n`);
    }
    const afterAppend = await timed(run);
    db.close();

    const t = full.value.totals;
    return [
      `harvest: generated ${files} files, ${(corpus.bytes / MB).toFixed(0)} MB (${corpus.claude.length} Claude Code, ${corpus.codex.length} Codex) in ${generated.seconds.toFixed(1)} s`,
      `  full harvest        ${full.seconds.toFixed(2)} s, ${(t.bytesRead / MB / full.seconds).toFixed(1)} MB/s, ${t.sessionsNew} sessions, ${t.filesRead} files read`,
      `  peak memory         rss ${(peakRss / MB).toFixed(0)} MB (+${((peakRss - baseRss) / MB).toFixed(0)} MB over start), heap ${(peakHeap / MB).toFixed(0)} MB`,
      `  no-change re-run    ${(noChange.seconds * 1000).toFixed(0)} ms over ${noChange.value.totals.filesSeen} files (${noChange.value.totals.filesRead} read, ${noChange.value.totals.bytesRead} bytes)`,
      `  append to 10 files  ${(afterAppend.seconds * 1000).toFixed(0)} ms (${afterAppend.value.totals.filesRead} read, ${(afterAppend.value.totals.bytesRead / 1024).toFixed(0)} KB, ${afterAppend.value.totals.sessionsUpdated} sessions updated)`,
    ];
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
