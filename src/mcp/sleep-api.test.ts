import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { createTestDeps } from '../../test/helpers/app-deps.js';
import { personaHome } from '../../test/helpers/persona-home.js';
import { sha256 } from '../core/hash.js';
import { syncSkill } from '../skills/disk.js';
import { managedTarget } from '../skills/targets.js';
import { stageProposal } from '../store/proposals-repo.js';
import { createMcpServer } from './server.js';
import { createSleepApi } from './sleep-api.js';

// The real in-process SleepApi (the app's use cases on test deps: temp HOME and state, fixed clock, simulated
// backends) behind the real server, reached by the SDK client over an in-memory transport.
const SKILL = 'skillopt-sleep-learned';
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

async function connect(options: { persona?: boolean } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'sos-mcp-api-'));
  const t = createTestDeps({ home: options.persona ? personaHome(home) : home });
  const opened: string[] = [];
  let made = 0;
  const api = createSleepApi({
    makeDeps: () => {
      made += 1;
      return t.deps;
    },
    probeDaemon: async () => false,
    openInBrowser: (path) => opened.push(path),
  });
  const server = createMcpServer(api, { version: '0.0.0-test' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'test', version: '1.0.0' });
  clients.push(client);
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  await client.listTools(); // the client then checks every structured result against the tool's output schema
  return { client, ...t, opened, made: () => made };
}

/** Stage a proposal for the managed skill directly in the store (a night's end result, without the night). */
function stage(t: Awaited<ReturnType<typeof connect>>, night: number, line: string) {
  const db = t.deps.openDb();
  const target = managedTarget(SKILL, ['claude-code'], { homeDir: t.home, env: {}, exists: existsSync });
  const base = syncSkill(db, target, t.clock.now().toISOString());
  const content = `${base.latest.content}\n${line}\n`;
  db.prepare("INSERT INTO nights (id, started_at, status, trigger) VALUES (?, '2026-02-14T03:00:00Z', 'completed', 'now')").run(night);
  return stageProposal(db, { nightId: night, skillId: base.skill.id, runId: null, baseVersion: base.latest.version, baseSha256: base.latest.sha256, content, sha256: sha256(content), recipe: { edits: [{ op: 'append', content: line }], protectedContent: null }, reapplicable: true, flags: [] }, '2026-02-14T03:05:00Z');
}

const data = (result: unknown) => (result as { structuredContent: { command: string; data: Record<string, unknown> } }).structuredContent;
const errorOf = (result: unknown) => JSON.parse(((result as { content: Array<{ text: string }> }).content[1]!).text) as { error: { code: string; message: string; hint?: string } };

describe('in-process SleepApi behind the MCP server', () => {
  it('sleep_status: runStatus of the store, the daemon probe, the state folder, nothing pending', async () => {
    const t = await connect();
    const result = await t.client.callTool({ name: 'sleep_status', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      stateDir: t.deps.paths.home,
      daemon: { socket: t.deps.paths.controlSocket, running: false },
      running: null,
      lastNight: null,
      pending: [],
      replaySet: { total: 0 },
      skills: [{ name: SKILL }],
    });
    expect(t.made()).toBe(1);
  });

  it('sleep_adopt writes the proposal, status and pending.json follow; sleep_history and sleep_rollback undo it', async () => {
    const t = await connect();
    const proposal = stage(t, 1, 'Answer in JSON only.');
    const status = await t.client.callTool({ name: 'sleep_status', arguments: {} });
    expect((status.structuredContent as { pending: unknown[] }).pending).toEqual([{ night: 1, skill: SKILL, proposalId: proposal.id, flagged: 0, testBefore: null, testAfter: null, valBefore: null, valAfter: null }]);

    const adopt = await t.client.callTool({ name: 'sleep_adopt', arguments: { night: 1 } });
    expect(adopt.isError).toBeFalsy();
    expect(data(adopt).command).toBe('adopt --night 1');
    expect(data(adopt).data).toMatchObject({ results: [{ skill: SKILL, night: 1, adopted: true, version: 2 }] });
    const file = join(t.home, '.claude', 'skills', SKILL, 'SKILL.md');
    expect(readFileSync(file, 'utf8')).toBe(proposal.content);
    expect(JSON.parse(readFileSync(t.deps.paths.pending, 'utf8'))).toMatchObject({ version: 1, pending: [] });

    const history = await t.client.callTool({ name: 'sleep_history', arguments: { skill: SKILL } });
    expect(data(history).command).toBe(`history ${SKILL}`);
    expect((data(history).data.versions as Array<{ source: string }>).map((v) => v.source)).toEqual(['baseline', 'adopted']);

    const rollback = await t.client.callTool({ name: 'sleep_rollback', arguments: { skill: SKILL } });
    expect(rollback.isError).toBeFalsy();
    expect(data(rollback)).toMatchObject({ command: `rollback ${SKILL}`, data: { skill: SKILL, restored: 1, version: 3, changed: true } });
    expect(readFileSync(file, 'utf8')).not.toContain('Answer in JSON only.');
  });

  it('sleep_reject records the decision and the edits; a second decision is a CONFLICT tool error with its fix', async () => {
    const t = await connect();
    stage(t, 1, 'Always sign commits.');
    const reject = await t.client.callTool({ name: 'sleep_reject', arguments: { skill: SKILL } });
    expect(reject.isError).toBeFalsy();
    expect(data(reject)).toMatchObject({ command: `reject --skill ${SKILL}`, data: { results: [{ skill: SKILL, night: 1, edits: 1 }] } });
    expect(t.sink.entries.map((e) => [e.skillKey, e.reason, e.night])).toEqual([[SKILL, 'review', 1]]);
    expect(existsSync(join(t.home, '.claude', 'skills', SKILL, 'SKILL.md'))).toBe(false);
    const again = await t.client.callTool({ name: 'sleep_adopt', arguments: { night: 1 } });
    expect(again.isError).toBe(true);
    expect(errorOf(again).error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already rejected') as string });
  });

  it('errors of the use cases arrive as tool errors: no proposal, no night, an unknown skill', async () => {
    const t = await connect();
    const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ['sleep_adopt', {}, 'NOT_FOUND', /no proposal is waiting/],
      ['sleep_reject', { night: 3 }, 'NOT_FOUND', /there is no night 3/],
      ['sleep_report', {}, 'NOT_FOUND', /no night has run yet/],
      ['sleep_history', { skill: 'nope' }, 'NOT_FOUND', /no skill named "nope"/],
      ['sleep_rollback', { skill: SKILL }, 'NOT_FOUND', /only one version/],
    ];
    for (const [name, args, code, message] of cases) {
      const result = await t.client.callTool({ name, arguments: args });
      expect(result.isError, name).toBe(true);
      expect(errorOf(result).error.code, name).toBe(code);
      expect(errorOf(result).error.message, name).toMatch(message);
      expect(errorOf(result).error.hint, name).toBeTruthy();
    }
  });

  it('sleep_run (dry run) runs a night in process with progress notifications; sleep_report reads it back and opens it', { timeout: 60_000 }, async () => {
    const t = await connect({ persona: true });
    const seen: string[] = [];
    const run = await t.client.request({ method: 'tools/call', params: { name: 'sleep_run', arguments: { dryRun: true } } }, CallToolResultSchema, { onprogress: (p) => seen.push(p.message ?? '') });
    expect(run.isError, JSON.stringify(run.content)).toBeFalsy();
    const night = (run.structuredContent as { command: string; data: { night: number; dryRun: boolean; trigger: string; status: string; harvest: { sessions: number }; files: { html: string } } });
    expect(night.command).toBe('run --dry-run');
    expect(night.data).toMatchObject({ night: 1, dryRun: true, trigger: 'agent', status: 'completed', harvest: { sessions: 16 } });
    expect(seen.slice(0, 3)).toEqual(['harvest...', 'mine...', 'plan...']);
    expect(seen.at(-1)).toBe('report...');
    expect(existsSync(night.data.files.html)).toBe(true);
    expect(JSON.parse(readFileSync(t.deps.paths.pending, 'utf8'))).toMatchObject({ pending: [] });

    const report = await t.client.callTool({ name: 'sleep_report', arguments: { open: true } });
    expect(report.isError).toBeFalsy();
    expect(data(report)).toMatchObject({ command: 'report --open', data: { night: 1, dryRun: true } });
    expect(t.opened).toEqual([night.data.files.html]);
    const status = await t.client.callTool({ name: 'sleep_status', arguments: {} });
    expect(status.structuredContent).toMatchObject({ lastNight: { night: 1, status: 'completed', dryRun: true }, running: null });
  });

  it('sleep_run stops when the client cancels the call: the night is interrupted, the lock released', { timeout: 60_000 }, async () => {
    const t = await connect({ persona: true });
    const controller = new AbortController();
    const pending = t.client.request({ method: 'tools/call', params: { name: 'sleep_run', arguments: {} } }, CallToolResultSchema, {
      signal: controller.signal,
      onprogress: (p) => {
        if (p.message === 'mine...') controller.abort();
      },
    });
    await expect(pending).rejects.toThrow();
    // The server answers the cancellation by aborting the night's signal; the night then closes as interrupted.
    const statusOf = () => (t.deps.openDb().prepare('SELECT status FROM nights WHERE id = 1').get() as { status: string } | undefined)?.status;
    for (let i = 0; i < 400 && (statusOf() ?? 'running') === 'running'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(statusOf()).toBe('interrupted');
    expect(t.deps.openDb().prepare('SELECT COUNT(*) AS n FROM night_lock').get()).toEqual({ n: 0 });
  });
});
