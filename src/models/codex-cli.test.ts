import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installFakeClis, type FakeCliKit, type FakeCliMode } from '../../test/helpers/fake-cli.js';
import { buildCodexArgs, createCodexCliBackend, parseCodexEvents } from './codex-cli.js';
import { isOwnReplayCwd } from '../core/own-replay.js';
import { SkillOptError } from '../core/errors.js';
import { failureOf } from '../../test/helpers/failure-of.js';

let kit: FakeCliKit;
let work: string;

beforeAll(() => {
  kit = installFakeClis();
  work = mkdtempSync(join(tmpdir(), 'codex-cli-test-'));
});
afterAll(() => {
  rmSync(kit.binDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

function backend(mode: FakeCliMode, overrides: Partial<Parameters<typeof createCodexCliBackend>[0]> = {}) {
  return createCodexCliBackend({ timeoutMs: 10_000, killGraceMs: 200, ...overrides }, { env: kit.env(mode), tmpDir: work });
}


const request = { system: 'Answer in one line.', user: 'Name a prime.' };

describe('codex-cli backend', () => {
  it('returns the last agent message and the usage of turn.completed', async () => {
    const reply = await backend('ok', { model: 'gpt-5-codex' }).complete(request);
    expect(reply.text).toBe('answer: Name a prime.');
    expect(reply.usage).toEqual({ input: 1200, output: 345, cachedInput: 200 });
    expect(reply.costUsd).toBeUndefined();
    expect(reply.model).toBe('gpt-5-codex');
    expect(reply.toolCalls).toEqual([]);
  });

  it('installs the skill under .agents/skills, puts the system text in AGENTS.md, marks cwd and env, cleans up', async () => {
    await backend('record', { model: 'gpt-5' }).complete({ ...request, skill: { name: 'units', text: '---\nname: units\ndescription: SI units\n---\nUse SI units.' } });
    const seen = JSON.parse(readFileSync(kit.recordPath, 'utf8')) as {
      argv: string[]; cwd: string; stdin: string; replayEnv: string | null; skills: Record<string, string>; agentsMd: string | null;
    };
    expect(seen.argv).toEqual(['exec', '--json', '--skip-git-repo-check', '--color', 'never', '--sandbox', 'read-only', '--model', 'gpt-5', '-']);
    expect(isOwnReplayCwd(seen.cwd)).toBe(true);
    expect(seen.replayEnv).toBe('1');
    expect(seen.stdin).toBe('Name a prime.');
    expect(seen.skills).toEqual({ units: '---\nname: units\ndescription: SI units\n---\nUse SI units.' });
    expect(seen.agentsMd).toBe('Answer in one line.\n');
    expect(existsSync(seen.cwd)).toBe(false);
    expect(readdirSync(work)).toEqual([]);
  });

  it('inlines the skill into AGENTS.md with the skills-dir+agents-md layout', async () => {
    await backend('record', { skillLayout: 'skills-dir+agents-md' }).complete({ ...request, skill: { name: 'units', text: 'Use SI units.' } });
    const seen = JSON.parse(readFileSync(kit.recordPath, 'utf8')) as { agentsMd: string | null };
    expect(seen.agentsMd).toContain('Answer in one line.');
    expect(seen.agentsMd).toContain('Use SI units.');
  });

  it('links the project only when project access is allowed', async () => {
    const project = mkdtempSync(join(tmpdir(), 'project-'));
    try {
      await backend('record', { projectDir: project }).complete(request);
      expect((JSON.parse(readFileSync(kit.recordPath, 'utf8')) as { projectLink: boolean }).projectLink).toBe(false);
      await backend('record', { projectDir: project, allowProjectAccess: true }).complete(request);
      expect((JSON.parse(readFileSync(kit.recordPath, 'utf8')) as { projectLink: boolean }).projectLink).toBe(true);
      expect(existsSync(project)).toBe(true);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('reports command and MCP tool calls once each', async () => {
    const reply = await backend('tools', { allowTools: true }).complete(request);
    expect(reply.toolCalls).toEqual(['shell', 'docs.search']);
  });

  it('maps turn.failed with 401 to AUTH with a codex login hint', async () => {
    const error = await failureOf(backend('auth').complete(request), SkillOptError);
    expect(error.code).toBe('AUTH');
    expect(error.hint).toContain('codex login');
  });

  it('maps a usage limit to RATE_LIMITED and a crash to UNAVAILABLE', async () => {
    expect((await failureOf(backend('rate').complete(request), SkillOptError)).code).toBe('RATE_LIMITED');
    const crash = await failureOf(backend('crash').complete(request), SkillOptError);
    expect(crash.code).toBe('UNAVAILABLE');
    expect(crash.message).toContain('something broke');
  });

  it('maps garbage to BAD_REQUEST and silence to EMPTY_REPLY', async () => {
    expect((await failureOf(backend('garbage').complete(request), SkillOptError)).code).toBe('BAD_REQUEST');
    const empty = await failureOf(backend('empty').complete(request), SkillOptError);
    expect(empty.code).toBe('EMPTY_REPLY');
    expect(empty.message).toContain('codex-cli');
  });

  it('stops a hang with TIMEOUT and removes the workspace', async () => {
    const error = await failureOf(backend('hang', { timeoutMs: 400 }).complete(request), SkillOptError);
    expect(error.code).toBe('TIMEOUT');
    expect(readdirSync(work)).toEqual([]);
  });
});

describe('buildCodexArgs', () => {
  it('uses a workspace-write sandbox only when tools are allowed, and keeps - last', () => {
    const args = buildCodexArgs({ timeoutMs: 1, allowTools: true, extraArgs: ['-c', 'x=1'] }, { system: '', user: '' });
    expect(args).toEqual(['exec', '--json', '--skip-git-repo-check', '--color', 'never', '--sandbox', 'workspace-write', '-c', 'x=1', '-']);
  });
});

describe('parseCodexEvents', () => {
  it('skips malformed lines, counts them, and sums usage over turns', () => {
    const events = parseCodexEvents(
      [
        '{"type":"thread.started","thread_id":"t1"}',
        'not json',
        '[1,2]',
        '{"type":"turn.completed","usage":{"input_tokens":10,"cached_input_tokens":0,"output_tokens":2}}',
        '{"type":"item.completed","item":{"id":"a","type":"agent_message","text":"hi"}}',
        '{"type":"turn.completed","usage":{"input_tokens":5,"output_tokens":1}}',
        '{"type":"some.future.event"}',
      ].join('\n'),
    );
    expect(events.skippedLines).toBe(2);
    expect(events.threadId).toBe('t1');
    expect(events.finalText).toBe('hi');
    expect(events.usage).toEqual({ input: 15, output: 3, cachedInput: 0 });
  });
});
