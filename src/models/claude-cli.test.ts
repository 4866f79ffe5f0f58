import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installFakeClis, type FakeCliKit, type FakeCliMode } from '../../test/helpers/fake-cli.js';
import { buildClaudeArgs, createClaudeCliBackend, parseClaudeResult } from './claude-cli.js';
import { isOwnReplayCwd, OWN_REPLAY_DIR_PREFIX } from '../core/own-replay.js';
import { SkillOptError } from '../core/errors.js';
import { failureOf } from '../../test/helpers/failure-of.js';

let kit: FakeCliKit;
let work: string;

beforeAll(() => {
  kit = installFakeClis();
  work = mkdtempSync(join(tmpdir(), 'claude-cli-test-'));
});
afterAll(() => {
  rmSync(kit.binDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

function backend(mode: FakeCliMode, overrides: { timeoutMs?: number; allowTools?: boolean; command?: string } = {}) {
  return createClaudeCliBackend(
    { timeoutMs: overrides.timeoutMs ?? 10_000, model: 'sonnet', killGraceMs: 200, ...overrides },
    { env: kit.env(mode), tmpDir: work },
  );
}


const request = { system: 'Be brief.', user: 'What is 2+2?' };

describe('claude-cli backend', () => {
  it('returns the result text, usage with cache tokens, and cost from total_cost_usd', async () => {
    const reply = await backend('ok').complete(request);
    expect(reply.text).toBe('answer: What is 2+2?');
    expect(reply.usage).toEqual({ input: 150, output: 7, cachedInput: 30 });
    expect(reply.costUsd).toBeCloseTo(0.0123);
    expect(reply.backend).toBe('claude-cli');
    expect(reply.model).toBe('claude-sonnet-4-5');
  });

  it('installs the skill in a replay workspace, marks the env, and removes the workspace afterwards', async () => {
    await backend('record').complete({ ...request, skill: { name: 'Commit Style', text: '# Commits\nUse the imperative.' } });
    const seen = JSON.parse(readFileSync(kit.recordPath, 'utf8')) as {
      argv: string[]; cwd: string; stdin: string; replayEnv: string | null; skills: Record<string, string>; projectLink: boolean;
    };
    expect(isOwnReplayCwd(seen.cwd)).toBe(true);
    expect(seen.cwd.split('/').at(-1)?.startsWith(OWN_REPLAY_DIR_PREFIX)).toBe(true);
    expect(seen.replayEnv).toBe('1');
    expect(seen.stdin).toBe('What is 2+2?');
    expect(Object.keys(seen.skills)).toEqual(['commit-style']);
    expect(seen.skills['commit-style']).toContain('name: commit-style');
    expect(seen.skills['commit-style']).toContain('Use the imperative.');
    expect(seen.argv).toEqual([
      '-p', '--output-format', 'json', '--model', 'sonnet', '--append-system-prompt', 'Be brief.', '--tools', 'Skill', '--strict-mcp-config',
    ]);
    expect(seen.projectLink).toBe(false);
    expect(existsSync(seen.cwd)).toBe(false);
    expect(readdirSync(work)).toEqual([]);
  });

  it('reports tool calls from the verbose message array and permission denials', async () => {
    const reply = await backend('tools', { allowTools: true }).complete(request);
    expect(reply.toolCalls).toEqual(['Skill', 'Bash', 'Write']);
    expect(reply.text).toBe('answer: What is 2+2?');
  });

  it('maps an auth failure to AUTH with a login hint', async () => {
    const error = await failureOf(backend('auth').complete(request), SkillOptError);
    expect(error.code).toBe('AUTH');
    expect(error.hint).toContain('claude /login');
  });

  it('keeps the subscription login usable: no --bare even with a key set, HOME passed on, "Not logged in" is AUTH naming both fixes', async () => {
    const withKey = createClaudeCliBackend({ timeoutMs: 10_000, killGraceMs: 200 }, { env: kit.env('not-logged-in', { ANTHROPIC_API_KEY: 'sk-ant-test' }), tmpDir: work });
    const error = await failureOf(withKey.complete(request), SkillOptError);
    expect(error.code).toBe('AUTH');
    expect(error.message).toContain('not logged in');
    expect(error.hint).toContain('claude /login');
    expect(error.hint).toContain('ANTHROPIC_API_KEY');
    const seen = JSON.parse(readFileSync(kit.recordPath, 'utf8')) as { argv: string[]; home: string | null; apiKey: string | null };
    expect(seen.argv).not.toContain('--bare');
    expect(seen.argv.some((a) => /api-key|apiKeyHelper/i.test(a))).toBe(false);
    expect(seen.home).toBe(kit.binDir);
    expect(seen.apiKey).toBe('set');
  });

  it('maps a rate-limit result to RATE_LIMITED and max turns to BAD_REQUEST', async () => {
    expect((await failureOf(backend('rate').complete(request), SkillOptError)).code).toBe('RATE_LIMITED');
    expect((await failureOf(backend('error-result').complete(request), SkillOptError)).code).toBe('BAD_REQUEST');
  });

  it('maps a crash to UNAVAILABLE naming the exit code and stderr', async () => {
    const error = await failureOf(backend('crash').complete(request), SkillOptError);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('exit code 1');
    expect(error.message).toContain('something broke');
  });

  it('maps garbage to BAD_REQUEST and silence to EMPTY_REPLY, naming the backend', async () => {
    const garbage = await failureOf(backend('garbage').complete(request), SkillOptError);
    expect(garbage.code).toBe('BAD_REQUEST');
    expect(garbage.message).toContain('claude-cli');
    const empty = await failureOf(backend('empty').complete(request), SkillOptError);
    expect(empty.code).toBe('EMPTY_REPLY');
  });

  it('kills a hanging process group after timeoutMs and still removes the workspace', async () => {
    const error = await failureOf(backend('hang', { timeoutMs: 500 }).complete(request), SkillOptError);
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('500 ms');
    const { grandchildPid } = JSON.parse(readFileSync(kit.recordPath, 'utf8')) as { grandchildPid: number };
    // SIGKILL delivery to the orphan is asynchronous; give it a moment (not a timing assertion).
    for (let i = 0; i < 50 && isAlive(grandchildPid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(isAlive(grandchildPid)).toBe(false);
    expect(readdirSync(work)).toEqual([]);
  });

  it('escalates to SIGKILL when the CLI ignores SIGTERM', async () => {
    const error = await failureOf(backend('hang-stubborn', { timeoutMs: 300 }).complete(request), SkillOptError);
    expect(error.code).toBe('TIMEOUT');
    expect(readdirSync(work)).toEqual([]);
  });

  it('cancels on abort', async () => {
    const controller = new AbortController();
    const pending = backend('hang', { timeoutMs: 10_000 }).complete({ ...request, signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    expect((await failureOf(pending, SkillOptError)).code).toBe('CANCELLED');
    expect(readdirSync(work)).toEqual([]);
  });

  it('says UNAVAILABLE with an install hint when the command is not on PATH', async () => {
    const error = await failureOf(backend('ok', { command: 'claude-definitely-missing' }).complete(request), SkillOptError);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('not found on PATH');
    expect(error.hint).toContain('cli.command');
  });
});

/** Alive and not a zombie (a killed orphan may linger unreaped when the container's init does not reap). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) [ZX] /.test(stat);
  } catch {
    return true;
  }
}

describe('buildClaudeArgs', () => {
  it('asks for JSON in words when a schema is given and disables every tool without a skill', () => {
    const args = buildClaudeArgs({ timeoutMs: 1 }, { system: '', user: 'u', jsonSchema: { name: 'edits', schema: { type: 'object' } } });
    expect(args.slice(0, 4)).toEqual(['-p', '--output-format', 'json', '--append-system-prompt']);
    expect(args[4]).toContain('"edits"');
    expect(args.slice(5)).toEqual(['--tools', '', '--strict-mcp-config']);
  });
});

describe('parseClaudeResult', () => {
  it('never throws on bad input', () => {
    expect(parseClaudeResult('').ok).toBe(false);
    expect(parseClaudeResult('{"type":"assistant"}').ok).toBe(false);
    expect(parseClaudeResult('[1,2,').ok).toBe(false);
  });

  it('reads the result line after a warning line', () => {
    const parsed = parseClaudeResult('warning: something\n{"type":"result","subtype":"success","is_error":false,"result":"hi"}');
    expect(parsed.ok && parsed.value.result).toBe('hi');
  });
});
