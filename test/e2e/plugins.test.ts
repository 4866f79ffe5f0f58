import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT, runCli, tempDir } from './helpers.js';
import { parseControlRequest } from '../../src/daemon/control-protocol.js';

const PLUGIN = join(ROOT, 'plugins', 'claude-code');
const HOOK_EVENTS = new Set(['PreToolUse', 'PostToolUse', 'UserPromptSubmit', 'Stop', 'SubagentStop', 'SessionStart', 'SessionEnd', 'PreCompact', 'Notification']);
const COMMAND_KEYS = new Set(['description', 'allowed-tools', 'argument-hint', 'model', 'disable-model-invocation']);
// Only dirs with the shell tools the scripts use, so no `skillopt-sleep` of this machine is found by accident.
const BASE_PATH = '/usr/bin:/bin';

const temps: string[] = [];
function temp(prefix: string): string {
  const dir = tempDir(prefix);
  temps.push(dir);
  return dir;
}
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(path);
    }
  };
  if (existsSync(root)) walk(root);
  return out.sort();
}

/** Every file and folder under root with its bytes and mode: what "restored byte for byte" compares. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const key = relative(root, path);
      if (entry.isDirectory()) {
        out[`${key}/`] = 'dir';
        walk(path);
      } else out[key] = `${(statSync(path).mode & 0o777).toString(8)} ${readFileSync(path).toString('base64')}`;
    }
  };
  walk(root);
  return out;
}

function frontmatter(file: string): { data: Record<string, unknown>; body: string } {
  const text = readFileSync(file, 'utf8');
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  expect(match, `${file} starts with YAML frontmatter`).not.toBeNull();
  return { data: parseYaml(match![1]!) as Record<string, unknown>, body: match![2]! };
}

/** `${CLAUDE_PLUGIN_ROOT}/x/y` references in a text, as paths relative to the plugin. */
function pluginRefs(text: string): string[] {
  return [...text.matchAll(/\$\{CLAUDE_PLUGIN_ROOT\}\/([\w./-]+)/g)].map((m) => m[1]!);
}

function run(command: string, args: string[], options: { env: Record<string, string>; input?: string; cwd?: string }): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { env: options.env, cwd: options.cwd ?? '/', stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
    child.stdin.end(options.input ?? '');
  });
}

/** A fake `skillopt-sleep` on PATH that appends its argv to a log and answers `status --json`. */
function fakeCliDir(status: unknown = { pending: [] }): { bin: string; log: string } {
  const bin = temp('sos-fakebin-');
  const log = join(bin, 'calls.log');
  const script = `#!/bin/sh\necho "$*" >> '${log}'\nif [ "$1" = status ]; then echo '${JSON.stringify(status)}'; exit 0; fi\necho "did: $*"\necho "progress on stderr" >&2\n`;
  writeFileSync(join(bin, 'skillopt-sleep'), script);
  chmodSync(join(bin, 'skillopt-sleep'), 0o755);
  return { bin, log };
}

/** A fake daemon on control.sock: records each JSON line, answers with the given reply. */
async function fakeDaemon(socketPath: string, reply: unknown): Promise<{ server: Server; requests: unknown[] }> {
  const requests: unknown[] = [];
  const server = createServer((socket) => {
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      if (!buffer.includes('\n')) return;
      requests.push(JSON.parse(buffer.slice(0, buffer.indexOf('\n'))));
      socket.end(`${JSON.stringify(reply)}\n`);
    });
  });
  mkdirSync(dirname(socketPath), { recursive: true });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return { server, requests };
}

/** The installed plugin without install.env: as if the CLI were gone from this machine. */
function copyWithoutInstallEnv(pluginCopy: string): string {
  const copy = join(temp('sos-bare-'), 'plugin');
  for (const file of filesUnder(pluginCopy)) {
    if (file.endsWith('install.env')) continue;
    const target = join(copy, relative(pluginCopy, file));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, readFileSync(file));
  }
  return copy;
}

const close = (server: Server) => new Promise((resolve) => server.close(resolve));

describe('Claude Code plugin files follow the documented formats', () => {
  it('plugin.json: a kebab-case name, a version, a description', () => {
    const manifest = JSON.parse(readFileSync(join(PLUGIN, '.claude-plugin', 'plugin.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(typeof manifest.description).toBe('string');
    expect(manifest.version).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('the repository marketplace (for `/plugin marketplace add` from a clone) points at the plugin folder', () => {
    const market = JSON.parse(readFileSync(join(ROOT, '.claude-plugin', 'marketplace.json'), 'utf8')) as { name: string; owner: { name: string }; plugins: Array<{ name: string; source: string }> };
    expect(market.name).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(market.owner.name).toBeTruthy();
    expect(market.plugins).toHaveLength(1);
    const entry = market.plugins[0]!;
    expect(entry.source.startsWith('./')).toBe(true);
    const manifest = JSON.parse(readFileSync(join(ROOT, entry.source, '.claude-plugin', 'plugin.json'), 'utf8')) as { name: string };
    expect(manifest.name).toBe(entry.name);
  });

  it('hooks.json: the plugin wrapper, known events, command hooks with short timeouts, scripts inside the plugin', () => {
    const config = JSON.parse(readFileSync(join(PLUGIN, 'hooks', 'hooks.json'), 'utf8')) as { hooks: Record<string, Array<{ matcher?: string; hooks: Array<{ type: string; command: string; timeout?: number }> }>> };
    expect(Object.keys(config.hooks).sort()).toEqual(['SessionEnd', 'SessionStart']);
    for (const [event, groups] of Object.entries(config.hooks)) {
      expect(HOOK_EVENTS.has(event)).toBe(true);
      for (const group of groups) {
        for (const hook of group.hooks) {
          expect(hook.type).toBe('command');
          expect(hook.timeout).toBeLessThanOrEqual(5);
          const refs = pluginRefs(hook.command);
          expect(refs.length, hook.command).toBeGreaterThan(0);
          for (const ref of refs) expect(existsSync(join(PLUGIN, ref)), ref).toBe(true);
        }
      }
    }
  });

  it('commands: known frontmatter keys, a description, and every script they run inside the plugin via ${CLAUDE_PLUGIN_ROOT}', () => {
    const commands = readdirSync(join(PLUGIN, 'commands')).sort();
    expect(commands).toEqual(['skillopt-sleep-adopt.md', 'skillopt-sleep-report.md', 'skillopt-sleep-rollback.md', 'skillopt-sleep.md']);
    for (const name of commands) {
      const { data, body } = frontmatter(join(PLUGIN, 'commands', name));
      for (const key of Object.keys(data)) expect(COMMAND_KEYS.has(key), `${name}: ${key}`).toBe(true);
      expect(String(data.description).length).toBeGreaterThan(20);
      expect(body).toContain('$ARGUMENTS');
      const refs = pluginRefs(body);
      expect(refs.length, name).toBeGreaterThan(0);
      for (const ref of refs) {
        expect(ref.includes('..'), ref).toBe(false);
        expect(existsSync(join(PLUGIN, ref)), ref).toBe(true);
      }
    }
  });

  it('no script refers to anything outside the plugin folder', () => {
    for (const file of filesUnder(PLUGIN)) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/\.\.\/\.\.|plugins\/run-|\$HOME\/\.skillopt/);
    }
  });

  it('skills: SKILL.md with a name (its folder) and a description, for the plugin and for Codex', () => {
    for (const file of [join(PLUGIN, 'skills', 'using-skillopt-sleep', 'SKILL.md'), join(ROOT, 'plugins', 'codex', 'skillopt-sleep', 'SKILL.md')]) {
      const { data } = frontmatter(file);
      expect(data.name).toBe(dirname(file).split('/').at(-1));
      expect(String(data.description).length).toBeGreaterThan(40);
    }
  });

  it('Copilot snippets: VS Code `servers` with a stdio entry, Copilot CLI `mcpServers` with a local entry', () => {
    const vscode = JSON.parse(readFileSync(join(ROOT, 'plugins', 'copilot', 'vscode-mcp.json'), 'utf8')) as { servers: Record<string, { type: string; command: string; args: string[] }> };
    expect(vscode.servers['skillopt-sleep']).toEqual({ type: 'stdio', command: 'skillopt-sleep', args: ['mcp'] });
    const cli = JSON.parse(readFileSync(join(ROOT, 'plugins', 'copilot', 'mcp-config.json'), 'utf8')) as { mcpServers: Record<string, unknown> };
    expect(cli.mcpServers['skillopt-sleep']).toEqual({ type: 'local', command: 'skillopt-sleep', args: ['mcp'], tools: ['*'] });
  });
});

describe('plugins install claude-code, then the command and hook scripts from where Claude Code loads them', () => {
  let home: string;
  let state: string;
  let pluginCopy: string;
  let env: Record<string, string>;

  beforeAll(() => {
    home = temp('sos-plug-');
    state = join(home, 'state');
    env = { PATH: BASE_PATH, HOME: home, TZ: 'UTC', SKILLOPT_SLEEP_HOME: state };
    const result = runCli(['plugins', 'install', 'claude-code'], { home });
    expect(result.code, result.stderr).toBe(0);
    pluginCopy = join(state, 'claude-code-marketplace', 'plugins', 'skillopt-sleep');
  });

  it('registers a directory marketplace and enables the plugin in ~/.claude/settings.json', () => {
    const settings = JSON.parse(readFileSync(join(home, '.claude', 'settings.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    const market = join(state, 'claude-code-marketplace');
    expect(settings.extraKnownMarketplaces).toEqual({ 'skillopt-sleep': { source: { source: 'directory', path: market } } });
    expect(settings.enabledPlugins).toEqual({ 'skillopt-sleep@skillopt-sleep': true });
    const catalog = JSON.parse(readFileSync(join(market, '.claude-plugin', 'marketplace.json'), 'utf8')) as { plugins: Array<{ source: string }> };
    expect(existsSync(join(market, catalog.plugins[0]!.source, '.claude-plugin', 'plugin.json'))).toBe(true);
  });

  it('copies the whole plugin (scripts executable) and records how to reach the CLI inside it', () => {
    const copied = filesUnder(pluginCopy).map((f) => relative(pluginCopy, f));
    expect(copied).toEqual([...filesUnder(PLUGIN).map((f) => relative(PLUGIN, f)), 'install.env'].sort());
    expect(statSync(join(pluginCopy, 'scripts', 'night.sh')).mode & 0o111).not.toBe(0);
    const installEnv = readFileSync(join(pluginCopy, 'install.env'), 'utf8');
    expect(installEnv).toContain(`export SKILLOPT_SLEEP_NODE='${process.execPath}'`);
    expect(installEnv).toContain(`export SKILLOPT_SLEEP_CLI='${join(ROOT, 'dist', 'cli', 'main.js')}'`);
  });

  it('adds user skills so the bare /skillopt-sleep, -report, -adopt and -rollback work too', () => {
    expect(readdirSync(join(home, '.claude', 'skills')).sort()).toEqual(['skillopt-sleep', 'skillopt-sleep-adopt', 'skillopt-sleep-report', 'skillopt-sleep-rollback']);
    const report = frontmatter(join(home, '.claude', 'skills', 'skillopt-sleep-report', 'SKILL.md'));
    expect(report.data.name).toBe('skillopt-sleep-report');
    expect(report.body).toContain(`!\`sh "${join(pluginCopy, 'scripts', 'skillopt-sleep.sh')}" report $ARGUMENTS\``);
  });

  it('the bare /skillopt-sleep user skill runs the same night script', () => {
    const { data, body } = frontmatter(join(home, '.claude', 'skills', 'skillopt-sleep', 'SKILL.md'));
    expect(data.name).toBe('skillopt-sleep');
    expect(data['disable-model-invocation']).toBe(true);
    expect(body).toContain(`sh "${join(pluginCopy, 'scripts', 'night.sh')}" $ARGUMENTS`);
    expect(body).not.toContain('CLAUDE_PLUGIN_ROOT');
  });

  it('/skillopt-sleep: night.sh runs `run --now` with the arguments, then the report, through skillopt-sleep on PATH', async () => {
    const fake = fakeCliDir();
    const result = await run('sh', [join(pluginCopy, 'scripts', 'night.sh'), '--skill', 'commit-style'], { env: { ...env, PATH: `${fake.bin}:${BASE_PATH}`, CLAUDE_PLUGIN_ROOT: pluginCopy } });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(fake.log, 'utf8')).toBe('run --now --skill commit-style\nreport\n');
    expect(result.stdout).toBe('did: run --now --skill commit-style\n\ndid: report\n');
    expect(result.stderr).toContain('progress on stderr');
    const dry = await run('sh', [join(pluginCopy, 'scripts', 'night.sh'), '--dry-run'], { env: { ...env, PATH: `${fake.bin}:${BASE_PATH}` } });
    expect(dry.code).toBe(0);
    expect(readFileSync(fake.log, 'utf8').split('\n').at(-2)).toBe('run --now --dry-run');
  });

  it('without skillopt-sleep on PATH the scripts use the recorded node and CLI (the real built CLI answers)', async () => {
    const version = await run('sh', [join(pluginCopy, 'scripts', 'skillopt-sleep.sh'), '--version'], { env });
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe('0.1.0');
    // The night itself through the real CLI: today `run` belongs to another branch, so the CLI says it is unknown.
    const night = await run('sh', [join(pluginCopy, 'scripts', 'night.sh'), '--dry-run'], { env });
    if (night.code === 0) expect(night.stdout.length).toBeGreaterThan(0);
    else expect(night.stderr).toMatch(/unknown command 'run'/);
  });

  it('with no CLI anywhere it says in one line how to install it (exit 127)', async () => {
    const copy = copyWithoutInstallEnv(pluginCopy);
    const result = await run('sh', [join(copy, 'scripts', 'night.sh')], { env });
    expect(result.code).toBe(127);
    expect(result.stderr.trim().split('\n')).toEqual(['skillopt-sleep: the CLI is not installed here; run `npm i -g skillopt-sleep`, then `skillopt-sleep plugins install claude-code`']);
  });

  it('SessionEnd: sends the daemon one harvest-now line in its control protocol, prints nothing, exits 0 within 1 s', async () => {
    const daemon = await fakeDaemon(join(state, 'control.sock'), { id: 'session-end:abc', ok: true, result: { started: true } });
    try {
      const input = JSON.stringify({ session_id: 'abc', transcript_path: '/h/.claude/projects/p/abc.jsonl', cwd: '/w', hook_event_name: 'SessionEnd', reason: 'exit' });
      const result = await run('sh', [join(pluginCopy, 'hooks', 'run-hook.sh'), 'session-end'], { env, input });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      expect(result.ms).toBeLessThan(1000);
      expect(daemon.requests).toEqual([{ id: 'session-end:abc', command: 'harvest-now', wait: false }]);
      // What the daemon itself accepts (src/daemon/control-protocol.ts), so the two cannot drift apart again.
      expect(parseControlRequest(JSON.stringify(daemon.requests[0]))).toEqual({ ok: true, request: { id: 'session-end:abc', command: 'harvest-now', wait: false } });
    } finally {
      await close(daemon.server);
    }
  });

  it('SessionEnd with no daemon, and with a daemon that never answers: still exit 0 within 1 s', async () => {
    const none = await run('sh', [join(pluginCopy, 'hooks', 'run-hook.sh'), 'session-end'], { env, input: '{}' });
    expect([none.code, none.stdout, none.ms < 1000]).toEqual([0, '', true]);
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(join(state, 'control.sock'), resolve));
    try {
      const stuck = await run('sh', [join(pluginCopy, 'hooks', 'run-hook.sh'), 'session-end'], { env, input: '{}' });
      expect([stuck.code, stuck.stdout, stuck.ms < 1000]).toEqual([0, '', true]);
    } finally {
      silent.close();
    }
  });

  it('SessionStart: one line from <state>/pending.json when a proposal waits, nothing when none; no daemon or CLI asked', async () => {
    const pendingFile = join(state, 'pending.json');
    const fake = fakeCliDir();
    const daemon = await fakeDaemon(join(state, 'control.sock'), { ok: true, result: {} });
    const hookEnv = { ...env, PATH: `${fake.bin}:${BASE_PATH}` };
    try {
      writeFileSync(pendingFile, JSON.stringify({ version: 1, updatedAt: '2026-01-01T00:00:00.000Z', pending: [{ night: 3, skill: 'commit-style', proposalId: 7, flagged: 0, testBefore: 0.2, testAfter: 0.6, valBefore: 0.4, valAfter: 0.8 }] }));
      const result = await run('sh', [join(pluginCopy, 'hooks', 'run-hook.sh'), 'session-start'], { env: hookEnv, input: '{"hook_event_name":"SessionStart","source":"startup"}' });
      expect(result.code).toBe(0);
      expect(result.ms).toBeLessThan(1000);
      const lines = result.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const answer = JSON.parse(lines[0]!) as { systemMessage: string; hookSpecificOutput: { hookEventName: string; additionalContext: string } };
      expect(answer.systemMessage).toBe('skillopt-sleep: night 3 proposes a change to commit-style (held-out 40% -> 80%); see /skillopt-sleep:skillopt-sleep-report, then /skillopt-sleep:skillopt-sleep-adopt or reject.');
      expect(answer.hookSpecificOutput).toEqual({ hookEventName: 'SessionStart', additionalContext: answer.systemMessage });

      writeFileSync(pendingFile, JSON.stringify({ version: 1, updatedAt: '2026-01-01T00:00:00.000Z', pending: [{ night: 1, skill: 'a', valBefore: 0, valAfter: 0.5 }, { night: 1, skill: 'b', valBefore: null, valAfter: null }] }));
      const two = await run('sh', [join(pluginCopy, 'hooks', 'run-hook.sh'), 'session-start'], { env: hookEnv, input: '{}' });
      expect((JSON.parse(two.stdout) as { systemMessage: string }).systemMessage).toContain('night 1 proposes a change to a (held-out 0% -> 50%) (+1 more)');

      for (const text of [JSON.stringify({ version: 1, pending: [] }), '{not json', '']) {
        writeFileSync(pendingFile, text);
        const quiet = await run('sh', [join(pluginCopy, 'hooks', 'run-hook.sh'), 'session-start'], { env: hookEnv, input: '{}' });
        expect([quiet.code, quiet.stdout, quiet.ms < 1000], text).toEqual([0, '', true]);
      }
      rmSync(pendingFile);
      const missing = await run('sh', [join(pluginCopy, 'hooks', 'run-hook.sh'), 'session-start'], { env: hookEnv, input: '{}' });
      expect([missing.code, missing.stdout]).toEqual([0, '']);
      // One file read: neither the daemon nor the CLI was asked.
      expect(daemon.requests).toEqual([]);
      expect(existsSync(fake.log)).toBe(false);
    } finally {
      await close(daemon.server);
      rmSync(pendingFile, { force: true });
    }
  });
});

describe('plugins install / uninstall round trip', () => {
  function seededHome(): { home: string; env: { SKILLOPT_SLEEP_HOME: string } } {
    const home = temp('sos-rt-');
    mkdirSync(join(home, '.claude'), { recursive: true });
    writeFileSync(join(home, '.claude', 'settings.json'), '{\n    "model": "opus",\n    "enabledPlugins": { "other@market": true }\n}');
    chmodSync(join(home, '.claude', 'settings.json'), 0o640);
    mkdirSync(join(home, '.copilot'), { recursive: true });
    writeFileSync(join(home, '.copilot', 'mcp-config.json'), '{"mcpServers":{"github":{"type":"http","url":"https://example.invalid/mcp"}}}\n');
    mkdirSync(join(home, '.config', 'Code', 'User'), { recursive: true });
    writeFileSync(join(home, '.config', 'Code', 'User', 'settings.json'), '{ "editor.fontSize": 13 }');
    mkdirSync(join(home, '.agents', 'skills', 'my-own'), { recursive: true });
    writeFileSync(join(home, '.agents', 'skills', 'my-own', 'SKILL.md'), '---\nname: my-own\ndescription: mine\n---\n');
    return { home, env: { SKILLOPT_SLEEP_HOME: join(temp('sos-rt-state-'), 'state') } };
  }

  it('dry run writes nothing; install twice changes nothing the second time; uninstall restores every byte and mode', () => {
    const { home, env } = seededHome();
    const before = snapshot(home);
    const agents = ['claude-code', 'codex', 'copilot'];
    const dry = runCli(['plugins', 'install', ...agents, '--dry-run', '--json'], { home, env });
    expect(dry.code, dry.stderr).toBe(0);
    expect((JSON.parse(dry.stdout) as Array<{ agent: string; dryRun: boolean }>).map((r) => [r.agent, r.dryRun])).toEqual(agents.map((a) => [a, true]));
    expect(snapshot(home)).toEqual(before);
    expect(runCli(['plugins', 'install', ...agents], { home, env }).code).toBe(0);
    expect(snapshot(home)).not.toEqual(before);
    const vscode = JSON.parse(readFileSync(join(home, '.config', 'Code', 'User', 'mcp.json'), 'utf8')) as { servers: Record<string, { args: string[] }> };
    expect(vscode.servers['skillopt-sleep']!.args).toEqual([join(ROOT, 'dist', 'cli', 'main.js'), '--home', env.SKILLOPT_SLEEP_HOME, 'mcp']);
    const copilot = JSON.parse(readFileSync(join(home, '.copilot', 'mcp-config.json'), 'utf8')) as { mcpServers: Record<string, unknown> };
    expect(Object.keys(copilot.mcpServers)).toEqual(['github', 'skillopt-sleep']);
    expect(existsSync(join(home, '.agents', 'skills', 'skillopt-sleep', 'SKILL.md'))).toBe(true);
    const afterFirst = snapshot(home);
    const again = runCli(['plugins', 'install', ...agents, '--json'], { home, env });
    for (const result of JSON.parse(again.stdout) as Array<{ agent: string; actions: Array<{ action: string }> }>) {
      expect(result.actions.every((a) => a.action === 'unchanged'), result.agent).toBe(true);
    }
    expect(snapshot(home)).toEqual(afterFirst);
    const removed = runCli(['plugins', 'uninstall', ...agents], { home, env });
    expect(removed.code, removed.stderr).toBe(0);
    expect(snapshot(home)).toEqual(before);
    expect(existsSync(join(env.SKILLOPT_SLEEP_HOME, 'claude-code-marketplace'))).toBe(false);
    expect(runCli(['plugins', 'uninstall', 'codex'], { home, env }).stdout).toContain('nothing to do');
  }, 120_000);

  it('a config edited after install keeps the edit; only our entries come out', () => {
    const { home, env } = seededHome();
    expect(runCli(['plugins', 'install', 'copilot'], { home, env }).code).toBe(0);
    const path = join(home, '.copilot', 'mcp-config.json');
    const config = JSON.parse(readFileSync(path, 'utf8')) as { mcpServers: Record<string, unknown> };
    config.mcpServers.added = { type: 'local', command: 'x', args: [], tools: ['*'] };
    writeFileSync(path, JSON.stringify(config));
    const result = runCli(['plugins', 'uninstall', 'copilot'], { home, env });
    expect(result.stdout).toContain('remove-entries');
    expect(result.stdout).toContain('only the skillopt-sleep entries were taken out');
    expect(Object.keys((JSON.parse(readFileSync(path, 'utf8')) as { mcpServers: Record<string, unknown> }).mcpServers)).toEqual(['github', 'added']);
    expect(existsSync(join(home, '.config', 'Code', 'User', 'mcp.json'))).toBe(false);
  });

  it('refuses to overwrite a file of the person, and a config with comments, writing nothing', () => {
    const { home, env } = seededHome();
    mkdirSync(join(home, '.claude', 'skills', 'skillopt-sleep'), { recursive: true });
    writeFileSync(join(home, '.claude', 'skills', 'skillopt-sleep', 'SKILL.md'), 'my own\n');
    writeFileSync(join(home, '.config', 'Code', 'User', 'mcp.json'), '{\n  // mine\n  "servers": {}\n}\n');
    const before = snapshot(home);
    // Codex would install cleanly, but the conflict in claude-code stops both before anything is written.
    const claude = runCli(['plugins', 'install', 'codex', 'claude-code'], { home, env });
    expect(claude.code).toBe(1);
    expect(claude.stderr).toContain('SKILL.md already exists and was not written by skillopt-sleep');
    const copilot = runCli(['plugins', 'install', 'copilot'], { home, env });
    expect(copilot.code).toBe(1);
    expect(copilot.stderr).toContain('mcp.json is not plain JSON');
    expect(snapshot(home)).toEqual(before);
    expect(existsSync(join(env.SKILLOPT_SLEEP_HOME, 'integrations'))).toBe(false);
  });

  it('codex: installs into $CODEX_HOME/skills when the person keeps their skills there', () => {
    const home = temp('sos-codex-');
    const codexHome = join(home, 'codex-home');
    mkdirSync(join(codexHome, 'skills', 'mine'), { recursive: true });
    mkdirSync(join(codexHome, 'skills', '.system'), { recursive: true });
    const env = { CODEX_HOME: codexHome, SKILLOPT_SLEEP_HOME: join(home, 'state') };
    expect(runCli(['plugins', 'install', 'codex'], { home, env }).code).toBe(0);
    const skill = readFileSync(join(codexHome, 'skills', 'skillopt-sleep', 'SKILL.md'), 'utf8');
    expect(skill).toContain('name: skillopt-sleep');
    expect(skill).toContain(`"${process.execPath}" "${join(ROOT, 'dist', 'cli', 'main.js')}" "--home"`);
    expect(existsSync(join(home, '.agents'))).toBe(false);
  });

  it('plugins/codex/install.sh installs and removes the skill without the CLI', async () => {
    const home = temp('sos-codex-sh-');
    const env = { PATH: BASE_PATH, HOME: home };
    const install = await run('sh', [join(ROOT, 'plugins', 'codex', 'install.sh')], { env });
    expect(install.code, install.stderr).toBe(0);
    const target = join(home, '.agents', 'skills', 'skillopt-sleep', 'SKILL.md');
    expect(readFileSync(target, 'utf8')).toBe(readFileSync(join(ROOT, 'plugins', 'codex', 'skillopt-sleep', 'SKILL.md'), 'utf8'));
    expect(install.stderr).toContain('not on PATH');
    const remove = await run('sh', [join(ROOT, 'plugins', 'codex', 'install.sh'), '--uninstall'], { env });
    expect(remove.code).toBe(0);
    expect(existsSync(target)).toBe(false);
  });

  it('names the agents it knows when given another', () => {
    const result = runCli(['plugins', 'install', 'cursor']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown agent "cursor"');
    expect(result.stderr).toContain('claude-code, codex, copilot');
  });
});
