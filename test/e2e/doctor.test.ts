import { describe, it, expect } from 'vitest';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir } from './helpers.js';

describe('skillopt-sleep doctor (spawned CLI)', () => {
  it('reports each configured role; the offline default works without a key', () => {
    const r = runCli(['doctor', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(true);
    expect(report.entries.map((e: { role: string }) => e.role)).toEqual(['target', 'optimizer']);
  });

  it('names the backend, the code and the fix when a role cannot work', () => {
    const r = runCli(['doctor', '--target', 'openai:gpt-4o-mini'], { env: { OPENAI_BASE_URL: '', OPENAI_API_KEY: '' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/target/);
    expect(r.stdout).toMatch(/AUTH/);
    expect(r.stdout).toMatch(/OPENAI_API_KEY/);
  });

  it('rejects an unknown backend with the list of valid ones', () => {
    const r = runCli(['doctor', '--target', 'gemini:pro']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/simulated.*openai.*anthropic/s);
  });
});

describe('skillopt-sleep doctor: harvest drift', () => {
  it('shows per source the agent versions, unknown record types and sessions without a prompt', () => {
    const home = tempDir();
    const day = join(home, '.codex', 'sessions', '2026', '12', '01');
    mkdirSync(day, { recursive: true });
    const fixtures = join(ROOT, 'fixtures', 'transcripts', 'codex-0.171.0');
    for (const f of readdirSync(fixtures)) copyFileSync(join(fixtures, f), join(day, f));
    // A rollout as a future Codex might write it: a new record type, the prompt on a channel we do not read.
    const meta = readFileSync(join(fixtures, readdirSync(fixtures)[0]!), 'utf8').split('\n')[0]!.replace(/01a23343-75e0-79b2-a54b-02c16348f261/g, '01a23399-0000-7000-8000-000000000001').replace('0.171.0', '0.180.0');
    const future = [
      meta,
      JSON.stringify({ timestamp: '2026-12-01T21:00:01Z', type: 'user_turn_v2', payload: { text: 'add a test' } }),
      JSON.stringify({ timestamp: '2026-12-01T21:00:02Z', type: 'event_msg', payload: { type: 'agent_message', message: 'Added.' } }),
    ];
    writeFileSync(join(day, 'rollout-2026-12-01T21-00-00-01a23399-0000-7000-8000-000000000001.jsonl'), `${future.join('\n')}\n`);
    expect(runCli(['harvest'], { home }).code).toBe(0);
    const r = runCli(['doctor', '--json'], { home });
    expect(r.code).toBe(0);
    const codex = JSON.parse(r.stdout).harvestDrift.find((d: { source: string }) => d.source === 'codex');
    expect(codex).toEqual({
      source: 'codex',
      sessions: 5,
      versions: { '0.171.0': 4, '0.180.0': 1 },
      unknownRecords: { user_turn_v2: 1 },
      emptySessions: { answers_without_prompt: 1 },
    });
    const text = runCli(['doctor'], { home }).stdout;
    expect(text).toContain('codex         5 session(s)  versions 0.171.0×4 0.180.0×1  unknown records 1 (user_turn_v2×1)  no prompt 1 (answers_without_prompt×1)');
    expect(text).toMatch(/warning: codex wrote records/);
  });
});
