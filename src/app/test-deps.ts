import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../core/logger.js';
import { defaultConfig, loadConfig } from '../config/config.js';
import { registerConfigValidator } from '../config/load.js';
import { createDeps, type Deps, type DepsOverrides } from './deps.js';

// Tests read config.json through createDeps without the CLI, which registers the validator at start.
registerConfigValidator(loadConfig);

/**
 * Dependencies for tests: a state folder and HOME under `dir`, no process env, a given clock, silent logs and
 * the default (simulated) config unless one is given.
 */
export function createTestDeps(dir: string, overrides: DepsOverrides = {}): Deps {
  const environment = overrides.environment ?? { env: {}, platform: 'linux', homeDir: join(dir, 'home') };
  const tmpDir = overrides.tmpDir ?? join(dir, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  return createDeps({ home: join(dir, 'state') }, { cwd: dir, ...overrides, environment, logger: overrides.logger ?? silentLogger, tmpDir, config: overrides.config ?? defaultConfig() });
}
