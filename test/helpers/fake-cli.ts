import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How a fake CLI behaves on one run; chosen per call through the FAKE_CLI_MODE variable. */
export type FakeCliMode =
  | 'ok'
  | 'tools'
  | 'record'
  | 'crash'
  | 'hang'
  | 'hang-stubborn'
  | 'garbage'
  | 'auth'
  | 'rate'
  | 'empty'
  | 'error-result'
  | 'not-logged-in';

/**
 * One node script plays both `claude` and `codex` (it looks at its own name). It reads the prompt on stdin
 * and prints the real output shapes: Claude Code's `--output-format json` result object (or, with --verbose,
 * the message array) and the `codex exec --json` JSONL event stream.
 */
const SCRIPT = String.raw`#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const tool = path.basename(process.argv[1]);
const mode = process.env.FAKE_CLI_MODE || 'ok';
const recordPath = process.env.FAKE_CLI_RECORD;

function readSkills(root) {
  const out = {};
  try {
    for (const name of fs.readdirSync(root)) {
      const file = path.join(root, name, 'SKILL.md');
      if (fs.existsSync(file)) out[name] = fs.readFileSync(file, 'utf8');
    }
  } catch {}
  return out;
}
function readMaybe(file) {
  try { return fs.readFileSync(file, 'utf8'); } catch { return null; }
}
function claudeResult(text, extra) {
  return Object.assign({
    type: 'result', subtype: 'success', is_error: false, duration_ms: 12, duration_api_ms: 10, num_turns: 1,
    result: text, session_id: '11111111-2222-4333-8444-555555555555', total_cost_usd: 0.0123,
    usage: { input_tokens: 100, cache_creation_input_tokens: 20, cache_read_input_tokens: 30, output_tokens: 7, service_tier: 'standard' },
    modelUsage: { 'claude-sonnet-4-5': { inputTokens: 100, outputTokens: 7 } },
    permission_denials: [],
  }, extra || {});
}
function codexOk(text, tools) {
  const lines = [{ type: 'thread.started', thread_id: '0199a213-81c0-7800-8aa1-bbab2a035a53' }, { type: 'turn.started' }];
  if (tools) {
    lines.push({ type: 'item.started', item: { id: 'item_0', type: 'command_execution', command: 'bash -lc ls', aggregated_output: '', exit_code: null, status: 'in_progress' } });
    lines.push({ type: 'item.completed', item: { id: 'item_0', type: 'command_execution', command: 'bash -lc ls', aggregated_output: 'a\n', exit_code: 0, status: 'completed' } });
    lines.push({ type: 'item.completed', item: { id: 'item_1', type: 'mcp_tool_call', server: 'docs', tool: 'search', arguments: {}, result: null, error: null, status: 'completed' } });
  }
  lines.push({ type: 'item.completed', item: { id: 'item_2', type: 'reasoning', text: 'thinking' } });
  lines.push({ type: 'item.completed', item: { id: 'item_3', type: 'agent_message', text: 'draft' } });
  lines.push({ type: 'item.completed', item: { id: 'item_4', type: 'agent_message', text } });
  lines.push({ type: 'turn.completed', usage: { input_tokens: 1200, cached_input_tokens: 200, output_tokens: 345 } });
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}
function hang() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  if (recordPath) fs.writeFileSync(recordPath, JSON.stringify({ grandchildPid: child.pid, pid: process.pid }));
  setInterval(() => {}, 1000);
}

let stdin = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => { stdin += c; });
process.stdin.on('end', () => {
  const answer = 'answer: ' + stdin.trim();
  switch (mode) {
    case 'record': {
      const isClaude = tool === 'claude';
      fs.writeFileSync(recordPath, JSON.stringify({
        tool, argv: process.argv.slice(2), cwd: process.cwd(), stdin,
        replayEnv: process.env.SKILLOPT_SLEEP_REPLAY || null,
        skills: readSkills(path.join(process.cwd(), isClaude ? '.claude/skills' : '.agents/skills')),
        claudeMd: readMaybe(path.join(process.cwd(), 'CLAUDE.md')),
        agentsMd: readMaybe(path.join(process.cwd(), 'AGENTS.md')),
        projectLink: fs.existsSync(path.join(process.cwd(), 'project')),
      }));
      process.stdout.write(isClaude ? JSON.stringify(claudeResult(answer)) : codexOk(answer, false));
      return;
    }
    case 'ok':
      process.stdout.write(tool === 'claude' ? JSON.stringify(claudeResult(answer)) : codexOk(answer, false));
      return;
    case 'tools':
      if (tool === 'claude') {
        process.stdout.write(JSON.stringify([
          { type: 'system', subtype: 'init', cwd: process.cwd(), session_id: 's1', tools: ['Bash', 'Skill'] },
          { type: 'assistant', message: { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Skill', input: {} }] } },
          { type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] } },
          { type: 'assistant', message: { role: 'assistant', content: [{ type: 'text', text: 'x' }, { type: 'tool_use', id: 'toolu_2', name: 'Bash', input: { command: 'ls' } }] } },
          claudeResult(answer, { permission_denials: [{ tool_name: 'Write', tool_use_id: 'toolu_3', tool_input: {} }] }),
        ]));
      } else {
        process.stdout.write(codexOk(answer, true));
      }
      return;
    case 'crash':
      process.stderr.write('fatal: something broke inside the agent\n');
      process.exitCode = 1;
      return;
    case 'hang':
      hang();
      return;
    case 'hang-stubborn':
      process.on('SIGTERM', () => {});
      hang();
      return;
    case 'garbage':
      process.stdout.write('<html>this is not json</html>\n');
      return;
    case 'empty':
      return;
    case 'auth':
      if (tool === 'claude') {
        process.stdout.write(JSON.stringify(claudeResult('Invalid API key · Please run /login', { is_error: true, total_cost_usd: 0, usage: { input_tokens: 0, output_tokens: 0 } })));
      } else {
        process.stdout.write(JSON.stringify({ type: 'thread.started', thread_id: 't' }) + '\n' + JSON.stringify({ type: 'turn.started' }) + '\n');
        process.stdout.write(JSON.stringify({ type: 'error', message: 'unexpected status 401 Unauthorized: token expired' }) + '\n');
        process.stdout.write(JSON.stringify({ type: 'turn.failed', error: { message: 'unexpected status 401 Unauthorized' } }) + '\n');
      }
      process.exitCode = 1;
      return;
    case 'not-logged-in':
      // What Claude Code prints for -p when neither a subscription login nor a key is available.
      if (recordPath) fs.writeFileSync(recordPath, JSON.stringify({ argv: process.argv.slice(2), home: process.env.HOME || null, apiKey: process.env.ANTHROPIC_API_KEY ? 'set' : null }));
      process.stdout.write(JSON.stringify(claudeResult('Not logged in · Please run /login', { is_error: true, total_cost_usd: 0, usage: { input_tokens: 0, output_tokens: 0 } })));
      process.exitCode = 1;
      return;
    case 'rate':
      if (tool === 'claude') {
        process.stdout.write(JSON.stringify(claudeResult('API Error: 429 rate_limit_error', { is_error: true })));
      } else {
        process.stdout.write(JSON.stringify({ type: 'turn.failed', error: { message: "You've hit your usage limit. 429 Too Many Requests" } }) + '\n');
      }
      process.exitCode = 1;
      return;
    case 'error-result':
      process.stdout.write(JSON.stringify(claudeResult(undefined, { subtype: 'error_max_turns', is_error: true })));
      process.exitCode = 1;
      return;
    default:
      process.stderr.write('unknown FAKE_CLI_MODE ' + mode + '\n');
      process.exitCode = 2;
  }
});
`;

/** A temp folder holding fake `claude` and `codex` executables (node scripts, chmod 755). */
export interface FakeCliKit {
  binDir: string;
  /** Where the `record` and `hang` modes write what they saw. */
  recordPath: string;
  /** An env whose PATH starts with binDir and that selects the mode. */
  env(mode: FakeCliMode, extra?: Record<string, string>): Record<string, string | undefined>;
}

/** Write the fake CLIs into a new temp dir and return the kit. */
export function installFakeClis(base: string = tmpdir()): FakeCliKit {
  const binDir = mkdtempSync(join(base, 'fake-cli-'));
  for (const name of ['claude', 'codex']) {
    const file = join(binDir, name);
    writeFileSync(file, SCRIPT);
    chmodSync(file, 0o755);
  }
  const recordPath = join(binDir, 'record.json');
  return {
    binDir,
    recordPath,
    env: (mode, extra = {}) => ({
      PATH: `${binDir}:${process.env.PATH ?? ''}`,
      HOME: binDir,
      FAKE_CLI_MODE: mode,
      FAKE_CLI_RECORD: recordPath,
      ...extra,
    }),
  };
}
