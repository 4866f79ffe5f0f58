import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../src/core/clock.js';
import { parseConfig, type Config } from '../../src/config/config.js';
import type { CliContext } from '../../src/app/deps.js';
import { createTestDeps as createAppTestDeps } from '../../src/app/test-deps.js';
import { memoryRejectedEditSink } from '../../src/skills/rejected-sink.js';
import { PERSONA_CONFIG } from './persona-home.js';

/** createTestDeps of src/app/test-deps.ts with the night's test parts: temp HOME and state, a fixed clock, a memory rejected-edit sink. */
export function createTestDeps(options: { home?: string; config?: Record<string, unknown>; alive?: (pid: number) => boolean } = {}) {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'sos-deps-'));
  // The persona history is small: hold instances out from three (see persona-home.ts).
  const parsed = parseConfig({ ...PERSONA_CONFIG, ...(options.config ?? {}) });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const config: Config = parsed.config;
  const clock = fixedClock('2026-02-14T03:00:00Z');
  const sink = memoryRejectedEditSink();
  const lines: { out: string[]; err: string[] } = { out: [], err: [] };
  const base = createAppTestDeps(home, {
    environment: { env: {}, platform: 'linux', homeDir: home },
    clock,
    config,
    tmpDir: tmpdir(),
    cwd: home,
    processInfo: { pid: 4242, host: 'test', isAlive: options.alive ?? (() => false) },
    rejectedEdits: () => sink,
  });
  const deps = {
    ...base,
    output: { out: (t: string) => void lines.out.push(t), err: (t: string) => void lines.err.push(t), interactive: false },
  } satisfies CliContext;
  return { deps, home, clock, sink, lines };
}
