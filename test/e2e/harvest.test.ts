import { describe, it, expect } from 'vitest';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir } from './helpers.js';

/** A temp HOME laid out like a real one, with the real transcripts in their tools' folders. */
function homeWithTranscripts(): string {
  const home = tempDir();
  const claude = join(home, '.claude', 'projects', '-path-to-Demo');
  const codex = join(home, '.codex', 'sessions', '2026', '02', '23');
  mkdirSync(claude, { recursive: true });
  mkdirSync(codex, { recursive: true });
  for (const f of readdirSync(join(ROOT, 'fixtures', 'transcripts', 'claude-code'))) copyFileSync(join(ROOT, 'fixtures', 'transcripts', 'claude-code', f), join(claude, f));
  for (const f of readdirSync(join(ROOT, 'fixtures', 'transcripts', 'codex'))) copyFileSync(join(ROOT, 'fixtures', 'transcripts', 'codex', f), join(codex, f));
  return home;
}

describe('skillopt-sleep harvest and sessions (spawned CLI)', () => {
  it('harvests real transcripts, then re-harvests only what changed', () => {
    const home = homeWithTranscripts();
    const first = runCli(['harvest', '--json'], { home });
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    const by = (r: { sources: Array<{ source: string }> }, s: string) => r.sources.find((x) => x.source === s) as unknown as { filesSeen: number; filesRead: number; sessionsNew: number; sessionsUpdated: number; bytesRead: number };
    expect(by(report, 'claude-code')).toMatchObject({ filesSeen: 4, filesRead: 4, sessionsNew: 4 });
    expect(by(report, 'codex')).toMatchObject({ filesSeen: 3, filesRead: 3, sessionsNew: 3 });

    const again = JSON.parse(runCli(['harvest', '--json'], { home }).stdout);
    expect(by(again, 'claude-code')).toMatchObject({ filesRead: 0, sessionsNew: 0, bytesRead: 0 });

    // Append a real prompt to one Claude Code session: only the appended bytes are read.
    const file = join(home, '.claude', 'projects', '-path-to-Demo', '1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl');
    const last = JSON.parse(readFileSync(file, 'utf8').trim().split('\n').pop()!);
    const line = { ...last, type: 'user', uuid: 'e2e-appended-1', parentUuid: last.uuid, timestamp: '2025-09-03T01:00:00.000Z', isMeta: undefined, isSidechain: false, message: { role: 'user', content: 'now write the commit message for this in the imperative mood' } };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
    const appended = JSON.parse(runCli(['harvest', '--json', '--source', 'claude-code'], { home }).stdout);
    expect(by(appended, 'claude-code')).toMatchObject({ filesRead: 1, sessionsUpdated: 1 });
    expect(by(appended, 'claude-code').bytesRead).toBeLessThan(2000);

    const list = JSON.parse(runCli(['sessions', 'list', '--json'], { home }).stdout);
    expect(list).toHaveLength(7);
    const session = list.find((s: { session_id: string }) => s.session_id === '1af7fc5e-8455-4414-9ccd-011d40f70b2a');
    expect(session.prompts.map((p: { text: string }) => p.text)).toContain('now write the commit message for this in the imperative mood');
    for (const key of ['id', 'source', 'project', 'started_at', 'prompts', 'tools', 'skills', 'feedback', 'headless']) expect(session).toHaveProperty(key);

    const show = runCli(['sessions', 'show', '5c0375b4'], { home });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('@CLAUDE.md を最新の状態にアップデートしてください');
  });

  it('reads config.json through its validated cache: each edit is validated again, and a bad one is named', () => {
    const home = homeWithTranscripts();
    const state = join(home, 'state');
    mkdirSync(state, { recursive: true });
    const config = join(state, 'config.json');
    writeFileSync(config, JSON.stringify({ harvest: { sources: ['codex'] } }));
    const sources = (run: { stdout: string }) => (JSON.parse(run.stdout) as { sources: Array<{ source: string }> }).sources.map((s) => s.source);
    expect(sources(runCli(['harvest', '--json'], { home }))).toEqual(['codex']);
    expect(existsSync(join(state, 'config.checked.json'))).toBe(true);
    expect(sources(runCli(['harvest', '--json'], { home }))).toEqual(['codex']);
    writeFileSync(config, JSON.stringify({ harvest: { sources: ['codex', 'claude-code'] } }));
    expect(sources(runCli(['harvest', '--json'], { home }))).toEqual(['claude-code', 'codex']);
    writeFileSync(config, JSON.stringify({ harvest: { sources: ['cursor'] } }));
    const bad = runCli(['harvest'], { home });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('harvest.sources');
    expect(bad.stderr).toContain('config.json has invalid settings');
  });

  it('names the fix for an unknown source, a bad date and an unknown session', () => {
    const home = tempDir();
    const source = runCli(['harvest', '--source', 'cursor'], { home });
    expect(source.code).toBe(2);
    expect(source.stderr).toMatch(/claude-code/);
    const since = runCli(['harvest', '--since', 'yesterday-ish'], { home });
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since/);
    const show = runCli(['sessions', 'show', 'nope'], { home });
    expect(show.code).toBe(1);
    expect(show.stderr).toMatch(/sessions list/);
  });
});
