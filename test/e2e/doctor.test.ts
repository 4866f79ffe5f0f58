import { describe, it, expect } from 'vitest';
import { runCli } from './helpers.js';

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
