import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDeps } from './test-deps.js';
import { runStatus } from './run-status.js';
import type { ServiceStatus } from './deps.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'sos-status-'));

describe('runStatus takes the service through the injected readServiceStatus', () => {
  it('shows the service and takes the next night from it', async () => {
    const service: ServiceStatus = { installed: true, running: true, pid: 4321, nextNight: { at: '2026-03-12T03:00:00.000Z', date: '2026-03-12', trigger: 'schedule' }, detail: 'systemd unit; daemon pid 4321' };
    let asked = 0;
    const deps = createTestDeps(tmp(), { readServiceStatus: () => (asked++, Promise.resolve(service)) });
    const status = await runStatus(deps);
    expect(asked).toBe(1);
    expect(status.service).toEqual(service);
    expect(status.nextNight).toEqual({ at: '2026-03-12T03:00:00.000Z', date: '2026-03-12', trigger: 'schedule', detail: 'night of 2026-03-12, scheduled' });
  });

  it('a catch-up night without a daemon says the daemon must run it', async () => {
    const deps = createTestDeps(tmp(), { readServiceStatus: () => Promise.resolve({ installed: false, running: false, pid: null, nextNight: { at: '2026-03-11T10:00:00.000Z', date: '2026-03-11', trigger: 'catch-up' }, detail: 'not installed' }) });
    expect((await runStatus(deps)).nextNight.detail).toBe('night of 2026-03-11, catch-up (when the daemon runs: `skillopt-sleep install`)');
  });

  it('without a service status wired in, the next night is unknown rather than made up', async () => {
    const status = await runStatus(createTestDeps(tmp()));
    expect(status.service).toMatchObject({ installed: null, running: null, pid: null, nextNight: null });
    expect(status.nextNight).toMatchObject({ at: null, date: null, trigger: null });
  });
});
