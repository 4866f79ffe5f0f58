import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClaudeCliBackend } from '../../src/models/claude-cli.js';
import { SkillOptError } from '../../src/core/errors.js';
import { runCli, tempDir } from './helpers.js';

/**
 * The real Claude Code binary, when this machine has one (SKILLOPT_SLEEP_TEST_CLAUDE, else `claude` on PATH).
 * No login and no network are needed: Claude Code runs the plugin's hooks and expands its commands (inline bash
 * included) before the model call, which then fails with "Not logged in".
 */
function findClaude(): string | undefined {
  const explicit = process.env.SKILLOPT_SLEEP_TEST_CLAUDE;
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  const which = spawnSync('sh', ['-c', 'command -v claude'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

const claude = findClaude();

describe.skipIf(!claude)('the plugin inside the real Claude Code (not logged in, no network)', () => {
  let home: string;
  let bin: string;
  let log: string;
  let env: Record<string, string>;

  const claudeP = (prompt: string) =>
    spawnSync(claude!, ['-p', prompt, '--output-format', 'json'], { cwd: home, env, encoding: 'utf8', timeout: 60_000, input: '' });

  beforeAll(() => {
    home = tempDir('sos-claude-real-');
    bin = join(home, 'bin');
    log = join(bin, 'calls.log');
    mkdirSync(bin);
    writeFileSync(join(bin, 'skillopt-sleep'), `#!/bin/sh\necho "$*" >> '${log}'\nif [ "$1" = status ]; then echo '{"pendingProposals":[]}'; exit 0; fi\necho "report of night 1: held-out 40% -> 80%"\n`);
    chmodSync(join(bin, 'skillopt-sleep'), 0o755);
    env = { PATH: `${bin}:/usr/bin:/bin`, HOME: home, TZ: 'UTC', SKILLOPT_SLEEP_HOME: join(home, 'state'), ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' };
    expect(runCli(['plugins', 'install', 'claude-code'], { home }).code).toBe(0);
    expect(spawnSync(claude!, ['plugin', 'validate', join(home, 'state', 'claude-code-marketplace')], { env, encoding: 'utf8' }).status).toBe(0);
  }, 120_000);

  it('registers the marketplace, installs the enabled plugin, runs its SessionStart hook and passes command arguments through', () => {
    // A proposal waits, so the SessionStart hook has a line to say (it reads <state>/pending.json, asks no one).
    mkdirSync(join(home, 'state'), { recursive: true });
    writeFileSync(join(home, 'state', 'pending.json'), JSON.stringify({ version: 1, updatedAt: '2026-01-01T00:00:00Z', pending: [{ night: 1, skill: 'skillopt-sleep-learned', proposalId: 1, flagged: 0, testBefore: 0.4, testAfter: 0.8, valBefore: 0.4, valAfter: 0.8 }] }));
    // The first session registers the marketplace from settings.json; the plugin is installed by the next start.
    let calls = '';
    for (let attempt = 0; attempt < 3 && !calls.includes('report --night 1'); attempt += 1) {
      const result = claudeP('/skillopt-sleep:skillopt-sleep-report --night 1');
      // Before the plugin is installed: "Unknown command"; after: the command expands, then "Not logged in".
      expect(result.stdout).toMatch(/Unknown command: \/skillopt-sleep:skillopt-sleep-report|Not logged in/);
      calls = existsSync(log) ? readFileSync(log, 'utf8') : '';
    }
    expect(calls.split('\n')).toContain('report --night 1');
    // The hook ran inside the real Claude Code: its line is in the session's transcript.
    const transcripts = readdirSync(join(home, '.claude', 'projects'), { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && d.name.endsWith('.jsonl'));
    expect(transcripts.some((d) => readFileSync(join(d.parentPath, d.name), 'utf8').includes('night 1 proposes a change to skillopt-sleep-learned'))).toBe(true);
    // Plugin commands answer only to /skillopt-sleep:NAME; the user skills the install adds answer to the bare names.
    const bare = claudeP('/skillopt-sleep-adopt --night 2 --all');
    expect(bare.stdout).toContain('Not logged in');
    expect(readFileSync(log, 'utf8').split('\n')).toContain('adopt --night 2 --all');
    const list = spawnSync(claude!, ['plugin', 'list', '--json'], { env, encoding: 'utf8' });
    expect(JSON.parse(list.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'skillopt-sleep@skillopt-sleep', enabled: true })]));
  }, 240_000);

  it('uninstall leaves settings.json as it was', () => {
    expect(runCli(['plugins', 'uninstall', 'claude-code'], { home }).code).toBe(0);
    expect(existsSync(join(home, '.claude', 'skills'))).toBe(false);
    const settings = existsSync(join(home, '.claude', 'settings.json')) ? readFileSync(join(home, '.claude', 'settings.json'), 'utf8') : '(absent)';
    expect(settings).toBe('(absent)');
  });

  it('the claude-cli backend says AUTH naming the fix when Claude Code is not logged in', async () => {
    const work = tempDir('sos-claude-real-work-');
    try {
      const backend = createClaudeCliBackend({ command: claude!, timeoutMs: 60_000 }, { env, tmpDir: work });
      const error = await backend.complete({ system: 'Be brief.', user: 'hi' }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(SkillOptError);
      expect((error as SkillOptError).code).toBe('AUTH');
      expect((error as SkillOptError).hint).toContain('claude /login');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
