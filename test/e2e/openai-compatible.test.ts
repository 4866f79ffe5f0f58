import { describe, it, expect, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, CLI, tempDir } from './helpers.js';
import { startFakeHttpServer, openAIChatBody, type FakeServer } from '../helpers/fake-openai-server.js';
import { createSimulatedTarget } from '../../src/simulated/target.js';
import { createSimulatedOptimizer } from '../../src/simulated/optimizer.js';
import { simulationLookupFor } from '../../src/simulated/lookup.js';
import { parseTaskFile } from '../../src/tasks/task-file.js';
import type { Task } from '../../src/tasks/types.js';

/** Spawn the CLI without blocking this process (the fake server lives here). */
function runCliAsync(args: string[], env: Record<string, string>, home: string, onSpawn?: (child: ReturnType<typeof spawn>) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: home, env: { PATH: process.env.PATH ?? '', HOME: home, TZ: 'UTC', SKILLOPT_SLEEP_HOME: join(home, 'state'), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    onSpawn?.(child);
  });
}

/**
 * A local chat-completions server answered by the simulator from what came over the wire: requests for a
 * model whose id starts with `targetModel` go to the simulated target, the rest to the simulated optimizer.
 */
function startSimulatorServer(tasks: Task[], targetModel: string): Promise<FakeServer> {
  const target = createSimulatedTarget({ followRate: 0.92, slipRate: 0.03, seed: 7, lookup: simulationLookupFor(tasks) });
  const optimizer = createSimulatedOptimizer({ seed: 11, uselessRate: 0.3, harmfulRate: 0.1 });
  return startFakeHttpServer(async (req) => {
    const body = req.body as { model: string; messages: Array<{ role: string; content: string }> };
    const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
    const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
    const reply = await (body.model.startsWith(targetModel) ? target : optimizer).complete({ system, user });
    return { json: openAIChatBody(reply.text, { model: body.model, usage: { prompt_tokens: reply.usage.input, completion_tokens: reply.usage.output } }) };
  }, '/v1');
}

const SECRET = 'sk-proj-Zt7QmW3xR9vLk2PbN8sY4cHf6JdGa1Ue5oTi0';
let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('train against a local OpenAI-compatible server, by config alone', () => {
  it('runs the whole trainer through the real openai SDK, redacting secrets before they leave', async () => {
    const dir = tempDir();
    const lines = readFileSync(join(ROOT, 'fixtures', 'personas', 'analyst', 'tasks.jsonl'), 'utf8').trim().split('\n');
    const first = JSON.parse(lines[0]!);
    first.context = `my key is ${SECRET} do not share`;
    lines[0] = JSON.stringify(first);
    writeFileSync(join(dir, 'tasks.jsonl'), `${lines.join('\n')}\n`);
    const tasks = parseTaskFile(readFileSync(join(dir, 'tasks.jsonl'), 'utf8'), 'tasks.jsonl').tasks;
    server = await startSimulatorServer(tasks, 'sim-target');
    const r = await runCliAsync(
      ['train', '--tasks', join(dir, 'tasks.jsonl'), '--skill', join(ROOT, 'fixtures', 'personas', 'analyst', 'skill.md'), '--target', 'openai:sim-target', '--optimizer', 'openai:sim-optimizer', '--out', join(dir, 'out'), '--json'],
      { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'test-key-123' },
      dir,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.status).toBe('completed');
    expect(result.headline.bestTest).toBeGreaterThan(result.headline.baselineTest);
    expect(result.calls.inputTokens).toBeGreaterThan(0);
    expect(server.requests.length).toBeGreaterThan(20);
    expect(server.requests.every((q) => q.path === '/v1/chat/completions' && q.headers.authorization === 'Bearer test-key-123')).toBe(true);
    expect(server.requests.some((q) => q.rawBody.includes(SECRET))).toBe(false);
    expect(server.requests.some((q) => q.rawBody.includes('[REDACTED'))).toBe(true);
  });

  it('stops with the backend error named when every call fails, never scoring 0', async () => {
    const dir = tempDir();
    server = await startFakeHttpServer(() => ({ status: 401, json: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } } }), '/v1');
    const persona = (f: string) => join(ROOT, 'fixtures', 'personas', 'analyst', f);
    const r = await runCliAsync(['train', '--tasks', persona('tasks.jsonl'), '--skill', persona('skill.md'), '--target', 'openai:gpt-4o-mini', '--out', join(dir, 'out'), '--json'], { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'bad' }, dir);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.status).toBe('failed');
    expect(result.error.code).toBe('AUTH');
    expect(result.error.message).toMatch(/openai/);
    expect(result.headline.bestTest).toBeNull();
    const report = readFileSync(join(dir, 'out', 'report.md'), 'utf8');
    expect(report).toMatch(/Error AUTH/);
  });

  it('stops cleanly on Ctrl-C while a provider call hangs, and still writes the report', async () => {
    const dir = tempDir();
    server = await startFakeHttpServer(() => ({ hang: true }), '/v1');
    const persona = (f: string) => join(ROOT, 'fixtures', 'personas', 'analyst', f);
    const r = await runCliAsync(
      ['train', '--tasks', persona('tasks.jsonl'), '--skill', persona('skill.md'), '--target', 'openai:gpt-4o-mini', '--out', join(dir, 'out'), '--json'],
      { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'k' },
      dir,
      (child) => {
        const poll = setInterval(() => {
          if (server && server.requests.length > 0) {
            clearInterval(poll);
            child.kill('SIGINT');
          }
        }, 50);
      },
    );
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/SIGINT: stopping/);
    expect(JSON.parse(r.stdout).status).toBe('cancelled');
    expect(JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')).status).toBe('cancelled');
  });

  it('runs demo unchanged when config.json alone points both roles at the server', async () => {
    const dir = tempDir();
    const tasks = parseTaskFile(readFileSync(join(ROOT, 'fixtures', 'personas', 'analyst', 'tasks.jsonl'), 'utf8'), 'tasks.jsonl').tasks;
    server = await startSimulatorServer(tasks, 'local-target');
    mkdirSync(join(dir, 'state'), { recursive: true });
    writeFileSync(
      join(dir, 'state', 'config.json'),
      JSON.stringify({ target: { backend: 'openai', model: 'local-target', baseURL: server.url }, optimizer: { backend: 'openai', model: 'local-optimizer', baseURL: server.url } }),
    );
    const r = await runCliAsync(['demo', '--persona', 'analyst', '--nights', '1', '--json'], {}, dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [persona] = JSON.parse(r.stdout).personas;
    expect(persona.final.test).toBeGreaterThan(persona.baseline.test);
    expect(server.requests.length).toBeGreaterThan(20);
    // No key in the environment: a local server gets a placeholder key, never a real one.
    expect(server.requests.every((q) => q.headers.authorization === 'Bearer sk-no-key-required')).toBe(true);
  });
});
