import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SessionDigest, SourceAdapter } from '../../types.js';
import { feedTranscript } from '../../../../test/helpers/feed-transcript.js';
import { createGeminiCliSource, geminiCliSource } from './index.js';

const HOME = resolve('fixtures/transcripts/synthetic/gemini-cli/.gemini');
const LOG = join(HOME, 'tmp/shop/chats/session-2026-06-02T10-00-a1b2c3d4.jsonl');
const DOC = join(HOME, 'tmp/notes/chats/session-2025-10-01T08-00-e5f6a7b8.json');
const SUBAGENT = join(HOME, 'tmp/shop/chats/a1b2c3d4-1111-4222-8333-444455556666/session-2026-06-02T10-01-bbbbbbbb.jsonl');


const feed = (path: string, source: SourceAdapter = geminiCliSource, from = 0, to?: number, saved?: unknown) => feedTranscript(source, path, from, to, saved);

describe('gemini-cli: roots and discovery', () => {
  it('uses GEMINI_CLI_HOME/.gemini, else ~/.gemini', () => {
    expect(geminiCliSource.defaultRoots({ env: {}, platform: 'linux', homeDir: '/home/u' })).toEqual(['/home/u/.gemini']);
    expect(geminiCliSource.defaultRoots({ env: { GEMINI_CLI_HOME: '/data' }, platform: 'darwin', homeDir: '/Users/u' })).toEqual(['/data/.gemini']);
    expect(geminiCliSource.defaultRoots({ env: {}, platform: 'win32', homeDir: 'C:\\Users\\u' })).toEqual(['C:\\Users\\u\\.gemini']);
  });

  it('finds top-level chat files only: not nested sub-agent chats, not checkpoints', async () => {
    expect(await geminiCliSource.discover([HOME, '/not/here'])).toEqual([DOC, LOG]);
    expect(geminiCliSource.fileKind(LOG)).toBe('jsonl');
    expect(geminiCliSource.fileKind(DOC)).toBe('json');
  });
});

describe('gemini-cli: JSONL chat log (synthetic)', () => {
  it('reads the header, replaces rewritten message ids, applies $rewindTo, counts bad lines', () => {
    const { parser, skips } = feed(LOG);
    expect(skips).toEqual({ unknown_record: 1, invalid_json: 1 });
    const d = parser.digests()[0] as SessionDigest;
    expect(d.source).toBe('gemini-cli');
    expect(d.sessionId).toBe('a1b2c3d4-1111-4222-8333-444455556666');
    expect(d.project).toEqual({ cwd: '/home/dev/projects/shop' });
    expect(d.prompts).toEqual([
      { text: '@server.ts add a health check endpoint', at: '2026-06-02T10:00:05.000Z' },
      { text: 'that\'s wrong, it must return 503 when the database is down', at: '2026-06-02T10:01:00.000Z' },
      { text: '/review server.ts', at: '2026-06-02T10:03:00.000Z', command: 'review' },
    ]);
    expect(d.finalAnswers).toEqual([
      'Added `GET /healthz` returning 200.',
      '`/healthz` now pings the database and returns 503 when it fails.',
      'Review: the handler should not block on a slow database; add a timeout.',
    ]);
    expect(d.feedback.map((f) => [f.kind, f.promptIndex])).toEqual([
      ['correction', 1],
      ['interrupt', 2],
    ]);
    expect(d.tools).toEqual(['read_file', 'replace']);
    expect(d.skills).toEqual(['express-routes']);
    expect(d.filesTouched).toEqual(['/home/dev/projects/shop/server.ts']);
    expect(d.models).toEqual(['gemini-2.5-pro', 'gemini-2.5-flash']);
    // g1 counted once (its rewrite replaced the first copy); g3 was rewound away.
    expect(d.tokens).toEqual({ input: 6000 + 7000 + 2000, output: 80 + 120 + 60 + 50, cachedInput: 3000 + 5000 });
    expect(d.startedAt).toBe('2026-06-02T10:00:00.000Z');
    expect(d.endedAt).toBe('2026-06-02T10:03:30.000Z');
  });

  it('resumes from saved state at every line with the same digest', () => {
    const whole = feed(LOG);
    const expected = whole.parser.digests();
    for (let cut = 0; cut <= whole.lineCount; cut++) {
      const saved: unknown = JSON.parse(JSON.stringify(feed(LOG, geminiCliSource, 0, cut).parser.saveState()));
      expect(feed(LOG, geminiCliSource, cut, undefined, saved).parser.digests()).toEqual(expected);
    }
  });

  it('a $set carrying the whole message list replaces what was read, never doubles it', () => {
    const parser = geminiCliSource.openParser('/h/.gemini/tmp/p/chats/session-x.jsonl');
    const user = { id: 'u1', type: 'user', content: 'hi there' };
    parser.feedLine(JSON.stringify({ sessionId: 's' }));
    parser.feedLine(JSON.stringify(user));
    parser.feedLine(JSON.stringify({ $set: { messages: [user, { id: 'g1', type: 'gemini', content: 'hello' }] } }));
    const d = parser.digests()[0];
    expect(d?.prompts.map((p) => p.text)).toEqual(['hi there']);
    expect(d?.finalAnswers).toEqual(['hello']);
  });

  it('sub-agent chats yield no digest', () => {
    expect(feed(SUBAGENT).parser.digests()).toEqual([]);
  });
});

describe('gemini-cli: old JSON documents (synthetic)', () => {
  it('reads messages; the project comes from projects.json when .project_root is missing', () => {
    const { digests, skips } = geminiCliSource.parseDocument(DOC, readFileSync(DOC, 'utf8'));
    expect(skips).toEqual([]);
    const d = digests[0] as SessionDigest;
    expect(d.sessionId).toBe('e5f6a7b8-9999-4aaa-8bbb-cccccccccccc');
    expect(d.project).toEqual({ cwd: '/home/dev/notes' });
    expect(d.prompts.map((p) => p.text)).toEqual(["Turn today's meeting notes into a checklist in todo.md", 'thanks, perfect']);
    expect(d.finalAnswers).toEqual(['Wrote 6 items to todo.md.', "You're welcome."]);
    expect(d.feedback.map((f) => [f.kind, f.promptIndex])).toEqual([['praise', 1]]);
    expect(d.filesTouched).toEqual(['/home/dev/notes/todo.md']);
    expect(d.tokens).toEqual({ input: 1200, output: 120, cachedInput: 0 });
  });

  it('reads .project_root and projects.json through the injected reader', () => {
    const asked: string[] = [];
    const source = createGeminiCliSource({ readText: (p) => (asked.push(p), undefined) });
    const d = source.parseDocument(DOC, readFileSync(DOC, 'utf8')).digests[0];
    expect(asked).toEqual([join(HOME, 'tmp/notes/.project_root'), join(HOME, 'projects.json')]);
    expect(d?.project).toBeUndefined();
  });

  it('bad documents are skips', () => {
    expect(geminiCliSource.parseDocument(DOC, '{"messages":[')).toMatchObject({ digests: [], skips: [{ reason: 'invalid_json' }] });
    expect(geminiCliSource.parseDocument(DOC, '{"history":[]}')).toMatchObject({ digests: [], skips: [{ reason: 'not_a_session' }] });
    expect(geminiCliSource.parseDocument(DOC, '{"messages":[{"content":"x"}]}').skips.map((s) => s.reason)).toEqual(['missing_field', 'not_a_session']);
  });
});
