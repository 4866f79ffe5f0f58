import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, loadConfig, parseConfig } from './config.js';
import { describeConfigKeys } from './docs.js';

describe('config', () => {
  it('has the paper defaults where the paper has them, and ours elsewhere', () => {
    const c = defaultConfig();
    expect(c.target.backend).toBe('simulated');
    expect(c.trainer.batchSize).toBe(40);
    expect(c.trainer.minibatchSize).toBe(8);
    expect(c.trainer.schedule).toEqual({ kind: 'cosine', max: 4, min: 2 });
    expect(c.trainer.seed).toBe(42);
    expect(c.trainer.gate).toMatchObject({ mode: 'paired', alpha: 0.05 });
    expect(c.trainer.gate.unit).toBeUndefined();
    expect(c.concurrency).toBe(4);
  });

  it('documents every key (the schema is the documentation)', () => {
    const keys = describeConfigKeys();
    expect(keys.length).toBeGreaterThan(50);
    const undocumented = keys.filter((k) => k.description.trim().length < 10).map((k) => k.key);
    expect(undocumented).toEqual([]);
    expect(keys.map((k) => k.key)).toContain('trainer.gate.alpha');
  });

  it('reports every bad key as path: message', () => {
    const r = parseConfig({ trainer: { gate: { alpha: 2, mode: 'loose' } }, concurrency: 0, nope: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.some((e) => e.startsWith('trainer.gate.alpha: '))).toBe(true);
    expect(r.errors.some((e) => e.startsWith('trainer.gate.mode: '))).toBe(true);
    expect(r.errors.some((e) => e.startsWith('concurrency: '))).toBe(true);
    expect(r.errors.some((e) => e.includes('nope'))).toBe(true);
  });

  it('uses the defaults when config.json is absent, and names the file when it is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sos-config-'));
    expect(loadConfig(join(dir, 'config.json')).source).toBe('defaults');
    writeFileSync(join(dir, 'config.json'), '{ "trainer": ');
    expect(() => loadConfig(join(dir, 'config.json'))).toThrow(/config\.json is not valid JSON/);
  });

  it('gates per task when the target is deterministic (temperature 0), per sample otherwise, unless set', async () => {
    const { trainerSettings } = await import('../app/run-train.js');
    const c = defaultConfig();
    expect(trainerSettings(c).gate.unit).toBe('sample');
    c.target.temperature = 0;
    expect(trainerSettings(c).gate.unit).toBe('task');
    c.trainer.gate.unit = 'sample';
    expect(trainerSettings(c).gate.unit).toBe('sample');
  });
});
