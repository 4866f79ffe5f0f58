import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** A fresh temp folder. */
export function tempDir(prefix = 'sos-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Run the built CLI with a temp HOME and state folder; never the machine's own. */
export function runCli(args: string[], options: { home?: string; env?: Record<string, string>; input?: string } = {}) {
  const home = options.home ?? tempDir();
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: home,
    encoding: 'utf8',
    input: options.input ?? '',
    env: { PATH: process.env.PATH ?? '', HOME: home, TZ: 'UTC', SKILLOPT_SLEEP_HOME: join(home, 'state'), ...options.env },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, home };
}
