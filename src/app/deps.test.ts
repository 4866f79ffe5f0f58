import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { createDeps } from './deps.js';
import { createTestDeps } from './test-deps.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('createDeps', () => {
  it('places state under --home, opens the store once in a 0700 folder, and closes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deps-'));
    dirs.push(dir);
    const deps = createDeps({ home: join(dir, 'state') }, { environment: { env: {}, platform: 'linux', homeDir: join(dir, 'home') } });
    expect(deps.paths.db).toBe(join(dir, 'state', 'sleep.db'));
    const db = deps.openDb();
    expect(deps.openDb()).toBe(db);
    expect(statSync(join(dir, 'state')).mode & 0o777).toBe(0o700);
    deps.close();
    expect(deps.openDb()).not.toBe(db);
    deps.close();
  });
  it('createTestDeps uses the given clock, no process env and the default simulated config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deps-'));
    dirs.push(dir);
    const deps = createTestDeps(dir, { clock: fixedClock('2026-03-04T05:06:07Z') });
    expect(deps.clock.now().toISOString()).toBe('2026-03-04T05:06:07.000Z');
    expect(deps.environment.env).toEqual({});
    expect(deps.environment.homeDir).toBe(join(dir, 'home'));
    expect(deps.config().target.backend).toBe('simulated');
  });
});
