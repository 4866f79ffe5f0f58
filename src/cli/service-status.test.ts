import { describe, it, expect } from 'vitest';
import type { ServiceStatus } from '../service/status.js';
import { briefServiceStatus } from './service-status.js';

const full = (over: Partial<ServiceStatus> = {}): ServiceStatus => ({
  service: { manager: 'systemd', unitPath: '/home/u/.config/systemd/user/skillopt-sleep.service', installed: true, state: 'active' },
  daemon: { running: true, pid: 99, via: 'socket', startedAt: '2026-03-11T01:00:00Z', version: '0.1.0', socket: '/s/control.sock' },
  schedule: { at: '03:00', timeZone: 'Europe/Paris' },
  lastNight: null,
  nextNight: { at: '2026-03-12T02:00:00.000Z', date: '2026-03-12', trigger: 'schedule' },
  logs: '/s/logs/daemon.log',
  ...over,
});

describe('briefServiceStatus', () => {
  it('carries installed, running, pid and the next night, and names the unit and schedule', () => {
    expect(briefServiceStatus(full())).toEqual({
      installed: true,
      running: true,
      pid: 99,
      nextNight: { at: '2026-03-12T02:00:00.000Z', date: '2026-03-12', trigger: 'schedule' },
      detail: 'systemd unit /home/u/.config/systemd/user/skillopt-sleep.service (active); daemon pid 99; nights at 03:00 Europe/Paris',
    });
  });

  it('says how to install when there is no unit, and cannot tell on a platform without a service manager', () => {
    const none = briefServiceStatus(full({ service: { manager: 'systemd', unitPath: '/u/x.service', installed: false, state: null }, daemon: { running: false, pid: null, via: null, startedAt: null, version: null, socket: '/s' } }));
    expect(none).toMatchObject({ installed: false, running: false, pid: null });
    expect(none.detail).toBe('not installed (`skillopt-sleep install` writes /u/x.service); no daemon running; nights at 03:00 Europe/Paris');
    expect(briefServiceStatus(full({ service: { manager: 'none', unitPath: null, installed: false, state: null } })).installed).toBeNull();
  });
});
