import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../src/core/clock.js';
import { statePaths } from '../../src/core/paths.js';
import { createLogger } from '../../src/core/logger.js';
import { parseConfig, type Config } from '../../src/config/config.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { unknownServiceStatus, type CliContext } from '../../src/app/deps.js';
import { memoryRejectedEditSink } from '../../src/skills/rejected-sink.js';

/** The composition root's shape with test parts: temp HOME and state, a fixed clock, a memory rejected-edit sink. */
export function createTestDeps(options: { home?: string; config?: Record<string, unknown>; alive?: (pid: number) => boolean } = {}) {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'sos-deps-'));
  const paths = statePaths(join(home, 'state'));
  const parsed = parseConfig(options.config ?? {});
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const config: Config = parsed.config;
  const clock = fixedClock('2026-02-14T03:00:00Z');
  const sink = memoryRejectedEditSink();
  const lines: { out: string[]; err: string[] } = { out: [], err: [] };
  let db: Db | undefined;
  const deps = {
    environment: { env: {}, platform: 'linux' as const, homeDir: home },
    clock,
    paths,
    logger: createLogger({ kind: 'silent' }),
    output: { out: (t: string) => void lines.out.push(t), err: (t: string) => void lines.err.push(t), interactive: false },
    tmpDir: tmpdir(),
    cwd: home,
    processInfo: { pid: 4242, host: 'test', isAlive: options.alive ?? (() => false) },
    config: () => config,
    openDb: () => (db ??= openDatabase(paths.db)),
    rejectedEdits: () => sink,
    readServiceStatus: unknownServiceStatus,
  } satisfies CliContext;
  return { deps, home, clock, sink, lines };
}
