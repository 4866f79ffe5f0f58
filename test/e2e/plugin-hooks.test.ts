import { describe, it, expect, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, runCli, tempDir } from './helpers.js';
import { daemonStatus, harvestedPrompts, killDaemons, startDaemon, waitFor } from '../helpers/daemon.js';
import { writeClaudeSession } from '../helpers/claude-transcripts.js';
import { personaHome } from '../helpers/persona-home.js';

// The Claude Code hooks against the real pieces they talk to: a spawned daemon, and the file a real night writes.
const HOOK = join(ROOT, 'plugins', 'claude-code', 'hooks', 'run-hook.sh');
const SKILL = 'skillopt-sleep-learned';

afterEach(killDaemons);

function envFor(home: string): Record<string, string> {
  // Only node's folder and the shell tools: no `skillopt-sleep` on PATH, so the hooks cannot lean on the CLI.
  return { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: home, TZ: 'UTC', SKILLOPT_SLEEP_HOME: join(home, 'state') };
}

function hook(event: 'session-end' | 'session-start', home: string, input: string): Promise<{ code: number | null; stdout: string; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn('sh', [HOOK, event], { env: envFor(home), cwd: home, stdio: ['pipe', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, ms: performance.now() - started }));
    child.stdin.end(input);
  });
}

describe('the SessionEnd hook against a real daemon (spawned, temp HOME)', () => {
  it('the daemon accepts its harvest-now and harvests the session that just ended', { timeout: 60_000 }, async () => {
    const home = tempDir('sos-hook-');
    const state = join(home, 'state');
    mkdirSync(state, { recursive: true, mode: 0o700 });
    // No catch-up night and no watcher: only the hook's request can make the daemon read the new transcript.
    writeFileSync(join(state, 'config.json'), JSON.stringify({ harvest: { sources: ['claude-code'] }, daemon: { catchUp: { enabled: false }, watch: { enabled: false } } }));
    const daemon = await startDaemon(home, envFor(home), { ready: (s) => !s.harvest.running });
    const socket = daemon.socket;
    const before = (await daemonStatus(socket))!;

    const transcript = writeClaudeSession(home, 41);
    expect(harvestedPrompts(home).some((p) => p.includes('case 41.0'))).toBe(false);
    const input = JSON.stringify({ session_id: '00000000-0000-4000-8000-000000000041', transcript_path: transcript, cwd: home, hook_event_name: 'SessionEnd', reason: 'exit' });
    const result = await hook('session-end', home, input);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.ms).toBeLessThan(1000);

    await waitFor('the harvested session', () => harvestedPrompts(home).some((p) => p.includes('case 41.0')));
    const after = await waitFor('the harvest to finish', async () => {
      const s = await daemonStatus(socket);
      return s && !s.harvest.running && s.harvest.runs > before.harvest.runs ? s : undefined;
    });
    expect(after.harvest.last?.files).toBe('all');
    expect(after.harvest.lastError).toBeNull();
    // The daemon took the request as valid (an INPUT error would be logged as a bad control line).
    expect(daemon.stderr()).not.toMatch(/unknown command|not JSON/);
  });

  it('with the daemon gone (a stale socket file) the hook still exits 0 at once', async () => {
    const home = tempDir('sos-hook-');
    mkdirSync(join(home, 'state'), { recursive: true });
    writeFileSync(join(home, 'state', 'control.sock'), '');
    const result = await hook('session-end', home, '{}');
    expect([result.code, result.stdout, result.ms < 1000]).toEqual([0, '', true]);
  });
});

describe('the SessionStart hook after a real night (offline simulator, temp HOME)', () => {
  it('prints one line naming the night and skill while the proposal waits, and nothing after adopt', { timeout: 180_000 }, async () => {
    const home = personaHome(tempDir('sos-hook-night-'));
    const pendingFile = join(home, 'state', 'pending.json');
    const quiet = await hook('session-start', home, '{}');
    expect([quiet.code, quiet.stdout]).toEqual([0, '']);

    const night = runCli(['run', '--now', '--json'], { home });
    expect(night.code, night.stderr).toBe(0);
    const section = (JSON.parse(night.stdout) as { skills: Array<{ name: string; decision: string; proposalId: number; run: { headline: { baselineVal: number; bestVal: number; baselineTest: number; bestTest: number } } }> }).skills.find((s) => s.name === SKILL)!;
    expect(section.decision).toBe('proposed');

    // The derived file: private, atomic, with the run's held-out scores.
    expect(statSync(pendingFile).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(pendingFile, 'utf8')) as { version: number; pending: unknown[] };
    expect(file.version).toBe(1);
    expect(file.pending).toEqual([
      { night: 1, skill: SKILL, proposalId: section.proposalId, flagged: expect.any(Number) as number, testBefore: section.run.headline.baselineTest, testAfter: section.run.headline.bestTest, valBefore: section.run.headline.baselineVal, valAfter: section.run.headline.bestVal },
    ]);

    const start = await hook('session-start', home, '{"hook_event_name":"SessionStart","source":"startup"}');
    expect(start.code).toBe(0);
    expect(start.ms).toBeLessThan(1000);
    const lines = start.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0]!) as { systemMessage: string };
    expect(answer.systemMessage).toMatch(new RegExp(`^skillopt-sleep: night 1 proposes a change to ${SKILL} \\(held-out \\d+% -> \\d+%\\)`));

    const adopt = runCli(['adopt', '--json'], { home });
    expect(adopt.code, adopt.stderr).toBe(0);
    expect((JSON.parse(readFileSync(pendingFile, 'utf8')) as { pending: unknown[] }).pending).toEqual([]);
    const after = await hook('session-start', home, '{}');
    expect([after.code, after.stdout, after.ms < 1000]).toEqual([0, '', true]);
  });
});
