import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, type Rng } from '../core/rng.js';

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

/** One Claude Code turn: prompt, answer, tool call, tool result (one in twenty an error). */
export function claudeTurn(rng: Rng, session: string, turn: number, at: number): string[] {
  const base = { sessionId: session, cwd: '/home/dev/shop', gitBranch: 'main', version: '2.1.150', userType: 'external', entrypoint: 'cli', isSidechain: false };
  const ts = (k: number) => new Date(at + turn * 60_000 + k * 1000).toISOString();
  const id = `msg_${turn}`;
  const failed = rng.int(20) === 0;
  return [
    { ...base, type: 'user', uuid: `u${turn}`, timestamp: ts(0), message: { role: 'user', content: `${filler(rng, 200)} ${turn}` } },
    { ...base, type: 'assistant', uuid: `a${turn}`, requestId: `r${turn}`, timestamp: ts(1), message: { id, model: 'claude-opus-4-5', role: 'assistant', content: [{ type: 'text', text: filler(rng, 1500) }], usage: { input_tokens: 900, output_tokens: 300, cache_read_input_tokens: 5000 } } },
    { ...base, type: 'assistant', uuid: `b${turn}`, requestId: `r${turn}`, timestamp: ts(2), message: { id, model: 'claude-opus-4-5', role: 'assistant', content: [{ type: 'tool_use', id: `t${turn}`, name: 'Edit', input: { file_path: '/home/dev/shop/src/cart.ts', old_string: filler(rng, 200), new_string: filler(rng, 200) } }], usage: { input_tokens: 900, output_tokens: 420, cache_read_input_tokens: 5000 } } },
    { ...base, type: 'user', uuid: `c${turn}`, timestamp: ts(3), message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${turn}`, content: filler(rng, 1500), ...(failed ? { is_error: true } : {}) }] } },
  ].map((r) => JSON.stringify(r));
}

/** One Codex turn: context, prompt (item and event), command, its output, tokens, answer. */
export function codexTurn(rng: Rng, turn: number, at: number): string[] {
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

/** A generated corpus on disk: a HOME holding `.claude` and `.codex` transcripts. */
export interface GeneratedCorpus {
  home: string;
  files: number;
  bytes: number;
  lines: number;
  claude: string[];
  codex: string[];
  /** Seconds spent generating it (0 when it came from the cache). */
  generatedSeconds: number;
  cached: boolean;
}

const CORPUS_VERSION = 2;

/** Write a corpus of `files` transcripts (half Claude Code, half Codex) of about `totalBytes` into `home`. */
export function generateCorpus(home: string, files: number, totalBytes: number): Omit<GeneratedCorpus, 'generatedSeconds' | 'cached' | 'home'> {
  const rng = createRng(42);
  const perFile = totalBytes / files;
  const claude: string[] = [];
  const codex: string[] = [];
  let bytes = 0;
  let lineCount = 0;
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
    lineCount += lines.length;
  }
  return { files, bytes, lines: lineCount, claude, codex };
}

/**
 * The corpus for `files` x `totalMb`, generated once and cached under `cacheDir` (generation costs as much as a
 * harvest; the cache is keyed by size and generator version, and only a completed corpus is ever reused).
 */
export function cachedCorpus(cacheDir: string, files: number, totalMb: number): GeneratedCorpus {
  const dir = join(cacheDir, `harvest-corpus-v${CORPUS_VERSION}-${files}x${totalMb}mb`);
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Omit<GeneratedCorpus, 'generatedSeconds' | 'cached' | 'home'>;
    const home = join(dir, 'home');
    return { ...manifest, claude: manifest.claude.map((p) => join(home, p)), codex: manifest.codex.map((p) => join(home, p)), home, generatedSeconds: 0, cached: true };
  }
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  const started = performance.now();
  const generated = generateCorpus(join(building, 'home'), files, totalMb * 1024 * 1024);
  const relative = (p: string) => p.slice(join(building, 'home').length + 1);
  const manifest = { ...generated, claude: generated.claude.map(relative), codex: generated.codex.map(relative) };
  writeFileSync(join(building, 'manifest.json'), JSON.stringify(manifest));
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  const home = join(dir, 'home');
  const absolute = (p: string) => join(home, p);
  return { ...manifest, claude: manifest.claude.map(absolute), codex: manifest.codex.map(absolute), home, generatedSeconds: (performance.now() - started) / 1000, cached: false };
}
