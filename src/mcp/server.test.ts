import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { SkillOptError } from '../core/errors.js';
import { createMcpServer } from './server.js';
import { flagKey, TOOL_SPECS } from './tool-specs.js';
import type { CallContext, SleepApi, SleepStatus } from './api.js';

const STATUS: SleepStatus = {
  stateDir: '/state',
  daemon: { socket: '/state/control.sock', running: false },
  service: { installed: false, running: false, detail: 'not installed' },
  running: null,
  lastNight: { night: 2, status: 'completed', startedAt: '2026-11-20T03:00:00.000Z', finishedAt: '2026-11-20T03:10:00.000Z', dryRun: false, report: '/state/nights/2/report.md' },
  nextNight: { at: '2026-11-21T03:00:00.000Z', detail: 'scheduled' },
  pending: [{ night: 2, skill: 'commit-style', proposalId: 5, flagged: 0, testBefore: 0.3, testAfter: 0.6, valBefore: 0.4, valAfter: 0.7 }],
  replaySet: { train: 4, val: 3, test: 2, unsplit: 0, total: 9 },
  sources: [{ source: 'claude-code', sessions: 2, lastHarvest: '2026-11-20T10:00:00.000Z' }],
  skills: [{ name: 'commit-style', kind: 'user', version: 3, state: 'installed', path: '/home/.claude/skills/commit-style/SKILL.md' }],
  problems: [],
};

/** A SleepApi that records every call and answers with what the test sets. */
function fakeApi() {
  const calls: Array<{ method: string; input: unknown }> = [];
  let failWith: Error | undefined;
  let progress: string[] = [];
  const answer = (method: string) => async (input: unknown, call: CallContext) => {
    calls.push({ method, input });
    if (failWith) throw failWith;
    for (const line of progress) call.onProgress?.(line);
    return { command: method, data: { ok: true, echo: input } };
  };
  const api: SleepApi = {
    status: async (input) => {
      calls.push({ method: 'status', input });
      if (failWith) throw failWith;
      return STATUS;
    },
    run: answer('run'),
    report: answer('report'),
    adopt: answer('adopt'),
    reject: answer('reject'),
    rollback: answer('rollback'),
    history: answer('history'),
  };
  return {
    api,
    calls,
    fail: (error: Error) => (failWith = error),
    emit: (lines: string[]) => (progress = lines),
  };
}

let client: Client;
let fake: ReturnType<typeof fakeApi>;

beforeEach(async () => {
  fake = fakeApi();
  const server = createMcpServer(fake.api, { version: '0.0.0-test' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  client = new Client({ name: 'test', version: '1.0.0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  // Listing first makes the client validate every structured result against the tool's output schema.
  await client.listTools();
});

/** The JSON error block of a tool error. */
function errorOf(result: Record<string, unknown>): unknown {
  const blocks = result.content as Array<{ text: string }>;
  return JSON.parse(blocks[1]!.text);
}
afterEach(async () => {
  await client.close();
});

describe('MCP server', () => {
  it('lists the seven tools with input schemas that have exactly the spec keys and types, unknown keys refused', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOL_SPECS.map((s) => s.tool));
    for (const spec of TOOL_SPECS) {
      const tool = tools.find((t) => t.name === spec.tool)!;
      const properties = (tool.inputSchema.properties ?? {}) as Record<string, { type?: string }>;
      const expected: Record<string, string> = {};
      for (const arg of spec.args) expected[arg.name] = 'string';
      for (const flag of spec.flags.filter((f) => !f.cliOnly)) expected[flagKey(flag.flag)] = flag.type === 'int' ? 'integer' : flag.type;
      expect(Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, v.type])), spec.tool).toEqual(expected);
      expect(tool.inputSchema.required ?? []).toEqual(spec.args.filter((a) => a.required).map((a) => a.name));
      expect((tool.inputSchema as { additionalProperties?: unknown }).additionalProperties).toBe(false);
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.annotations?.readOnlyHint).toBe(spec.readOnly);
    }
  });

  it('sleep_status returns the status as structured content and as JSON text', async () => {
    const result = await client.callTool({ name: 'sleep_status', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual(STATUS);
    const text = (result.content as Array<{ type: string; text: string }>)[0]!.text;
    expect(JSON.parse(text)).toEqual(STATUS);
  });

  it('passes the parsed input to the matching method', async () => {
    await client.callTool({ name: 'sleep_run', arguments: { now: true, dryRun: true, skill: 'commit-style' } });
    await client.callTool({ name: 'sleep_rollback', arguments: { skill: 'commit-style', to: 2 } });
    await client.callTool({ name: 'sleep_adopt', arguments: { night: 4, all: true } });
    expect(fake.calls).toEqual([
      { method: 'run', input: { now: true, dryRun: true, skill: 'commit-style' } },
      { method: 'rollback', input: { skill: 'commit-style', to: 2 } },
      { method: 'adopt', input: { night: 4, all: true } },
    ]);
  });

  it('refuses bad input before any method runs: a wrong type, a missing skill, an unknown key, --skill with --all', async () => {
    const bad = [
      { name: 'sleep_report', arguments: { night: 'latest' } },
      { name: 'sleep_history', arguments: {} },
      { name: 'sleep_run', arguments: { force: true } },
      { name: 'sleep_report', arguments: { night: 0 } },
    ];
    for (const call of bad) {
      const result = await client.callTool(call);
      expect(result.isError, JSON.stringify(call)).toBe(true);
    }
    const both = await client.callTool({ name: 'sleep_reject', arguments: { skill: 'a', all: true } });
    expect(both.isError).toBe(true);
    expect(errorOf(both)).toMatchObject({ error: { code: 'INPUT', message: expect.stringContaining('--all and --skill') } });
    expect(fake.calls).toEqual([]);
  });

  it('turns a SkillOptError into a tool error with its code, message and fix', async () => {
    fake.fail(new SkillOptError('NOT_FOUND', 'no night 7', { hint: 'run `skillopt-sleep status` to see the nights' }));
    const result = await client.callTool({ name: 'sleep_report', arguments: { night: 7 } });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(errorOf(result)).toEqual({ error: { code: 'NOT_FOUND', message: 'no night 7', hint: 'run `skillopt-sleep status` to see the nights' } });
    expect((result.content as Array<{ text: string }>)[0]!.text).toBe('NOT_FOUND: no night 7\n  fix: run `skillopt-sleep status` to see the nights');
  });

  it('forwards progress lines as progress notifications when the client asks for them', async () => {
    fake.emit(['harvest: 3 sessions', 'step 1/2: 2 edits proposed']);
    const seen: Array<{ progress: number; message?: string }> = [];
    const result = await client.request(
      { method: 'tools/call', params: { name: 'sleep_run', arguments: { now: true } } },
      CallToolResultSchema,
      { onprogress: (p) => seen.push({ progress: p.progress, ...(p.message ? { message: p.message } : {}) }) },
    );
    expect(result.isError).toBeFalsy();
    expect(seen).toEqual([
      { progress: 1, message: 'harvest: 3 sessions' },
      { progress: 2, message: 'step 1/2: 2 edits proposed' },
    ]);
  });
});
