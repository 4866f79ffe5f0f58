import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI, runCli, tempDir } from './helpers.js';

let home: string;
let client: Client;
let transport: StdioClientTransport;
let stderr = '';

beforeAll(async () => {
  home = tempDir('sos-mcp-');
  // Something to count: one harvested Claude Code session.
  const project = join(home, '.claude', 'projects', '-work-app');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 's1.jsonl'), `${JSON.stringify({ type: 'user', sessionId: 's1', cwd: '/work/app', timestamp: '2026-11-20T10:00:00.000Z', uuid: 'u1', message: { role: 'user', content: 'write a commit message for the retry fix' } })}\n`);
  expect(runCli(['harvest', '--json'], { home }).code).toBe(0);
  transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp'],
    env: { PATH: process.env.PATH ?? '', HOME: home, TZ: 'UTC', SKILLOPT_SLEEP_HOME: join(home, 'state') },
    cwd: home,
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  client = new Client({ name: 'e2e', version: '1.0.0' });
  await client.connect(transport);
});
afterAll(async () => {
  await client?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('skillopt-sleep mcp over real stdio', () => {
  it('identifies itself and answers tools/list with the seven sleep_* tools', async () => {
    expect(client.getServerVersion()?.name).toBe('skillopt-sleep');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['sleep_adopt', 'sleep_history', 'sleep_reject', 'sleep_report', 'sleep_rollback', 'sleep_run', 'sleep_status']);
  });

  it('answers tools/call sleep_status from the store', async () => {
    const result = await client.callTool({ name: 'sleep_status', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      stateDir: join(home, 'state'),
      daemon: { socket: join(home, 'state', 'control.sock'), running: false },
      running: null,
      lastNight: null,
      sources: [{ source: 'claude-code', sessions: 1 }],
      pending: [],
    });
  });

  it('sleep_run with dryRun runs a night in the server process on the simulator; sleep_report and sleep_history answer', { timeout: 120_000 }, async () => {
    const progress: string[] = [];
    const run = await client.callTool({ name: 'sleep_run', arguments: { dryRun: true } }, undefined, { onprogress: (p) => progress.push(p.message ?? ''), timeout: 110_000 });
    expect(run.isError, JSON.stringify(run.content)).toBeFalsy();
    const night = run.structuredContent as { command: string; data: { night: number; status: string; dryRun: boolean; trigger: string; files: { md: string } } };
    expect(night.command).toBe('run --dry-run');
    expect(night.data).toMatchObject({ night: 1, status: 'completed', dryRun: true, trigger: 'agent' });
    expect(existsSync(night.data.files.md)).toBe(true);
    expect(progress).toContain('harvest...');
    const report = await client.callTool({ name: 'sleep_report', arguments: { night: 1 } });
    expect(report.structuredContent).toMatchObject({ command: 'report --night 1', data: { night: 1, dryRun: true } });
    const history = await client.callTool({ name: 'sleep_history', arguments: { skill: 'skillopt-sleep-learned' } });
    expect(history.structuredContent).toMatchObject({ command: 'history skillopt-sleep-learned', data: { skill: 'skillopt-sleep-learned', versions: [{ version: 1, source: 'baseline' }] } });
    const status = await client.callTool({ name: 'sleep_status', arguments: {} });
    expect(status.structuredContent).toMatchObject({ lastNight: { night: 1, dryRun: true }, pending: [] });
    // Nothing staged: the derived file the hooks read lists nothing.
    expect(existsSync(join(home, 'state', 'pending.json'))).toBe(true);
  });

  it('a use-case error is a tool error with its code and fix', async () => {
    const result = await client.callTool({ name: 'sleep_adopt', arguments: {} });
    expect(result.isError).toBe(true);
    const blocks = result.content as Array<{ text: string }>;
    expect(blocks[0]!.text).toMatch(/^NOT_FOUND: no proposal is waiting for a decision\n {2}fix: /);
  });

  it('keeps stdout for the protocol: nothing but JSON-RPC reached the client, logs went to stderr', () => {
    // A stray stdout line would have failed the client's JSON-RPC parse and broken the calls above.
    expect(stderr).not.toContain('"jsonrpc"');
  });

  it('answers requests piped with stdin closed at once, every stdout line JSON-RPC, then exits 0', () => {
    const requests = [
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pipe', version: '1' } } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'sleep_status', arguments: {} } },
      { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'sleep_rollback', arguments: { to: 2 } } },
    ];
    const result = spawnSync(process.execPath, [CLI, 'mcp'], {
      input: requests.map((r) => JSON.stringify(r)).join('\n') + '\n',
      env: { PATH: process.env.PATH ?? '', HOME: home, TZ: 'UTC', SKILLOPT_SLEEP_HOME: join(home, 'state') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { jsonrpc: string; id: number; result?: { isError?: boolean; structuredContent?: unknown } });
    expect(lines.every((l) => l.jsonrpc === '2.0')).toBe(true);
    expect(lines.map((l) => l.id).sort()).toEqual([1, 2, 3]);
    expect(lines.find((l) => l.id === 2)?.result?.structuredContent).toMatchObject({ sources: [{ source: 'claude-code', sessions: 1 }] });
    // rollback without its SKILL argument is refused by the schema, as the CLI would refuse it.
    expect(lines.find((l) => l.id === 3)?.result?.isError).toBe(true);
  });
});
