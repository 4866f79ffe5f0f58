import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SessionDigest, SkipReason, SourceAdapter } from '../../types.js';
import { copilotChatSource, createCopilotChatSource } from './index.js';
import { feedTranscript } from '../../../../test/helpers/feed-transcript.js';

const REAL = resolve('fixtures/transcripts/copilot-chat');
const SYNTH = resolve('fixtures/transcripts/synthetic/copilot-chat/User');

function parseReal(name: string): { digests: SessionDigest[]; skips: Array<{ reason: SkipReason }> } {
  const path = join(REAL, name);
  return copilotChatSource.parseDocument(path, readFileSync(path, 'utf8'));
}


describe('copilot-chat: real "Export Chat" files', () => {
  it('export-basic-gemini: two typed prompts, never the rendered <userRequest> wrapper', () => {
    const { digests, skips } = parseReal('export-basic-gemini.chat.json');
    expect(skips).toEqual([]);
    expect(digests).toHaveLength(1);
    const d = digests[0] as SessionDigest;
    expect(d.prompts).toEqual([
      { text: 'hi', at: '2025-10-02T15:16:51.240Z' },
      { text: 'hello', at: '2025-10-02T15:17:35.799Z' },
    ]);
    expect(d.finalAnswers).toEqual(['Hello! How can I help you today?', 'Hello! How can I help you?']);
    expect(d.models).toEqual(['copilot/gemini-2.5-pro']);
    expect(d.sessionId).toBe('export-basic-gemini.chat');
    expect(d.startedAt).toBe('2025-10-02T15:16:51.240Z');
    expect(d.endedAt).toBe('2025-10-02T15:17:35.799Z');
    expect(d.project).toBeUndefined();
    expect(d.headless).toBe(false);
    expect(d.ownReplay).toBe(false);
  });

  it('export-mcp-success: the Russian prompt, MCP tools in order, the answer after the last tool call', () => {
    const d = parseReal('export-mcp-success.chat.json').digests[0] as SessionDigest;
    expect(d.prompts.map((p) => p.text)).toEqual(['вызови метод update_entry_fields']);
    expect(d.tools).toEqual(['mcp_micmicai-mcp_get_documents', 'mcp_micmicai-mcp_get_entries', 'mcp_micmicai-mcp_update_entry_fields']);
    expect(d.finalAnswers[0]).toMatch(/^Метод `update_entry_fields` был успешно вызван!/);
    expect(d.finalAnswers[0]).not.toContain('Теперь вызову');
    expect(d.models).toEqual(['copilot/claude-sonnet-4']);
  });

  it('export-mcp-error: prompt kept verbatim (trailing space included)', () => {
    const d = parseReal('export-mcp-error.chat.json').digests[0] as SessionDigest;
    expect(d.prompts.map((p) => p.text)).toEqual(['вызови метод update_entry_fields, но вызови так чтобы было 400 ошибка ']);
    expect(d.tools).toEqual(['mcp_micmicai-mcp_update_entry_fields']);
    expect(d.finalAnswers[0]).toMatch(/^Отлично!/);
  });

  it('export-in-progress: a request without result still yields its prompt and streamed text', () => {
    const d = parseReal('export-in-progress.chat.json').digests[0] as SessionDigest;
    expect(d.prompts.map((p) => p.text)).toEqual(['Найди информацию о снежных барсах в интернете']);
    expect(d.tools).toEqual(['copilot_fetchWebPage', 'vscode_fetchWebPage_internal']);
    expect(d.finalAnswers[0]).toMatch(/^На основе найденной информации/);
  });

  it('export-empty: no requests, no digest, one not_a_session skip', () => {
    expect(parseReal('export-empty.chat.json')).toEqual({ digests: [], skips: [{ reason: 'not_a_session', detail: 'no user requests' }] });
  });
});

describe('copilot-chat: roots and discovery', () => {
  it('covers stable and Insiders on Linux (XDG_CONFIG_HOME), macOS and Windows (%APPDATA%)', () => {
    const src = copilotChatSource;
    expect(src.defaultRoots({ env: {}, platform: 'linux', homeDir: '/home/u' })).toEqual(['/home/u/.config/Code/User', '/home/u/.config/Code - Insiders/User']);
    expect(src.defaultRoots({ env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'linux', homeDir: '/home/u' })).toEqual(['/xdg/Code/User', '/xdg/Code - Insiders/User']);
    expect(src.defaultRoots({ env: {}, platform: 'darwin', homeDir: '/Users/u' })).toEqual([
      '/Users/u/Library/Application Support/Code/User',
      '/Users/u/Library/Application Support/Code - Insiders/User',
    ]);
    expect(src.defaultRoots({ env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, platform: 'win32', homeDir: 'C:\\Users\\u' })).toEqual([
      'C:\\Users\\u\\AppData\\Roaming\\Code\\User',
      'C:\\Users\\u\\AppData\\Roaming\\Code - Insiders\\User',
    ]);
    expect(src.defaultRoots({ env: { VSCODE_PORTABLE: '/opt/vscode/data' }, platform: 'linux', homeDir: '/h' })[0]).toBe('/opt/vscode/data/user-data/User');
  });

  it('finds workspace and empty-window sessions, preferring .jsonl over a stale .json twin', async () => {
    const files = await copilotChatSource.discover([SYNTH, join(SYNTH, 'does-not-exist')]);
    expect(files.map((f) => f.slice(SYNTH.length + 1))).toEqual([
      'globalStorage/emptyWindowChatSessions/7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910.json',
      'workspaceStorage/0e55c8aa71/chatSessions/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d.jsonl',
      'workspaceStorage/3f9a1c0d5e/chatSessions/5b8f2e1a-0c3d-4e5f-8a9b-1c2d3e4f5a6b.jsonl',
      'workspaceStorage/a7d41b9e22/chatSessions/9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f.json',
      'workspaceStorage/c0ffee0001/chatSessions/2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e.jsonl',
    ]);
    expect(await copilotChatSource.discover([join(SYNTH, 'workspaceStorage')])).toHaveLength(4);
    expect(await copilotChatSource.discover(['/definitely/not/here'])).toEqual([]);
  });

  it('classifies files by extension', () => {
    expect(copilotChatSource.fileKind('/x/chatSessions/a.jsonl')).toBe('jsonl');
    expect(copilotChatSource.fileKind('/x/chatSessions/a.json')).toBe('json');
  });
});

describe('copilot-chat: the .jsonl mutation log (synthetic, Linux workspace)', () => {
  const path = join(SYNTH, 'workspaceStorage/3f9a1c0d5e/chatSessions/5b8f2e1a-0c3d-4e5f-8a9b-1c2d3e4f5a6b.jsonl');

  it('replays kinds 0-3, folds "@agent Try Again" into the previous request and counts bad lines', () => {
    const { parser, skips } = feedTranscript(copilotChatSource, path);
    expect(skips).toEqual({ invalid_json: 1, unknown_record: 1 });
    const [d] = parser.digests();
    expect(d?.sessionId).toBe('5b8f2e1a-0c3d-4e5f-8a9b-1c2d3e4f5a6b');
    expect(d?.project).toEqual({ cwd: '/home/dev/projects/billing-api' });
    expect(d?.prompts.map((p) => p.text)).toEqual([
      "Fix the rounding bug in src/invoice.ts so totals use banker's rounding",
      'Now add a unit test for the rounding',
      'Also update the changelog',
    ]);
    expect(d?.finalAnswers).toEqual([
      "Totals now use banker's rounding (round half to even).",
      'Added test/invoice.test.ts covering half-even cases.',
      'Updating CHANGE',
    ]);
    expect(d?.feedback).toEqual([
      { kind: 're-ask', text: '@agent Try Again', promptIndex: 1 },
      { kind: 'interrupt', text: 'Also update the changelog', promptIndex: 2 },
    ]);
    expect(d?.tools).toEqual(['copilot_readFile', 'copilot_replaceString', 'copilot_createFile']);
    expect(d?.skills).toEqual(['money-math']);
    expect(d?.filesTouched).toEqual(['/home/dev/projects/billing-api/src/invoice.ts', '/home/dev/projects/billing-api/test/invoice.test.ts']);
    expect(d?.models).toEqual(['copilot/gpt-5']);
    expect(d?.startedAt).toBe('2026-01-01T10:00:00.000Z');
    expect(d?.endedAt).toBe('2026-01-01T10:03:25.000Z');
  });

  it('resumes from saved state at every line boundary with the same result as one pass', () => {
    const whole = feedTranscript(copilotChatSource, path);
    const expected = whole.parser.digests();
    for (let cut = 0; cut <= whole.lineCount; cut++) {
      const first = feedTranscript(copilotChatSource, path, 0, cut);
      const saved: unknown = JSON.parse(JSON.stringify(first.parser.saveState()));
      const second = feedTranscript(copilotChatSource, path, cut, undefined, saved);
      expect(second.parser.digests()).toEqual(expected);
    }
  });

  it('keeps the checkpoint small: bulky request fields are dropped from saved state', () => {
    const { parser } = feedTranscript(copilotChatSource, path);
    const saved = JSON.stringify(parser.saveState());
    expect(saved).not.toContain('draft that was never sent');
    expect(saved).not.toContain('"variables"');
  });

  it('ignores a saved state it does not recognise', () => {
    const parser = copilotChatSource.openParser(path, { version: 99, session: { requests: 'nope' } });
    expect(parser.digests()).toEqual([]);
  });
});

describe('copilot-chat: .json documents (synthetic)', () => {
  function parse(rel: string, source: SourceAdapter = copilotChatSource) {
    const path = join(SYNTH, rel);
    return source.parseDocument(path, readFileSync(path, 'utf8'));
  }

  it('remote SSH workspace: filters system and other-extension requests, reads slash commands, corrections and edits', () => {
    const { digests, skips } = parse('workspaceStorage/a7d41b9e22/chatSessions/9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f.json');
    expect(skips).toEqual([{ reason: 'missing_field', detail: 'request.message.text' }]);
    const d = digests[0] as SessionDigest;
    expect(d.project).toEqual({ cwd: '/srv/app' });
    expect(d.prompts).toEqual([
      { text: '/explain what does deploy.sh do?', at: '2026-01-02T10:00:10.000Z', command: 'explain' },
      { text: "No, that's wrong: it also runs the migrations. Update deploy.sh to log each step", at: '2026-01-02T10:03:20.000Z' },
    ]);
    expect(d.finalAnswers).toEqual(['It builds the image and pushes it.', 'Done: each step now logs.']);
    expect(d.feedback.map((f) => [f.kind, f.promptIndex])).toEqual([['correction', 1]]);
    expect(d.filesTouched).toEqual(['/srv/app/deploy.sh']);
    expect(d.startedAt).toBe('2026-01-02T10:00:00.000Z');
    expect(d.endedAt).toBe('2026-01-02T10:05:00.000Z');
  });

  it('multi-root Windows workspace: project is the folder of the .code-workspace file', () => {
    const { parser } = feedTranscript(copilotChatSource, join(SYNTH, 'workspaceStorage/0e55c8aa71/chatSessions/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d.jsonl'));
    const [d] = parser.digests();
    expect(d?.project).toEqual({ cwd: 'c:\\Users\\dev\\work' });
    expect(d?.prompts.map((p) => p.text)).toEqual(['Rename the Order type to PurchaseOrder across both folders']);
  });

  it('empty-window session: no project', () => {
    const d = parse('globalStorage/emptyWindowChatSessions/7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910.json').digests[0] as SessionDigest;
    expect(d.project).toBeUndefined();
    expect(d.prompts.map((p) => p.text)).toEqual(['How do I undo the last git commit but keep the changes?']);
  });

  it('a session in one of our replay workspaces is marked ownReplay', () => {
    const { parser } = feedTranscript(copilotChatSource, join(SYNTH, 'workspaceStorage/c0ffee0001/chatSessions/2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e.jsonl'));
    expect(parser.digests()[0]?.ownReplay).toBe(true);
  });

  it('reads workspace.json through the injected reader, and copes when it is missing', () => {
    const asked: string[] = [];
    const source = createCopilotChatSource({ readText: (p) => (asked.push(p), undefined) });
    const d = parse('workspaceStorage/a7d41b9e22/chatSessions/9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f.json', source).digests[0];
    expect(asked).toEqual([join(SYNTH, 'workspaceStorage/a7d41b9e22/workspace.json')]);
    expect(d?.project).toBeUndefined();
  });

  it('bad documents are skips, not throws', () => {
    const p = '/x/chatSessions/a.json';
    expect(copilotChatSource.parseDocument(p, '{"requests": [')).toMatchObject({ digests: [], skips: [{ reason: 'invalid_json' }] });
    expect(copilotChatSource.parseDocument(p, '\u0000\u0001PK\u0003\u0004')).toMatchObject({ digests: [], skips: [{ reason: 'binary' }] });
    expect(copilotChatSource.parseDocument(p, '[1,2]')).toMatchObject({ digests: [], skips: [{ reason: 'not_a_session' }] });
    expect(copilotChatSource.parseDocument(p, '{"version":3}')).toMatchObject({ digests: [], skips: [{ reason: 'missing_field', detail: 'requests' }] });
    expect(copilotChatSource.parseDocument(p, '{"requests":[7,{"message":{}}]}').skips.map((s) => s.reason)).toEqual(['unknown_record', 'missing_field', 'not_a_session']);
    expect(copilotChatSource.parseDocument(p, '\ufeff{"requests":[{"message":{"text":"hi"}}]}').digests[0]?.prompts).toEqual([{ text: 'hi' }]);
  });
});

describe('copilot-chat: prompt files and slash commands', () => {
  it('a prompt-file invocation is the invoked skill; a built-in slash command is only the command', () => {
    const doc = {
      version: 3,
      sessionId: 'pf',
      creationDate: 1_767_225_600_000,
      requests: [
        { requestId: 'r1', timestamp: 1_767_225_600_000, message: { text: '/release-notes draft the entry for PR #514', parts: [{ kind: 'promptFile', name: 'release-notes' }, { kind: 'text', text: ' draft the entry for PR #514' }] }, response: [{ value: 'Drafted.' }] },
        { requestId: 'r2', timestamp: 1_767_225_660_000, message: { text: '/explain this function', parts: [{ kind: 'slash', slashCommand: { name: 'explain' } }] }, response: [{ value: 'It sorts.' }] },
      ],
    };
    const d = copilotChatSource.parseDocument('/x/workspaceStorage/w/chatSessions/pf.json', JSON.stringify(doc)).digests[0] as SessionDigest;
    expect(d.prompts.map((p) => [p.command, p.skill])).toEqual([
      ['release-notes', 'release-notes'],
      ['explain', undefined],
    ]);
    expect(d.skills).toContain('release-notes');
    expect(d.skills).not.toContain('explain');
  });
});
