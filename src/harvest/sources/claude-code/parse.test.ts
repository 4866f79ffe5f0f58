import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionDigest, SkipReason, TranscriptParser } from '../../types.js';
import { ClaudeCodeParser } from './parse.js';

const REAL = join(import.meta.dirname, '../../../../fixtures/transcripts/claude-code');
const SYNTHETIC = join(import.meta.dirname, '../../../../fixtures/transcripts/synthetic/claude-code');

function parseWhole(path: string): { digest: SessionDigest | undefined; skips: SkipReason[] } {
  const parser: TranscriptParser = new ClaudeCodeParser(path);
  const skips: SkipReason[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const outcome = parser.feedLine(line);
    if (!outcome.ok) skips.push(outcome.reason);
  }
  return { digest: parser.digests()[0], skips };
}

describe('Claude Code parser on real transcripts', () => {
  it('1.0.98 /init: the command is the prompt, its isMeta expansion is not', () => {
    const { digest, skips } = parseWhole(join(REAL, '1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl'));
    expect(skips).toEqual([]);
    expect(digest?.prompts).toEqual([{ text: '/init', command: '/init', skill: 'init', at: '2025-09-03T00:47:19.293Z' }]);
    expect(digest?.sessionId).toBe('1af7fc5e-8455-4414-9ccd-011d40f70b2a');
    expect(digest?.project).toEqual({ cwd: '/path/to/Demo' });
    expect(digest?.tools).toEqual(['TodoWrite', 'Bash', 'Glob', 'Write']);
    expect(digest?.filesTouched).toEqual(['/path/to/Demo/CLAUDE.md']);
    expect(digest?.finalAnswers[0]).toMatch(/^I've created a basic CLAUDE.md file for this empty repository/);
    expect(digest?.headless).toBe(false);
  });

  it('1.0.108 custom command: the intent in <command-args>; inline sidechain prompts excluded', () => {
    const { digest, skips } = parseWhole(join(REAL, '5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl'));
    expect(skips).toEqual([]);
    expect(digest?.prompts.map((p) => [p.command, p.text])).toEqual([['/orchestrator', '@CLAUDE.md を最新の状態にアップデートしてください']]);
    expect(digest?.finalAnswers).toHaveLength(1);
    expect(digest?.finalAnswers[0]).toMatch(/^CLAUDE.mdファイルを最新の状態にアップデートしました/);
    expect(digest?.tools).toContain('Task');
    expect(digest?.project).toEqual({ cwd: '/path/to/Demo', gitBranch: 'main' });
  });

  it('1.0.98 head: leading summary record, parallel sidechains, tokens grouped per response', () => {
    const { digest, skips } = parseWhole(join(REAL, 'fe5e1c67-53e7-4862-81ae-d0e013e3270b.head40.jsonl'));
    expect(skips).toEqual([]);
    expect(digest?.prompts.map((p) => [p.command, p.text])).toEqual([['/orchestrator', 'create TODO app by Next.js']]);
    expect(digest?.models).toEqual(['claude-sonnet-4-20250514']);
    // msg_0175yHhPUPFGbabUiDkdjvaD repeats its usage on three records: output is counted once at its largest.
    const lines = readFileSync(join(REAL, 'fe5e1c67-53e7-4862-81ae-d0e013e3270b.head40.jsonl'), 'utf8').split('\n').filter(Boolean);
    const maxOutput = new Map<string, number>();
    for (const line of lines) {
      const r = JSON.parse(line) as { type: string; requestId?: string; message?: { id?: string; usage?: { output_tokens?: number } } };
      if (r.type !== 'assistant') continue;
      const key = `${r.message?.id}:${r.requestId}`;
      maxOutput.set(key, Math.max(maxOutput.get(key) ?? 0, r.message?.usage?.output_tokens ?? 0));
    }
    expect(digest?.tokens.output).toBe([...maxOutput.values()].reduce((a, b) => a + b, 0));
  });

  it('2.1.146 sdk-cli: queued prompt counted once, headless, last-prompt not a prompt', () => {
    const { digest, skips } = parseWhole(join(REAL, '399366ae-4ecb-4e13-9972-e423b4a03df6.jsonl'));
    expect(skips).toEqual([]);
    expect(digest?.prompts.map((p) => p.text)).toEqual([
      'Read .copilot/skills/demo-greeter/SKILL.md, then use the Task tool to delegate a subagent that (1) counts lines in hello.py and (2) summarizes README.md in one sentence. Report subagent findings.',
    ]);
    expect(digest?.headless).toBe(true);
    expect(digest?.tools).toEqual(['Read', 'Agent']);
    expect(digest?.models).toEqual(['claude-sonnet-4.6']);
    expect(digest?.startedAt).toBe('2026-05-26T16:15:20.935Z');
    expect(digest?.endedAt).toBe('2026-05-26T16:15:50.747Z');
  });
});

describe('Claude Code parser: every rule of reference 1.6 (synthetic fixture)', () => {
  const { digest, skips } = parseWhole(join(SYNTHETIC, 'rules-1-6.jsonl'));

  it('keeps exactly the real prompts, in order, with slash-command intent and stripped tags', () => {
    expect(digest?.prompts.map((p) => (p.command ? `${p.command} ${p.text}` : p.text))).toEqual([
      'Fix the failing test in src/cart.test.ts',
      '/review check src/app.ts for bugs',
      'explain this function',
      'also update the changelog',
      'and bump the version',
      'no, that is wrong: the version should be 1.3.1',
      'no, that is wrong: the version should be 1.3.1 not 1.4.0',
      'thanks, perfect',
    ]);
  });

  it('aligns the final answer of each prompt; sidechain text never becomes an answer', () => {
    expect(digest?.finalAnswers).toEqual([
      'Fixed the rounding bug in cart.ts.', // a later response replaces an earlier one's text
      'One bug: null dereference at src/app.ts:12.',
      'It rounds half to even.',
      '',
      'Changelog updated; version is now 1.4.0.',
      'Sorry, set it to 1.3.1.',
      'Done: 1.3.1.',
      'Glad to help.',
    ]);
  });

  it('reads interrupts, corrections, praise and re-asks with the prompt they belong to', () => {
    expect(digest?.feedback).toContainEqual({ kind: 'interrupt', text: '[Request interrupted by user for tool use]', promptIndex: 1 });
    expect(digest?.feedback).toContainEqual({ kind: 'interrupt', text: '[Request interrupted by user]', promptIndex: 6 });
    expect(digest?.feedback).toContainEqual(expect.objectContaining({ kind: 'correction', promptIndex: 5 }));
    expect(digest?.feedback).toContainEqual(expect.objectContaining({ kind: 're-ask', promptIndex: 6 }));
    expect(digest?.feedback).toContainEqual(expect.objectContaining({ kind: 'praise', promptIndex: 7 }));
    expect(digest?.feedback.filter((f) => f.kind === 're-ask')).toHaveLength(1);
  });

  it('collects tools (sidechains included), skills, files, project and tokens', () => {
    expect(digest?.tools).toEqual(['Read', 'Edit', 'Skill', 'Task', 'Grep', 'Write']);
    // `/review …` typed by the person, then the model's Skill tool call during a later prompt.
    expect(digest?.skills).toEqual(['review', 'code-review']);
    expect(digest?.filesTouched).toEqual(['/home/dev/shop/src/cart.ts', '/home/dev/shop/CHANGELOG.md', 'src/cart.ts', 'CHANGELOG.md']);
    expect(digest?.project).toEqual({ cwd: '/home/dev/shop', gitBranch: 'feature/cart' });
    expect(digest?.headless).toBe(false);
    // a1 is written twice with growing usage (output 5 then 20): counted once at 20.
    expect(digest?.tokens.output).toBe(20 + 30 + 40 + 10 + 10 + 5 + 25 + 30 + 30 + 30 + 20 + 20 + 5);
  });

  it('counts only the unknown record type as skipped', () => {
    expect(skips).toEqual(['unknown_record']);
  });
});

describe('Claude Code parser: bad input and resumption', () => {
  it('returns skips, never throws, on broken lines', () => {
    const parser = new ClaudeCodeParser('/x/s.jsonl');
    expect(parser.feedLine('{not json')).toMatchObject({ ok: false, reason: 'invalid_json' });
    expect(parser.feedLine('{"type":"user",')).toEqual({ ok: false, reason: 'invalid_json', detail: 'truncated (a torn write)' });
    expect(parser.feedLine('42')).toMatchObject({ ok: false, reason: 'unknown_record' });
    expect(parser.feedLine('{"no":"type"}')).toMatchObject({ ok: false, reason: 'missing_field' });
    expect(parser.feedLine('{"type":"user"}')).toMatchObject({ ok: false, reason: 'missing_field' });
    expect(parser.feedLine('{"type":"user","message":{"content":7}}')).toMatchObject({ ok: false, reason: 'missing_field' });
    expect(parser.feedLine('{"type":"assistant","message":{"content":"x","usage":{"output_tokens":"many"}}}')).toEqual({ ok: true });
    expect(parser.digests()[0]?.prompts).toEqual([]);
  });

  it('gives the same digest when parsing stops anywhere and resumes from saved state', () => {
    const path = join(SYNTHETIC, 'rules-1-6.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    const whole = parseWhole(path).digest;
    for (const cut of [1, 17, 30, 45]) {
      const first = new ClaudeCodeParser(path);
      for (const line of lines.slice(0, cut)) first.feedLine(line);
      const saved = JSON.parse(JSON.stringify(first.saveState())) as unknown;
      const second = new ClaudeCodeParser(path, saved);
      for (const line of lines.slice(cut)) second.feedLine(line);
      expect(second.digests()[0]).toEqual(whole);
    }
  });

  it('yields no digest for a file without conversation records', () => {
    const parser = new ClaudeCodeParser('/x/s.jsonl');
    parser.feedLine('{"type":"summary","summary":"t","leafUuid":"l"}');
    expect(parser.digests()).toEqual([]);
  });
});

describe('Claude Code tool errors', () => {
  it('records a failed tool call with its tool name against the prompt it served, across a resume', () => {
    const parser = new ClaudeCodeParser('/x/s.jsonl');
    const base = { sessionId: 's', cwd: '/p', version: '2.1.0', isSidechain: false, userType: 'external' };
    parser.feedLine(JSON.stringify({ ...base, type: 'user', uuid: 'u1', timestamp: '2026-03-02T10:00:00Z', message: { role: 'user', content: 'are the tests passing?' } }));
    parser.feedLine(JSON.stringify({ ...base, type: 'assistant', uuid: 'a1', timestamp: '2026-03-02T10:00:01Z', requestId: 'r1', message: { id: 'm1', role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'npm test' } }] } }));
    const resumed = new ClaudeCodeParser('/x/s.jsonl', JSON.parse(JSON.stringify(parser.saveState())));
    resumed.feedLine(JSON.stringify({ ...base, type: 'user', uuid: 'u2', timestamp: '2026-03-02T10:00:05Z', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', is_error: true, content: 'FAIL src/a.test.ts\n2 failed' }] } }));
    expect(resumed.digests()[0]?.toolErrors).toEqual([{ tool: 'Bash', promptIndex: 0, text: 'FAIL src/a.test.ts\n2 failed' }]);
  });
});

describe('Claude Code 2.1.332 (captured from the real CLI against a local Messages server)', () => {
  const NEW = join(import.meta.dirname, '../../../../fixtures/transcripts/claude-code-2.1.332');

  it('interactive: typed prompts in order, a project command recorded as the invoked skill, new record types quiet', () => {
    const { digest, skips } = parseWhole(join(NEW, '89d40fc6-3aa4-4afb-b9d7-fd9759ba22e4.jsonl'));
    // api-request, api-request-blob (role-user copies of what was sent), api-request-shape, atis-latch, cost-state.
    expect(skips).toEqual([]);
    expect(digest?.unknownRecords).toBeUndefined();
    expect(digest?.prompts.map((p) => [p.text, p.command, p.skill])).toEqual([
      ['fix the typo in README', undefined, undefined],
      ['PR #514 adds retry to the uploader', '/changelog-entry', 'changelog-entry'],
      ['now run the failing check', undefined, undefined],
    ]);
    expect(digest?.skills).toEqual(['changelog-entry']);
    expect(digest?.headless).toBe(false);
    expect(digest?.origin).toBe('cli');
    expect(digest?.agentVersions).toEqual(['2.1.332']);
    expect(digest?.emptyReason).toBeUndefined();
    // The rejected Bash call: a tool error, and the harness's interrupt line is feedback, not a prompt.
    expect(digest?.toolErrors?.[0]).toMatchObject({ tool: 'Bash', promptIndex: 2 });
    expect(digest?.feedback).toEqual([{ kind: 'interrupt', text: '[Request interrupted by user for tool use]', promptIndex: 2 }]);
    expect(digest?.tokens).toEqual({ input: 30 + 30 + 40, output: 5 + 5 + 9, cachedInput: 0 });
  });

  it('interactive: a user skill typed as /tidy-imports, then a failing Bash call', () => {
    const { digest, skips } = parseWhole(join(NEW, 'ec375591-cf4b-4cfb-974b-f1977b0250c6.jsonl'));
    expect(skips).toEqual([]);
    expect(digest?.prompts.map((p) => [p.text, p.skill])).toEqual([
      ['src/app.ts please', 'tidy-imports'],
      ['now run the failing check', undefined],
    ]);
    expect(digest?.finalAnswers[1]).toBe('The command failed as expected.');
    expect(digest?.toolErrors).toEqual([{ tool: 'Bash', promptIndex: 1, text: 'Exit code 3' }]);
  });

  it('-p: headless, origin sdk, one prompt from the queue and the user record', () => {
    const { digest, skips } = parseWhole(join(NEW, '5b14f39d-3fa6-4a32-9f75-b7cdfc17f5dd.jsonl'));
    expect(skips).toEqual([]);
    expect(digest?.prompts.map((p) => p.text)).toEqual(['now run the failing check']);
    expect(digest?.headless).toBe(true);
    expect(digest?.origin).toBe('sdk');
    expect(digest?.tokens).toEqual({ input: 90, output: 16, cachedInput: 0 });
  });

  it('an api-request-blob is never a prompt, an unknown type is counted per session', () => {
    const parser = new ClaudeCodeParser('/x/s.jsonl');
    const base = { sessionId: 's', cwd: '/p', version: '2.1.400', isSidechain: false, userType: 'external', entrypoint: 'cli' };
    expect(parser.feedLine(JSON.stringify({ type: 'api-request-blob', sessionId: 's', hash: 'h', message: { role: 'user', content: [{ type: 'text', text: 'injected context' }] } }))).toEqual({ ok: true });
    expect(parser.feedLine(JSON.stringify({ type: 'brand-new-record', sessionId: 's' }))).toEqual({ ok: false, reason: 'unknown_record', detail: 'brand-new-record' });
    parser.feedLine(JSON.stringify({ ...base, type: 'user', uuid: 'u1', timestamp: '2026-12-01T10:00:00Z', message: { role: 'user', content: 'real prompt' } }));
    parser.feedLine(JSON.stringify({ type: 'brand-new-record', sessionId: 's' }));
    const digest = parser.digests()[0];
    expect(digest?.prompts.map((p) => p.text)).toEqual(['real prompt']);
    expect(digest?.unknownRecords).toEqual({ 'brand-new-record': 2 });
    expect(digest?.agentVersions).toEqual(['2.1.400']);
  });

  it('a user turn whose origin is not a human is the harness\'s, never a prompt', () => {
    const parser = new ClaudeCodeParser('/x/s.jsonl');
    const base = { sessionId: 's', cwd: '/p', version: '2.1.332', isSidechain: false, userType: 'external', entrypoint: 'cli' };
    parser.feedLine(JSON.stringify({ ...base, type: 'user', uuid: 'u1', origin: { kind: 'scheduled_wakeup' }, timestamp: '2026-12-01T10:00:00Z', message: { role: 'user', content: 'Wake up and check the build' } }));
    expect(parser.digests()[0]?.emptyReason).toBe('only_origin_scheduled_wakeup');
    parser.feedLine(JSON.stringify({ ...base, type: 'user', uuid: 'u2', origin: { kind: 'human' }, timestamp: '2026-12-01T10:00:01Z', message: { role: 'user', content: 'check the build' } }));
    expect(parser.digests()[0]?.prompts.map((p) => p.text)).toEqual(['check the build']);
  });

  it('a session with no prompt says why', () => {
    const parser = new ClaudeCodeParser('/x/s.jsonl');
    const base = { sessionId: 's', cwd: '/p', version: '2.1.332', isSidechain: false, userType: 'external', entrypoint: 'cli' };
    parser.feedLine(JSON.stringify({ ...base, type: 'user', uuid: 'u1', timestamp: '2026-12-01T10:00:00Z', message: { role: 'user', content: '<command-name>/model</command-name>\n<command-args>opus</command-args>' } }));
    expect(parser.digests()[0]?.emptyReason).toBe('only_housekeeping_command');
    parser.feedLine(JSON.stringify({ ...base, type: 'user', uuid: 'u2', timestamp: '2026-12-01T10:00:01Z', message: { role: 'user', content: 'now a task' } }));
    expect(parser.digests()[0]?.emptyReason).toBeUndefined();
  });
});

describe('slash commands with arguments (issue 15 item 6)', () => {
  it('a command named like an argument-less built-in, typed with arguments, is the person\'s own: the arguments are the prompt', () => {
    const parser = new ClaudeCodeParser('/x/s.jsonl');
    const base = { sessionId: 's', cwd: '/p', version: '2.1.332', isSidechain: false, userType: 'external', entrypoint: 'cli' };
    parser.feedLine(JSON.stringify({ ...base, type: 'user', uuid: 'u1', timestamp: '2026-12-01T10:00:00Z', message: { role: 'user', content: '<command-message>release-notes</command-message>\n<command-name>/release-notes</command-name>\n<command-args>draft the changelog entry for PR #514</command-args>' } }));
    parser.feedLine(JSON.stringify({ ...base, type: 'user', uuid: 'u2', isMeta: true, timestamp: '2026-12-01T10:00:00Z', message: { role: 'user', content: [{ type: 'text', text: 'Draft release notes for draft the changelog entry for PR #514' }] } }));
    parser.feedLine(JSON.stringify({ ...base, type: 'user', uuid: 'u3', timestamp: '2026-12-01T10:01:00Z', message: { role: 'user', content: '<command-name>/release-notes</command-name>\n<command-args></command-args>' } }));
    const digest = parser.digests()[0];
    expect(digest?.prompts).toEqual([{ text: 'draft the changelog entry for PR #514', command: '/release-notes', skill: 'release-notes', at: '2026-12-01T10:00:00.000Z' }]);
    expect(digest?.skills).toEqual(['release-notes']);
  });
});
