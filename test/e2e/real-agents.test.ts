import { describe, it, expect, afterEach } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCli, tempDir } from './helpers.js';
import { requireAgentCli, requireTmux, runProgram, TmuxSession, transcriptText, waitFor } from '../helpers/real-agents.js';
import { startFakeAnthropicStreamServer, type AnthropicTurnReply, type AnthropicTurnRequest } from '../helpers/fake-anthropic-stream.js';
import { startFakeResponsesStreamServer, type ResponsesTurnReply, type ResponsesTurnRequest } from '../helpers/fake-responses-stream.js';
import type { FakeServer } from '../helpers/fake-openai-server.js';

// The real Claude Code and Codex CLIs (pinned by scripts/install-agent-clis.sh), driven the way a person uses
// them (interactively through tmux, and headless), against local fake Messages / Responses servers; then the
// built skillopt-sleep CLI harvests what they wrote. A missing CLI or tmux fails the test: it never skips.

// Generous: a turn takes about a second, but CI shares two cores with the whole suite.
const TURN_MS = 45_000;
const PATH = `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`;

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const started = Date.now();
function log(line: string): void {
  process.stderr.write(`[real-agents +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
}

interface HarvestedSession {
  source: string;
  session_id: string;
  prompts: Array<{ text: string; command?: string; skill?: string }>;
  final_answers: string[];
  skills: string[];
  tool_errors: Array<{ tool: string; promptIndex: number; text: string }>;
  tokens: { input: number; output: number; cachedInput: number };
  headless: boolean;
  origin?: string;
  agent_versions?: string[];
  empty_reason?: string;
}

function harvest(home: string, env: Record<string, string> = {}) {
  const harvested = runCli(['harvest', '--json'], { home, env });
  expect(harvested.code, harvested.stderr).toBe(0);
  const listed = runCli(['sessions', 'list', '--json', '--limit', '100'], { home, env });
  expect(listed.code, listed.stderr).toBe(0);
  const sessions = (JSON.parse(listed.stdout) as HarvestedSession[]).sort((a, b) => a.prompts.length - b.prompts.length);
  return { report: JSON.parse(harvested.stdout) as { sources: Array<Record<string, unknown>> }, sessions };
}

function noUnknownRoutes(server: FakeServer & { unknownRoutes: string[] }): void {
  if (server.unknownRoutes.length) log(`routes the fake did not serve: ${server.unknownRoutes.join(', ')}`);
}

describe('real Claude Code CLI', () => {
  it('interactive (tmux) and -p sessions are harvested with exact prompts, answers, skill, headless flag and tokens', { timeout: 240_000 }, async () => {
    const claude = requireAgentCli('claude');
    requireTmux();
    const home = tempDir('sos-real-claude-');
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    const project = join(home, 'shop');
    mkdirSync(join(project, '.claude', 'commands'), { recursive: true });
    writeFileSync(join(project, '.claude', 'commands', 'changelog-entry.md'), '---\ndescription: Draft a changelog entry\n---\nDraft a changelog entry for $ARGUMENTS.\n');
    const key = 'sk-ant-api03-fake-key-for-local-tests-0123456789';
    writeFileSync(
      join(home, '.claude.json'),
      JSON.stringify({ hasCompletedOnboarding: true, customApiKeyResponses: { approved: [key.slice(-20)], rejected: [] }, projects: { [project]: { hasTrustDialogAccepted: true } } }),
    );
    mkdirSync(join(home, '.claude'), { recursive: true });
    writeFileSync(join(home, '.claude', 'settings.json'), JSON.stringify({ permissions: { allow: ['Bash'] } }));

    // The conversation: each answer and its usage is fixed, so the harvested tokens are known exactly.
    const script = (turn: AnthropicTurnRequest): AnthropicTurnReply | undefined => {
      if (!/Claude Code|Claude agent/.test(turn.system)) return undefined; // title, quota and other side requests
      if (turn.toolResults.length > 0) return { blocks: [{ type: 'text', text: 'The check failed with exit code 3.' }], usage: { input_tokens: 50, output_tokens: 8 } };
      const text = turn.lastUserText;
      if (text.includes('run the failing check')) {
        return { blocks: [{ type: 'text', text: 'Running it.' }, { type: 'tool_use', name: 'Bash', input: { command: 'exit 3', description: 'Run the failing check' } }], usage: { input_tokens: 40, output_tokens: 9, cache_read_input_tokens: 5 } };
      }
      if (text.includes('<command-name>/changelog-entry</command-name>')) return { blocks: [{ type: 'text', text: 'Added: retries in the uploader (#514).' }], usage: { input_tokens: 35, output_tokens: 7 } };
      if (text.includes('typo')) return { blocks: [{ type: 'text', text: 'Fixed the typo in README.md.' }], usage: { input_tokens: 30, output_tokens: 6 } };
      if (text.includes('summarise')) return { blocks: [{ type: 'text', text: 'The README describes a shop.' }], usage: { input_tokens: 20, output_tokens: 5 } };
      return { blocks: [{ type: 'text', text: 'Unscripted.' }], usage: { input_tokens: 1, output_tokens: 1 } };
    };
    const server = await startFakeAnthropicStreamServer(script, log);
    cleanups.push(() => server.close());
    const env = {
      PATH,
      HOME: home,
      TERM: 'xterm-256color',
      LANG: 'C.UTF-8',
      ANTHROPIC_BASE_URL: server.origin,
      ANTHROPIC_API_KEY: key,
      DISABLE_AUTOUPDATER: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    };
    const projects = join(home, '.claude', 'projects');

    const tui = TmuxSession.start([claude, '--permission-mode', 'acceptEdits'], { cwd: project, env, socket: `sos-claude-${process.pid}` });
    cleanups.push(() => tui.close());
    await waitFor('the Claude Code prompt', () => /accept edits on/.test(tui.screen()), TURN_MS, () => tui.screen());
    log('claude: interactive prompt ready');
    const answered = (text: string) => () => transcriptText(projects).includes(text);
    await tui.type('fix the typo in README');
    await waitFor('the answer to the first prompt', answered('Fixed the typo in README.md.'), TURN_MS, () => tui.screen());
    log('the answer to the first prompt');
    await tui.type('/changelog-entry PR #514 adds retries to the uploader');
    await waitFor('the answer to the slash command', answered('Added: retries in the uploader (#514).'), TURN_MS, () => tui.screen());
    log('the answer to the slash command');
    await tui.type('now run the failing check');
    await waitFor('the answer after the failed tool call', answered('The check failed with exit code 3.'), TURN_MS, () => tui.screen());
    log('the answer after the failed tool call');
    tui.close();

    const headless = await runProgram(claude, ['-p', 'summarise the README in one sentence'], { cwd: project, env, timeoutMs: 60_000 });
    expect(headless.status, headless.stderr).toBe(0);
    expect(headless.stdout.trim()).toBe('The README describes a shop.');
    await waitFor('the -p transcript', answered('The README describes a shop.'), TURN_MS);
    noUnknownRoutes(server);

    log('claude: both sessions written, harvesting');
    const { report, sessions } = harvest(home);
    log('claude: harvested');
    expect(sessions.map((s) => s.source)).toEqual(['claude-code', 'claude-code']);
    const [printed, interactive] = sessions as [HarvestedSession, HarvestedSession];
    expect(interactive.prompts.map((p) => [p.text, p.skill])).toEqual([
      ['fix the typo in README', undefined],
      ['PR #514 adds retries to the uploader', 'changelog-entry'],
      ['now run the failing check', undefined],
    ]);
    expect(interactive.prompts[1]?.command).toBe('/changelog-entry');
    expect(interactive.final_answers).toEqual(['Fixed the typo in README.md.', 'Added: retries in the uploader (#514).', 'The check failed with exit code 3.']);
    expect(interactive.skills).toEqual(['changelog-entry']);
    expect(interactive.tool_errors).toEqual([{ tool: 'Bash', promptIndex: 2, text: 'Exit code 3' }]);
    expect(interactive.headless).toBe(false);
    expect(interactive.origin).toBe('cli');
    // Input counts cached reads too (5), so Claude and Codex totals mean the same thing.
    expect(interactive.tokens).toEqual({ input: 30 + 35 + 45 + 50, output: 6 + 7 + 9 + 8, cachedInput: 5 });
    expect(printed.prompts.map((p) => p.text)).toEqual(['summarise the README in one sentence']);
    expect(printed.final_answers).toEqual(['The README describes a shop.']);
    expect(printed.headless).toBe(true);
    expect(printed.tokens).toEqual({ input: 20, output: 5, cachedInput: 0 });

    const source = report.sources.find((s) => s.source === 'claude-code') as { drift: { versions: Record<string, number>; unknownRecords: Record<string, number>; emptySessions: Record<string, number> } };
    expect(source.drift.versions).toEqual({ '2.1.332': 2 });
    expect(source.drift.unknownRecords).toEqual({});
    expect(source.drift.emptySessions).toEqual({});
  });
});

describe('real Codex CLI', () => {
  it('TUI (tmux) and exec sessions are harvested with exact prompts, answers, skill, headless flag and tokens', { timeout: 240_000 }, async () => {
    const codex = requireAgentCli('codex');
    requireTmux();
    const home = tempDir('sos-real-codex-');
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    const codexHome = join(home, '.codex');
    const project = join(home, 'api');
    mkdirSync(join(codexHome, 'skills', 'changelog-entry'), { recursive: true });
    mkdirSync(project, { recursive: true });
    writeFileSync(join(codexHome, 'skills', 'changelog-entry', 'SKILL.md'), '---\nname: changelog-entry\ndescription: Draft a changelog entry for a pull request\n---\nWrite one changelog line.\n');

    const script = (turn: ResponsesTurnRequest): ResponsesTurnReply | undefined => {
      if (turn.tools.length === 0) return undefined; // the TUI's title request offers no tools
      const typed = turn.userTexts.filter((t) => !t.startsWith('<')).at(-1) ?? '';
      if (turn.toolOutputs.length > 0) return { items: [{ type: 'message', text: 'The check failed with exit code 3.' }], usage: { input_tokens: 50, output_tokens: 8, cached_tokens: 10 } };
      if (typed.includes('run the failing check')) return { items: [{ type: 'message', text: 'Running it.' }, { type: 'function_call', name: 'exec_command', arguments: { cmd: 'exit 3' } }], usage: { input_tokens: 40, output_tokens: 9 } };
      if (typed.startsWith('$changelog-entry')) return { items: [{ type: 'message', text: 'Added: retries in the uploader (#514).' }], usage: { input_tokens: 35, output_tokens: 7, cached_tokens: 3 } };
      if (typed.startsWith('no,')) return { items: [{ type: 'message', text: 'Now GET /health returns JSON.' }], usage: { input_tokens: 32, output_tokens: 6, cached_tokens: 2 } };
      if (typed.includes('/health')) return { items: [{ type: 'message', text: 'Added GET /health.' }], usage: { input_tokens: 30, output_tokens: 5, cached_tokens: 1 } };
      return { items: [{ type: 'message', text: 'Unscripted.' }], usage: { input_tokens: 1, output_tokens: 1 } };
    };
    const server = await startFakeResponsesStreamServer(script, { model: 'gpt-fake', log });
    cleanups.push(() => server.close());
    writeFileSync(
      join(codexHome, 'config.toml'),
      [
        'model = "gpt-fake"',
        'model_provider = "fake"',
        'approval_policy = "never"',
        'sandbox_mode = "danger-full-access"',
        'check_for_update_on_startup = false',
        '',
        // Else the TUI copies a 400 MB app-server daemon into CODEX_HOME and leaves it running after the test.
        '[features]',
        'daemon_auto_start = false',
        '',
        '[model_providers.fake]',
        'name = "Fake Responses"',
        `base_url = "${server.url}"`,
        'wire_api = "responses"',
        'env_key = "FAKE_OPENAI_API_KEY"',
        '',
        `[projects."${project}"]`,
        'trust_level = "trusted"',
        '',
      ].join('\n'),
    );
    const env = { PATH, HOME: home, CODEX_HOME: codexHome, TERM: 'xterm-256color', LANG: 'C.UTF-8', FAKE_OPENAI_API_KEY: 'sk-fake-local-codex-key' };
    const sessionsDir = join(codexHome, 'sessions');

    const tui = TmuxSession.start([codex], { cwd: project, env, socket: `sos-codex-${process.pid}` });
    cleanups.push(() => tui.close());
    await waitFor('the Codex prompt', () => /for shortcuts/.test(tui.screen()), TURN_MS, () => tui.screen());
    log('codex: interactive prompt ready');
    const answered = (text: string) => () => transcriptText(sessionsDir).includes(`"last_agent_message":"${text}"`);
    await tui.type('add a /health endpoint');
    await waitFor('the answer to the first prompt', answered('Added GET /health.'), TURN_MS, () => tui.screen());
    log('the answer to the first prompt');
    await tui.type('no, it should return JSON');
    await waitFor('the answer to the correction', answered('Now GET /health returns JSON.'), TURN_MS, () => tui.screen());
    log('the answer to the correction');
    await tui.type('$changelog-entry for PR #514');
    await waitFor('the answer to the skill prompt', answered('Added: retries in the uploader (#514).'), TURN_MS, () => tui.screen());
    log('the answer to the skill prompt');
    tui.close();

    const exec = await runProgram(codex, ['exec', '--skip-git-repo-check', 'now run the failing check'], { cwd: project, env, timeoutMs: 60_000 });
    expect(exec.status, exec.stderr).toBe(0);
    expect(exec.stdout.trim().split('\n').at(-1)).toBe('The check failed with exit code 3.');
    noUnknownRoutes(server);

    log('codex: both sessions written, harvesting');
    const { report, sessions } = harvest(home, { CODEX_HOME: codexHome });
    log('codex: harvested');
    expect(sessions.map((s) => s.source)).toEqual(['codex', 'codex']);
    const [headless, interactive] = sessions as [HarvestedSession, HarvestedSession];
    expect(interactive.prompts.map((p) => [p.text, p.skill])).toEqual([
      ['add a /health endpoint', undefined],
      ['no, it should return JSON', undefined],
      ['$changelog-entry for PR #514', 'changelog-entry'],
    ]);
    expect(interactive.final_answers).toEqual(['Added GET /health.', 'Now GET /health returns JSON.', 'Added: retries in the uploader (#514).']);
    expect(interactive.skills).toEqual(['changelog-entry']);
    expect(interactive.headless).toBe(false);
    expect(interactive.origin).toBe('cli');
    expect(interactive.tokens).toEqual({ input: 30 + 32 + 35, output: 5 + 6 + 7, cachedInput: 1 + 2 + 3 });
    expect(headless.prompts.map((p) => p.text)).toEqual(['now run the failing check']);
    expect(headless.final_answers).toEqual(['The check failed with exit code 3.']);
    expect(headless.headless).toBe(true);
    expect(headless.origin).toBe('exec');
    expect(headless.tool_errors).toEqual([{ tool: 'exec_command', promptIndex: 0, text: 'exit code 3:' }]);
    expect(headless.tokens).toEqual({ input: 90, output: 17, cachedInput: 10 });

    const source = report.sources.find((s) => s.source === 'codex') as { drift: { versions: Record<string, number>; unknownRecords: Record<string, number>; emptySessions: Record<string, number> } };
    expect(source.drift.versions).toEqual({ '0.171.0': 2 });
    expect(source.drift.unknownRecords).toEqual({});
    expect(source.drift.emptySessions).toEqual({});
  });
});
