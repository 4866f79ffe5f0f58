import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { appendFileSync, chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../core/clock.js';
import type { Environment } from '../core/paths.js';
import { isSkillOptError } from '../core/errors.js';
import { openDatabase, type Db } from '../store/db.js';
import { BATCH_FILES, harvestSources, type HarvestOptions, type HarvestReport } from './harvester.js';
import { claudeCodeSource } from './sources/claude-code/index.js';
import { codexSource } from './sources/codex/index.js';
import { getSession, listSessions } from '../store/sessions-repo.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/transcripts');
const SOURCES = [claudeCodeSource, codexSource];

let home: string;
let db: Db;
let environment: Environment;
const clock = fixedClock('2026-03-10T03:00:00Z');

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'harvest-'));
  db = openDatabase(':memory:');
  environment = { env: {}, platform: 'linux', homeDir: home };
});
afterEach(() => {
  db.close();
  chmodSync(home, 0o700);
  rmSync(home, { recursive: true, force: true });
});

function claudeDir(slug = '-home-dev-shop'): string {
  const dir = join(home, '.claude', 'projects', slug);
  mkdirSync(dir, { recursive: true });
  return dir;
}
function codexDir(): string {
  const dir = join(home, '.codex', 'sessions', '2026', '03', '02');
  mkdirSync(dir, { recursive: true });
  return dir;
}
function harvest(options: Partial<HarvestOptions> = {}): Promise<HarvestReport> {
  return harvestSources({ db, environment, clock }, { sources: SOURCES, ...options });
}
function claudeReport(report: HarvestReport) {
  const r = report.sources.find((s) => s.source === 'claude-code');
  if (!r) throw new Error('no claude-code report');
  return r;
}
function userLine(text: string, uuid: string, cwd = '/home/dev/shop'): string {
  return JSON.stringify({ type: 'user', uuid, timestamp: '2026-03-01T10:00:00Z', cwd, sessionId: 's', message: { role: 'user', content: text } });
}
function answerLine(text: string, id: string): string {
  return JSON.stringify({ type: 'assistant', uuid: `a-${id}`, requestId: `r-${id}`, timestamp: '2026-03-01T10:00:01Z', message: { id, role: 'assistant', content: [{ type: 'text', text }] } });
}

/** The database, calling `commit` just before each COMMIT it executes. */
function onCommit(target: Db, commit: () => void): Db {
  return new Proxy(target, {
    get(inner, prop, receiver) {
      if (prop === 'exec') {
        return (sql: string) => {
          if (/^\s*COMMIT\b/i.test(sql)) commit();
          return inner.exec(sql);
        };
      }
      const value = Reflect.get(inner, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(inner) : value;
    },
  });
}

describe('harvestSources', () => {
  it('harvests every real file once, then reads nothing when nothing changed', async () => {
    const cdir = claudeDir();
    for (const f of ['1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl', '5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl', '399366ae-4ecb-4e13-9972-e423b4a03df6.jsonl']) {
      copyFileSync(join(FIXTURES, 'claude-code', f), join(cdir, f));
    }
    const xdir = codexDir();
    for (const f of ['rollout-2026-02-23T13-19-38-019c8a70-dda7-7f33-98ea-f30553347322.jsonl', 'rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl']) {
      copyFileSync(join(FIXTURES, 'codex', f), join(xdir, f));
    }
    const first = await harvest();
    expect(first.totals).toMatchObject({ filesSeen: 5, filesRead: 5, sessionsNew: 5, sessionsUpdated: 0 });
    expect(first.totals.bytesRead).toBeGreaterThan(150_000);
    expect(Object.values(first.totals.skipped).every((n) => n === 0)).toBe(true);
    const second = await harvest();
    expect(second.totals).toMatchObject({ filesSeen: 5, filesRead: 0, bytesRead: 0, sessionsNew: 0, sessionsUpdated: 0 });
    const stored = getSession(db, '5c0375b4-57a5-4f26-b12d-d022ee4e51b7');
    expect(stored?.digest.prompts.map((p) => p.text)).toEqual(['@CLAUDE.md を最新の状態にアップデートしてください']);
    expect(getSession(db, '019c8a70')?.source).toBe('codex');
  });

  it('reads only appended bytes and resumes the parser where it stopped', async () => {
    const path = join(claudeDir(), 'aaaa0000-0000-4000-8000-000000000001.jsonl');
    const head = `${userLine('first task', 'u1')}\n${answerLine('done one', 'm1')}\n`;
    writeFileSync(path, head);
    await harvest();
    const tail = `${userLine('second task', 'u2')}\n${answerLine('done two', 'm2')}\n`;
    appendFileSync(path, tail);
    const report = claudeReport(await harvest());
    expect(report).toMatchObject({ filesRead: 1, sessionsNew: 0, sessionsUpdated: 1, bytesRead: Buffer.byteLength(tail) });
    const digest = getSession(db, 'aaaa0000-0000-4000-8000-000000000001')?.digest;
    expect(digest?.prompts.map((p) => p.text)).toEqual(['first task', 'second task']);
    expect(digest?.finalAnswers).toEqual(['done one', 'done two']);
  });

  it('leaves a partial last line for the next harvest', async () => {
    const path = join(claudeDir(), 'aaaa0000-0000-4000-8000-000000000002.jsonl');
    const line = userLine('finish the migration', 'u1');
    writeFileSync(path, `${userLine('start', 'u0')}\n${answerLine('ok', 'm0')}\n${line.slice(0, 20)}`);
    const first = claudeReport(await harvest());
    expect(first.skipped.partial_line).toBe(1);
    expect(first.skipped.invalid_json).toBe(0);
    appendFileSync(path, `${line.slice(20)}\n`);
    await harvest();
    expect(getSession(db, 'aaaa0000-0000-4000-8000-000000000002')?.digest.prompts.map((p) => p.text)).toEqual(['start', 'finish the migration']);
  });

  it('re-reads a rewritten or truncated file from the start', async () => {
    const path = join(claudeDir(), 'aaaa0000-0000-4000-8000-000000000003.jsonl');
    writeFileSync(path, `${userLine('old prompt one', 'u1')}\n${answerLine('a', 'm1')}\n${userLine('old prompt two', 'u2')}\n`);
    await harvest();
    writeFileSync(path, `${userLine('new prompt', 'u9')}\n`);
    const report = claudeReport(await harvest());
    expect(report.sessionsUpdated).toBe(1);
    expect(getSession(db, 'aaaa0000-0000-4000-8000-000000000003')?.digest.prompts.map((p) => p.text)).toEqual(['new prompt']);
    // Same size, different bytes: the fingerprint catches it.
    const same = `${userLine('NEW prompt', 'u9')}\n`;
    writeFileSync(path, same);
    utimesSync(path, new Date('2026-03-09T00:00:00Z'), new Date('2026-03-09T00:00:00Z'));
    await harvest();
    expect(getSession(db, 'aaaa0000-0000-4000-8000-000000000003')?.digest.prompts.map((p) => p.text)).toEqual(['NEW prompt']);
  });

  it('keeps harvested sessions after the tool deletes old transcripts', async () => {
    const path = join(claudeDir(), 'aaaa0000-0000-4000-8000-000000000004.jsonl');
    writeFileSync(path, `${userLine('keep me', 'u1')}\n`);
    await harvest();
    rmSync(path);
    const report = claudeReport(await harvest());
    expect(report.filesSeen).toBe(0);
    expect(getSession(db, 'aaaa0000-0000-4000-8000-000000000004')?.digest.prompts[0]?.text).toBe('keep me');
  });

  it('counts bad lines by reason and keeps the good ones: invalid JSON, binary, unknown, 50 MB line', async () => {
    const path = join(claudeDir(), 'aaaa0000-0000-4000-8000-000000000005.jsonl');
    writeFileSync(path, `${userLine('before', 'u1')}\n{"type":"user",\n\u0000\u0001\u0002garbage\n{"type":"brand-new"}\n`);
    appendFileSync(path, `{"type":"user","message":{"role":"user","content":"${'x'.repeat(50 * 1024 * 1024)}"}}\n`);
    appendFileSync(path, `${answerLine('answer', 'm1')}\n${userLine('after', 'u2')}\n`);
    const report = claudeReport(await harvest());
    expect(report.skipped).toMatchObject({ invalid_json: 1, binary: 1, unknown_record: 1, oversized_line: 1, partial_line: 0 });
    expect(getSession(db, 'aaaa0000-0000-4000-8000-000000000005')?.digest.prompts.map((p) => p.text)).toEqual(['before', 'after']);
  });

  it('counts a symlink loop and an unreadable file without failing the harvest', async () => {
    const dir = claudeDir();
    symlinkSync(join(dir, 'loop-b.jsonl'), join(dir, 'loop-a.jsonl'));
    symlinkSync(join(dir, 'loop-a.jsonl'), join(dir, 'loop-b.jsonl'));
    symlinkSync(dir, join(dir, 'self')); // a directory loop below a root
    writeFileSync(join(dir, 'aaaa0000-0000-4000-8000-000000000006.jsonl'), `${userLine('fine', 'u1')}\n`);
    const locked = join(dir, 'aaaa0000-0000-4000-8000-000000000007.jsonl');
    writeFileSync(locked, `${userLine('secret', 'u1')}\n`);
    chmodSync(locked, 0o000);
    const report = claudeReport(await harvest());
    expect(report.skipped.symlink_loop).toBe(2);
    const isRoot = process.getuid?.() === 0;
    // root reads anything, so the denial can only be observed as a normal user.
    expect(report.skipped.permission_denied).toBe(isRoot ? 0 : 1);
    expect(report.sessionsNew).toBe(isRoot ? 2 : 1);
    chmodSync(locked, 0o600);
    const again = claudeReport(await harvest());
    expect(again.sessionsNew).toBe(isRoot ? 0 : 1);
  });

  it('never treats sub-agent files as sessions (2.0.x agent-*.jsonl, 2.1.x subagents/)', async () => {
    const dir = claudeDir();
    writeFileSync(join(dir, 'agent-1a2b3c.jsonl'), `${userLine('model-written task', 'u1')}\n`);
    mkdirSync(join(dir, 'bbbb0000-0000-4000-8000-000000000001', 'subagents'), { recursive: true });
    writeFileSync(join(dir, 'bbbb0000-0000-4000-8000-000000000001', 'subagents', 'agent-9.jsonl'), `${userLine('model-written task', 'u1')}\n`);
    writeFileSync(join(dir, 'bbbb0000-0000-4000-8000-000000000001.jsonl'), `${userLine('real task', 'u1')}\n`);
    const report = claudeReport(await harvest());
    expect(report.filesSeen).toBe(1);
    expect(listSessions(db).map((s) => s.digest.prompts[0]?.text)).toEqual(['real task']);
  });

  it('redacts secrets in stored digests and in the saved parser state', async () => {
    const key = `sk-${'A1b2C3d4'.repeat(4)}`;
    writeFileSync(join(claudeDir(), 'aaaa0000-0000-4000-8000-000000000008.jsonl'), `${userLine(`use the key ${key} to call the API`, 'u1')}\n`);
    const report = await harvest();
    expect(report.totals.secretsRedacted).toBe(1);
    const digest = db.prepare('SELECT digest_json AS a FROM sessions').get() as { a: string };
    expect(digest.a).not.toContain(key);
    expect(digest.a).toContain('[REDACTED:');
    const state = db.prepare('SELECT state_json AS a FROM file_checkpoints').get() as { a: string };
    expect(state.a).not.toContain(key);
    // The session is stored once: the parser state refers to the session row instead of holding the prompt again.
    expect(state.a).not.toContain('to call the API');
    expect(state.a).toContain('$storedDigest');
  });

  it('resumes from the stored digest, and reads a file again from its start when another copy wrote the session since', async () => {
    const a = join(claudeDir('-home-dev-a'), 'aaaa0000-0000-4000-8000-00000000000e.jsonl');
    const b = join(claudeDir('-home-dev-b'), 'aaaa0000-0000-4000-8000-00000000000e.jsonl');
    writeFileSync(a, `${userLine('first in a', 'u1')}\n${answerLine('done a', 'm1')}\n`);
    await harvest();
    appendFileSync(a, `${userLine('second in a', 'u2')}\n`);
    const resumed = await harvest();
    expect(claudeReport(resumed).bytesRead).toBeLessThan(400); // only the appended line was read
    expect(getSession(db, 'aaaa0000-0000-4000-8000-00000000000e')?.digest.prompts.map((p) => p.text)).toEqual(['first in a', 'second in a']);
    // A second copy of the same session (same id) overwrites the row; a's next append must not build on b's digest.
    writeFileSync(b, `${userLine('only in b', 'u9')}\n`);
    await harvest();
    expect(getSession(db, 'aaaa0000-0000-4000-8000-00000000000e')?.digest.prompts.map((p) => p.text)).toEqual(['only in b']);
    appendFileSync(a, `${userLine('third in a', 'u3')}\n`);
    const reread = await harvest();
    expect(claudeReport(reread).bytesRead).toBeGreaterThan(400); // a was read from its first byte
    expect(getSession(db, 'aaaa0000-0000-4000-8000-00000000000e')?.digest.prompts.map((p) => p.text)).toEqual(['first in a', 'second in a', 'third in a']);
  });

  it('commits many files in few transactions and counts every session', async () => {
    for (let i = 0; i < 250; i++) {
      writeFileSync(join(claudeDir(), `bbbb0000-0000-4000-8000-${String(i).padStart(12, '0')}.jsonl`), `${userLine(`task ${i}`, 'u1')}\n`);
    }
    let commits = 0;
    const counting = onCommit(db, () => commits++);
    const report = await harvestSources({ db: counting, environment, clock }, { sources: SOURCES });
    expect(report.totals.sessionsNew).toBe(250);
    expect(commits).toBeGreaterThanOrEqual(Math.ceil(250 / BATCH_FILES));
    expect(commits).toBeLessThanOrEqual(Math.ceil(250 / BATCH_FILES) + 1);
    expect(listSessions(db)).toHaveLength(250);
  });

  it('holds its page cache and WAL settings only while it runs, and leaves the WAL folded into the database', async () => {
    const state = mkdtempSync(join(tmpdir(), 'harvest-state-'));
    const fileDb = openDatabase(join(state, 'sleep.db'));
    try {
      for (let i = 0; i < 40; i++) {
        writeFileSync(join(claudeDir(), `cccc0000-0000-4000-8000-${String(i).padStart(12, '0')}.jsonl`), `${userLine(`task ${i} ${'x'.repeat(6000)}`, 'u1')}\n`);
      }
      const before = { cache: fileDb.pragma('cache_size', { simple: true }), wal: fileDb.pragma('wal_autocheckpoint', { simple: true }) };
      const seen: unknown[] = [];
      const watching = onCommit(fileDb, () => seen.push(fileDb.pragma('wal_autocheckpoint', { simple: true })));
      const report = await harvestSources({ db: watching, environment, clock }, { sources: SOURCES });
      expect(report.totals.sessionsNew).toBe(40);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((pages) => pages === 16_384)).toBe(true);
      expect({ cache: fileDb.pragma('cache_size', { simple: true }), wal: fileDb.pragma('wal_autocheckpoint', { simple: true }) }).toEqual(before);
      // 40 sessions of 6 KB are far below 16,384 WAL pages: only the closing checkpoint puts them in the database file.
      expect(statSync(join(state, 'sleep.db')).size).toBeGreaterThan(40 * 6000);
      expect(listSessions(fileDb)).toHaveLength(40);
    } finally {
      fileDb.close();
      rmSync(state, { recursive: true, force: true });
    }
  });

  it('marks our own replay sessions and codex exec runs', async () => {
    const dir = codexDir();
    const name = 'rollout-2026-03-02T10-00-00-019d0000-3333-7000-8000-000000000003.jsonl';
    copyFileSync(join(FIXTURES, 'synthetic', 'codex', name), join(dir, name));
    await harvest();
    const stored = getSession(db, '019d0000-3333-7000-8000-000000000003');
    expect(stored?.digest).toMatchObject({ ownReplay: true, headless: true });
    expect(listSessions(db)).toEqual([]);
    expect(listSessions(db, { includeOwnReplays: true })).toHaveLength(1);
  });

  it('scopes --project by folder and --since by modification time', async () => {
    writeFileSync(join(claudeDir('-home-dev-shop'), 'cccc0000-0000-4000-8000-000000000001.jsonl'), `${userLine('shop task', 'u1')}\n`);
    writeFileSync(join(claudeDir('-home-dev-blog'), 'cccc0000-0000-4000-8000-000000000002.jsonl'), `${userLine('blog task', 'u1', '/home/dev/blog')}\n`);
    const old = join(claudeDir('-home-dev-shop-api'), 'cccc0000-0000-4000-8000-000000000003.jsonl');
    writeFileSync(old, `${userLine('api task', 'u1', '/home/dev/shop/api')}\n`);
    utimesSync(old, new Date('2025-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z'));
    const scoped = claudeReport(await harvest({ project: '/home/dev/shop', since: new Date('2026-01-01T00:00:00Z') }));
    expect(scoped).toMatchObject({ filesSeen: 2, filesRead: 1, sessionsNew: 1 });
    const all = claudeReport(await harvest());
    expect(all).toMatchObject({ filesSeen: 3, filesRead: 2, sessionsNew: 2 });
    expect(listSessions(db, { project: '/home/dev/shop' }).map((s) => s.digest.prompts[0]?.text).sort()).toEqual(['api task', 'shop task']);
  });

  it('reads CLAUDE_CONFIG_DIR (comma list) and Codex archived sessions, live copy first', async () => {
    const a = join(home, 'cfg-a', 'projects', '-p');
    const b = join(home, 'cfg-b', 'projects', '-p');
    mkdirSync(a, { recursive: true });
    mkdirSync(b, { recursive: true });
    writeFileSync(join(a, 'dddd0000-0000-4000-8000-000000000001.jsonl'), `${userLine('from a', 'u1')}\n`);
    writeFileSync(join(b, 'dddd0000-0000-4000-8000-000000000002.jsonl'), `${userLine('from b', 'u1')}\n`);
    environment = { ...environment, env: { CLAUDE_CONFIG_DIR: `${join(home, 'cfg-a')}, ${join(home, 'cfg-b')}`, CODEX_HOME: join(home, 'cx') } };
    const archived = join(home, 'cx', 'archived_sessions');
    const live = join(home, 'cx', 'sessions', '2026', '03', '02');
    mkdirSync(archived, { recursive: true });
    mkdirSync(live, { recursive: true });
    const name = 'rollout-2026-03-02T09-00-00-019d0000-1111-7000-8000-000000000001.jsonl';
    copyFileSync(join(FIXTURES, 'synthetic', 'codex', name), join(archived, name));
    copyFileSync(join(FIXTURES, 'synthetic', 'codex', name), join(live, name));
    const other = 'rollout-2025-08-01T12-00-00-5973b6c0-94b8-487b-a530-2aeb6098ae0e.jsonl';
    copyFileSync(join(FIXTURES, 'synthetic', 'codex', other), join(archived, other));
    const report = await harvest();
    expect(claudeReport(report).sessionsNew).toBe(2);
    expect(report.sources.find((s) => s.source === 'codex')).toMatchObject({ filesSeen: 2, sessionsNew: 2 });
  });

  it('stores digests and checkpoint in one transaction: a failed write loses nothing and is retried', async () => {
    const path = join(claudeDir(), 'eeee0000-0000-4000-8000-000000000001.jsonl');
    writeFileSync(path, `${userLine('important', 'u1')}\n`);
    db.exec("CREATE TRIGGER fail_insert BEFORE INSERT ON sessions BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    const error = await harvest().catch((e: unknown) => e);
    expect(isSkillOptError(error, 'INTERNAL')).toBe(true);
    expect(db.prepare('SELECT COUNT(*) AS n FROM file_checkpoints').get()).toEqual({ n: 0 });
    db.exec('DROP TRIGGER fail_insert');
    const report = claudeReport(await harvest());
    expect(report.sessionsNew).toBe(1);
  });

  it('harvesting in many appended pieces gives the same digest as one read', async () => {
    const source = readFileSync(join(FIXTURES, 'synthetic', 'claude-code', 'rules-1-6.jsonl'));
    const piecewise = join(claudeDir('-a'), 'ffff0000-0000-4000-8000-000000000001.jsonl');
    writeFileSync(piecewise, '');
    for (let at = 0; at < source.length; at += 997) {
      appendFileSync(piecewise, source.subarray(at, Math.min(source.length, at + 997)));
      await harvest();
    }
    const whole = join(claudeDir('-b'), 'ffff0000-0000-4000-8000-000000000002.jsonl');
    writeFileSync(whole, source);
    await harvest();
    const a = getSession(db, 'ffff0000-0000-4000-8000-000000000001')?.digest;
    const b = getSession(db, 'ffff0000-0000-4000-8000-000000000002')?.digest;
    expect(a?.prompts.length).toBe(8);
    expect({ ...a, sessionId: '' }).toEqual({ ...b, sessionId: '' });
  });
});

describe('format drift in the harvest report', () => {
  it('names unknown record types with counts, lists versions, and stores an empty session only with its reason', async () => {
    const dir = codexDir();
    const id = '019d0000-9999-7000-8000-000000000009';
    const lines = [
      { timestamp: '2026-03-02T09:00:00Z', type: 'session_meta', payload: { id, timestamp: '2026-03-02T09:00:00Z', cwd: '/home/dev/api', originator: 'codex-tui', source: 'vscode', cli_version: '0.190.0' } },
      { timestamp: '2026-03-02T09:00:01Z', type: 'prompt_record_v3', payload: { text: 'add a test' } },
      { timestamp: '2026-03-02T09:00:02Z', type: 'prompt_record_v3', payload: { text: 'and another' } },
      { timestamp: '2026-03-02T09:00:03Z', type: 'event_msg', payload: { type: 'agent_message', message: 'Added.' } },
    ];
    writeFileSync(join(dir, `rollout-2026-03-02T10-00-00-${id}.jsonl`), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const report = await harvest();
    const codex = report.sources.find((s) => s.source === 'codex');
    expect(codex?.drift).toEqual({ versions: { '0.190.0': 1 }, unknownRecords: { prompt_record_v3: 2 }, emptySessions: { answers_without_prompt: 1 } });
    expect(report.totals.drift.unknownRecords).toEqual({ prompt_record_v3: 2 });
    const stored = getSession(db, id)?.digest;
    expect(stored?.prompts).toEqual([]);
    expect(stored?.emptyReason).toBe('answers_without_prompt');
    expect(stored?.unknownRecords).toEqual({ prompt_record_v3: 2 });
    // Nothing changed: nothing read, so nothing counted again.
    expect((await harvest()).sources.find((s) => s.source === 'codex')?.drift.unknownRecords).toEqual({});
  });
});
