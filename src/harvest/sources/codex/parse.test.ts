import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionDigest, SkipReason } from '../../types.js';
import { CodexParser, codexIdFromPath } from './parse.js';
import { CODEX_INJECTED_PREFIXES, codexInjectedKind } from './injected.js';

const REAL = join(import.meta.dirname, '../../../../fixtures/transcripts/codex');
const SYNTHETIC = join(import.meta.dirname, '../../../../fixtures/transcripts/synthetic/codex');

function parseWhole(path: string): { digest: SessionDigest | undefined; skips: SkipReason[] } {
  const parser = new CodexParser(path);
  const skips: SkipReason[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const outcome = parser.feedLine(line);
    if (!outcome.ok) skips.push(outcome.reason);
  }
  return { digest: parser.digests()[0], skips };
}

function fixture(dir: string, idPart: string): string {
  const name = readdirSync(dir).find((f) => f.includes(idPart));
  if (!name) throw new Error(`no fixture ${idPart}`);
  return join(dir, name);
}

describe('Codex parser on real rollouts (0.104, Codex Desktop)', () => {
  const cases: Array<[string, string, string[]]> = [
    ['019c8a70', '019c8a70-dda7-7f33-98ea-f30553347322', ['[REDACTED_MESSAGE len=86 sha=2239bcba]']],
    ['019c8bfe', '019c8bfe-ec25-79e0-97d7-bda6a9c575ff', ['[REDACTED_MESSAGE len=98 sha=c002ff99]']],
    ['019c8a4d', '019c8a4d-8f45-7010-8b5d-7fad920aa6f9', ['[REDACTED_MESSAGE len=115 sha=a83ebe6f]']],
  ];
  it.each(cases)('%s: exactly one prompt from event_msg/user_message, none from the 3-4 user-role items', (idPart, id, prompts) => {
    const { digest, skips } = parseWhole(fixture(REAL, idPart));
    expect(skips).toEqual([]);
    expect(digest?.sessionId).toBe(id);
    expect(digest?.prompts.map((p) => p.text)).toEqual(prompts);
    expect(digest?.finalAnswers).toHaveLength(1);
    expect(digest?.models).toEqual(['gpt-5.3-codex']);
    expect(digest?.headless).toBe(false);
  });

  it('reads tools, project, git and cumulative tokens', () => {
    const { digest } = parseWhole(fixture(REAL, '019c8bfe'));
    expect(digest?.tools).toEqual(['mcp__cloud-associates__search_workflows', '[REDACTED_NAME len=43 sha=c186413b]', 'mcp__cloud-associates__execute_workflow']);
    expect(digest?.project).toEqual({ cwd: '/redacted/path/ea96e59ed9', gitBranch: 'main', gitRepo: 'redacted://url/4eecca0551' });
    expect(digest?.tokens).toEqual({ input: 298373, output: 1123, cachedInput: 238848 });
    expect(digest?.startedAt).toBe('2026-02-23T19:34:25.573Z');
    expect(digest?.endedAt).toBe('2026-02-23T19:36:02.635Z');
    expect(digest?.finalAnswers).toEqual(['[REDACTED_LAST_AGENT_MESSAGE len=647 sha=10502814]']);
  });

  it('the long agentic rollout lists its two tools once each', () => {
    const { digest } = parseWhole(fixture(REAL, '019c8a4d'));
    expect(digest?.tools).toEqual(['exec_command', 'write_stdin']);
    expect(digest?.tokens.input).toBeGreaterThan(0);
  });
});

describe('Codex parser on synthetic rollouts', () => {
  it('envelope rollout: one channel, injected items skipped, duplicates folded, feedback read', () => {
    const { digest, skips } = parseWhole(fixture(SYNTHETIC, '1111'));
    expect(digest?.prompts.map((p) => p.text)).toEqual([
      'Add a /health endpoint to the API',
      'no, it should return JSON {"status":"ok"}',
      'no, it should return JSON {"status":"ok"} please',
      'thanks, that works',
    ]);
    expect(digest?.finalAnswers).toEqual(['Added GET /health returning 200.', '', 'Now returns {"status":"ok"}.', 'Great.']);
    expect(digest?.tools).toEqual(['apply_patch', 'exec_command', 'web_search']);
    expect(digest?.skills).toEqual(['release-notes']);
    expect(digest?.filesTouched).toEqual(['src/health.ts', 'src/server.ts', '/home/dev/api/src/health.ts']);
    expect(digest?.models).toEqual(['gpt-5.3-codex', 'gpt-5.4']);
    expect(digest?.tokens).toEqual({ input: 9000, output: 500, cachedInput: 7000 });
    expect(digest?.project).toEqual({ cwd: '/home/dev/api', gitBranch: 'main', gitRepo: 'https://github.com/acme/api.git' });
    expect(digest?.feedback).toContainEqual({ kind: 'interrupt', text: '[turn aborted: interrupted]', promptIndex: 1 });
    expect(digest?.feedback).toContainEqual(expect.objectContaining({ kind: 'correction', promptIndex: 1 }));
    expect(digest?.feedback).toContainEqual(expect.objectContaining({ kind: 'praise', promptIndex: 3 }));
    // Prompt 2 follows prompt 1, but prompt 1 was interrupted before any answer: not a re-ask.
    expect(digest?.feedback.filter((f) => f.kind === 're-ask')).toEqual([]);
    expect(skips).toEqual(['unknown_record']);
  });

  it('legacy unwrapped rollout: prompts from user-role items, every injected kind dropped', () => {
    const { digest, skips } = parseWhole(fixture(SYNTHETIC, '5973b6c0'));
    expect(skips).toEqual([]);
    expect(digest?.sessionId).toBe('5973b6c0-94b8-487b-a530-2aeb6098ae0e');
    expect(digest?.prompts.map((p) => p.text)).toEqual(['Rename the Button component to BaseButton', 'Now update the storybook stories too']);
    expect(digest?.finalAnswers).toEqual(['Renamed in 4 files.', 'Stories updated.']);
    expect(digest?.tools).toEqual(['local_shell', 'shell']);
    expect(digest?.project).toEqual({ cwd: '/home/dev/api', gitBranch: 'dev', gitRepo: 'git@github.com:acme/web.git' });
    expect(digest?.startedAt).toBe('2025-08-01T10:00:00.000Z');
  });

  it('codex exec session is marked headless', () => {
    const { digest } = parseWhole(fixture(SYNTHETIC, '3333'));
    expect(digest?.headless).toBe(true);
    expect(digest?.prompts.map((p) => p.text)).toEqual(['Write a commit message for the staged diff']);
    expect(digest?.project?.cwd).toBe('/tmp/skillopt-sleep-replay-abc123/work');
  });

  it('sub-agent thread contributes tools but no prompts', () => {
    const { digest } = parseWhole(fixture(SYNTHETIC, '4444'));
    expect(digest?.prompts).toEqual([]);
    expect(digest?.tools).toEqual(['exec_command']);
  });
});

describe('Codex injected context', () => {
  it('recognises every injected kind and passes ordinary prompts', () => {
    for (const prefix of CODEX_INJECTED_PREFIXES) expect(codexInjectedKind(`${prefix} body`)).toBeDefined();
    expect(codexInjectedKind('Add a test for <environment_context> parsing')).toBeUndefined();
    expect(codexInjectedKind('  <environment_context>\n<cwd>/x</cwd>')).toBe('environment_context');
  });

  it('takes the session id from the file name when no meta line is read', () => {
    expect(codexIdFromPath('/s/2026/01/02/rollout-2026-01-02T10-00-00-019c8a70-dda7-7f33-98ea-f30553347322.jsonl')).toBe('019c8a70-dda7-7f33-98ea-f30553347322');
  });

  it('never throws on broken lines', () => {
    const parser = new CodexParser('/x/rollout-a.jsonl');
    expect(parser.feedLine('{"timestamp":1,')).toEqual({ ok: false, reason: 'invalid_json', detail: 'truncated (a torn write)' });
    expect(parser.feedLine('{"type":"event_msg","payload":{"type":"user_message"}}')).toMatchObject({ ok: false, reason: 'missing_field' });
    expect(parser.feedLine('{"type":"response_item","payload":{"type":"function_call"}}')).toMatchObject({ ok: false, reason: 'missing_field' });
    expect(parser.feedLine('{"type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":"x"}}}')).toEqual({ ok: true });
    expect(parser.feedLine('{"record_type":"state"}')).toEqual({ ok: true });
    expect(parser.feedLine('[]')).toMatchObject({ ok: false, reason: 'unknown_record' });
  });
});

describe('Codex tool errors', () => {
  it('records a command that exited non-zero, and ignores exit code 0', () => {
    const parser = new CodexParser('/x/rollout-a.jsonl');
    parser.feedLine(JSON.stringify({ timestamp: '2026-03-04T12:00:00Z', type: 'event_msg', payload: { type: 'user_message', message: 'run cargo test' } }));
    parser.feedLine(JSON.stringify({ timestamp: '2026-03-04T12:00:02Z', type: 'event_msg', payload: { type: 'exec_command_end', call_id: 'c1', exit_code: 0, stdout: 'ok' } }));
    parser.feedLine(JSON.stringify({ timestamp: '2026-03-04T12:00:03Z', type: 'event_msg', payload: { type: 'exec_command_end', call_id: 'c2', exit_code: 101, stderr: 'test result: FAILED. 1 failed' } }));
    expect(parser.digests()[0]?.toolErrors).toEqual([{ tool: 'exec_command', promptIndex: 0, text: 'exit code 101: test result: FAILED. 1 failed' }]);
  });
});

describe('Codex 0.171.0 (captured from the real CLI against a local Responses server)', () => {
  const NEW = join(import.meta.dirname, '../../../../fixtures/transcripts/codex-0.171.0');

  it('TUI: every typed prompt once, in order, from item_completed/UserMessage; the $skill mention recorded', () => {
    const { digest, skips } = parseWhole(fixture(NEW, '8def'));
    expect(skips).toEqual([]);
    expect(digest?.prompts.map((p) => [p.text, p.skill])).toEqual([
      ['fix the typo in README', undefined],
      ['no, the other typo', undefined],
      ['$changelog-entry for PR #514', 'changelog-entry'],
    ]);
    expect(digest?.finalAnswers).toEqual(['Answer to: fix the typo in README', 'Answer to: no, the other typo', expect.stringMatching(/^Answer to: <skill>/)]);
    expect(digest?.skills).toEqual(['changelog-entry']);
    // session_meta says originator codex-tui, source vscode: an interactive terminal session, not an IDE.
    expect(digest?.origin).toBe('cli');
    expect(digest?.headless).toBe(false);
    expect(digest?.agentVersions).toEqual(['0.171.0']);
    expect(digest?.feedback).toContainEqual(expect.objectContaining({ kind: 'correction', promptIndex: 1 }));
    expect(digest?.tokens).toEqual({ input: 90, output: 15, cachedInput: 12 });
  });

  it('exec: headless, one prompt, tokens from token_count', () => {
    const { digest, skips } = parseWhole(fixture(NEW, '75e0'));
    expect(skips).toEqual([]);
    expect(digest?.prompts.map((p) => p.text)).toEqual(['say hello please']);
    expect(digest?.finalAnswers).toEqual(['Answer to: say hello please']);
    expect(digest?.headless).toBe(true);
    expect(digest?.origin).toBe('exec');
    expect(digest?.tokens).toEqual({ input: 30, output: 5, cachedInput: 4 });
  });

  it('exec then exec resume into the same rollout: both prompts, the failed command as a tool error', () => {
    const { digest } = parseWhole(fixture(NEW, 'b8e9'));
    expect(digest?.prompts.map((p) => p.text)).toEqual(['now run the failing check', 'follow up after resume']);
    expect(digest?.finalAnswers).toEqual(['The check failed as expected.', 'Answer to: follow up after resume']);
    expect(digest?.tools).toEqual(['exec_command']);
    expect(digest?.toolErrors).toEqual([{ tool: 'exec_command', promptIndex: 0, text: 'exit code 3:' }]);
    expect(digest?.tokens).toEqual({ input: 120, output: 21, cachedInput: 14 });
  });

  it('exec fork: only the fork\'s own prompt and tokens, the parent named', () => {
    const { digest } = parseWhole(fixture(NEW, 'bd0a'));
    expect(digest?.prompts.map((p) => p.text)).toEqual(['follow up in the fork']);
    expect(digest?.forkedFrom).toBe('01a23343-b8e9-7e13-855e-63e422147e9d');
    // The fork's first thread total (150) includes the parent's 120.
    expect(digest?.tokens).toEqual({ input: 30, output: 5, cachedInput: 4 });
  });

  it('never counts a prompt twice when a build writes both event channels', () => {
    const parser = new CodexParser('/x/rollout-a.jsonl');
    const at = '2026-12-01T10:00:00Z';
    parser.feedLine(JSON.stringify({ timestamp: at, type: 'session_meta', payload: { id: 'a', timestamp: at, originator: 'codex_vscode', source: 'vscode', cli_version: '0.170.0' } }));
    parser.feedLine(JSON.stringify({ timestamp: at, type: 'event_msg', payload: { type: 'user_message', message: 'add a test' } }));
    parser.feedLine(JSON.stringify({ timestamp: at, type: 'event_msg', payload: { type: 'item_completed', item: { type: 'UserMessage', content: [{ type: 'text', text: 'add a test' }] } } }));
    parser.feedLine(JSON.stringify({ timestamp: at, type: 'event_msg', payload: { type: 'item_completed', item: { type: 'AgentMessage', content: [{ type: 'Text', text: 'Added.' }] } } }));
    parser.feedLine(JSON.stringify({ timestamp: at, type: 'event_msg', payload: { type: 'item_completed', item: { type: 'UserMessage', content: [{ type: 'text', text: 'and another' }] } } }));
    const digest = parser.digests()[0];
    expect(digest?.prompts.map((p) => p.text)).toEqual(['add a test']);
    expect(digest?.origin).toBe('ide');
  });

  it('a rollout with answers but no prompt says so; a sub-agent thread says it is one', () => {
    const parser = new CodexParser('/x/rollout-a.jsonl');
    const at = '2026-12-01T10:00:00Z';
    parser.feedLine(JSON.stringify({ timestamp: at, type: 'session_meta', payload: { id: 'a', timestamp: at } }));
    parser.feedLine(JSON.stringify({ timestamp: at, type: 'event_msg', payload: { type: 'agent_message', message: 'Done.' } }));
    expect(parser.feedLine(JSON.stringify({ timestamp: at, type: 'future_record', payload: {} }))).toMatchObject({ reason: 'unknown_record' });
    expect(parser.digests()[0]).toMatchObject({ emptyReason: 'answers_without_prompt', unknownRecords: { future_record: 1 } });
    expect(parseWhole(fixture(SYNTHETIC, '4444')).digest?.emptyReason).toBe('subagent_thread');
  });
});
