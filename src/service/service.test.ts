import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderLaunchdPlist } from './launchd.js';
import { renderSystemdUnit, systemdQuote } from './systemd.js';
import { exampleSpec, type ServiceSpec } from './spec.js';
import { applyPlan, planInstall, planUninstall, renderPlan, serviceTarget } from './installer.js';
import { recordingRunner } from '../../test/helpers/recording-runner.js';
import { isSkillOptError } from '../core/errors.js';
import type { Environment } from '../core/paths.js';

const ROOT = join(import.meta.dirname, '..', '..');

function linuxEnv(home: string, extra: Record<string, string> = {}): Environment {
  return { env: { USER: 'you', ...extra }, platform: 'linux', homeDir: home };
}

describe('service file renderers (golden files in launchd/ and systemd/)', () => {
  it('renders the checked-in launchd plist and systemd unit exactly', () => {
    expect(renderLaunchdPlist(exampleSpec('darwin'))).toBe(readFileSync(join(ROOT, 'launchd', 'com.skillopt-sleep.daemon.plist'), 'utf8'));
    expect(renderSystemdUnit(exampleSpec('linux'))).toBe(readFileSync(join(ROOT, 'systemd', 'skillopt-sleep.service'), 'utf8'));
  });

  it('says what the issue asks: KeepAlive on failure, RunAtLoad, log paths, explicit PATH and node; Restart=on-failure', () => {
    const plist = renderLaunchdPlist(exampleSpec('darwin'));
    expect(plist).toMatch(/<key>KeepAlive<\/key>\s*<dict>\s*<key>SuccessfulExit<\/key>\s*<false\/>/);
    expect(plist).toMatch(/<key>RunAtLoad<\/key>\s*<true\/>/);
    expect(plist).toContain('<string>/opt/homebrew/bin/node</string>');
    expect(plist).toContain('<key>StandardErrorPath</key>\n  <string>/Users/you/Library/Application Support/skillopt-sleep/logs/launchd.err.log</string>');
    const unit = renderSystemdUnit(exampleSpec('linux'));
    expect(unit).toContain('Restart=on-failure');
    expect(unit).toContain('ExecStart="/usr/bin/node" ');
    expect(unit).toContain('WantedBy=default.target');
  });

  it('escapes what would break the files: XML specials in the plist, quotes, % and $ in the unit', () => {
    const odd: ServiceSpec = { ...exampleSpec('linux'), stateHome: '/home/you/100% "odd" & <dir> $HOME' };
    expect(renderLaunchdPlist(odd)).toContain('<string>/home/you/100% &quot;odd&quot; &amp; &lt;dir&gt; $HOME</string>');
    expect(renderSystemdUnit(odd)).toContain('Environment="SKILLOPT_SLEEP_HOME=/home/you/100%% \\"odd\\" & <dir> $$HOME"');
    expect(systemdQuote('a\\b')).toBe('"a\\\\b"');
  });

  it('plutil accepts the plist when it exists (macOS)', () => {
    const plutil = spawnSync('plutil', ['-lint', join(ROOT, 'launchd', 'com.skillopt-sleep.daemon.plist')], { encoding: 'utf8' });
    if (plutil.error) {
      // Not macOS: the XML is still checked for the plist DTD's shape.
      const plist = renderLaunchdPlist(exampleSpec('darwin'));
      expect(plist.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist')).toBe(true);
      expect(plist.match(/<dict>/g)?.length).toBe(plist.match(/<\/dict>/g)?.length);
      return;
    }
    expect(plutil.status, plutil.stdout + plutil.stderr).toBe(0);
  });
});

describe('systemd-analyze verify on the rendered unit', () => {
  // On Linux this needs systemd-analyze (Debian's `systemd` package; `.ci/run` machines have it): missing, it fails.
  it.skipIf(process.platform !== 'linux')('accepts the unit rendered for this machine with no warning, and rejects a broken one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sos-unit-'));
    const spec: ServiceSpec = { ...exampleSpec('linux'), nodePath: process.execPath, cliPath: join(ROOT, 'dist', 'cli', 'main.js'), stateHome: join(dir, 'state with space'), homeDir: dir };
    const path = join(dir, 'skillopt-sleep.service');
    writeFileSync(path, renderSystemdUnit(spec));
    const ok = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
    expect(ok.error, 'systemd-analyze not found: apt-get install systemd').toBeUndefined();
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stderr.trim()).toBe('');
    writeFileSync(path, renderSystemdUnit({ ...spec, nodePath: join(dir, 'no-such-node') }));
    const bad = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/not executable/);
  });
});

describe('install / uninstall through an injected command runner', () => {
  it('Linux: checks the user manager, writes the unit, daemon-reload, enable --now, asks about linger', () => {
    const home = mkdtempSync(join(tmpdir(), 'sos-inst-'));
    const target = serviceTarget(linuxEnv(home), 1000);
    expect(target.unitPath).toBe(join(home, '.config', 'systemd', 'user', 'skillopt-sleep.service'));
    const runner = recordingRunner([['loginctl show-user', { stdout: 'no\n' }]]);
    const spec = exampleSpec('linux');
    const result = applyPlan(planInstall(spec, target, undefined), runner);
    expect(runner.calls).toEqual([
      'systemctl --user show-environment',
      'systemctl --user daemon-reload',
      'systemctl --user enable --now skillopt-sleep.service',
      'loginctl show-user you --property=Linger --value',
    ]);
    expect(readFileSync(target.unitPath, 'utf8')).toBe(renderSystemdUnit(spec));
    expect(statSync(target.unitPath).mode & 0o777).toBe(0o644);
    expect(result.notes.join('\n')).toMatch(/loginctl enable-linger you/);

    // Installing again with a changed unit restarts the running daemon; with linger on, no note.
    const again = recordingRunner([['loginctl show-user', { stdout: 'yes\n' }]]);
    const r2 = applyPlan(planInstall({ ...spec, pathEnv: '/usr/bin:/bin' }, target, readFileSync(target.unitPath, 'utf8')), again);
    expect(again.calls).toContain('systemctl --user restart skillopt-sleep.service');
    expect(r2.notes).toEqual([]);

    const un = recordingRunner();
    const plan = planUninstall(target, { purge: false, stateHome: join(home, '.local', 'state', 'skillopt-sleep'), homeDir: home });
    const r3 = applyPlan(plan, un);
    expect(un.calls).toEqual(['systemctl --user disable --now skillopt-sleep.service', 'systemctl --user daemon-reload', 'systemctl --user reset-failed skillopt-sleep.service']);
    expect(existsSync(target.unitPath)).toBe(false);
    expect(r3.notes.join()).toMatch(/your data stays/);
  });

  it('Linux without a user session: stops before writing anything and says what to do', () => {
    const home = mkdtempSync(join(tmpdir(), 'sos-inst-'));
    const target = serviceTarget(linuxEnv(home), 1000);
    const runner = recordingRunner([['systemctl --user show-environment', { code: 1, stderr: 'Failed to connect to bus: No medium found' }]]);
    let error: unknown;
    try {
      applyPlan(planInstall(exampleSpec('linux'), target, undefined), runner);
    } catch (e) {
      error = e;
    }
    expect(isSkillOptError(error, 'UNAVAILABLE')).toBe(true);
    expect(String((error as Error).message)).toMatch(/No medium found/);
    expect((error as { hint: string }).hint).toMatch(/loginctl enable-linger/);
    expect((error as { hint: string }).hint).toMatch(/skillopt-sleep daemon` under another supervisor/);
    expect(existsSync(target.unitPath)).toBe(false);
    expect(runner.calls).toEqual(['systemctl --user show-environment']);
  });

  it('a failing systemctl step names the command and its output', () => {
    const home = mkdtempSync(join(tmpdir(), 'sos-inst-'));
    const runner = recordingRunner([['systemctl --user enable', { code: 1, stderr: 'Unit skillopt-sleep.service has a bad setting.' }]]);
    expect(() => applyPlan(planInstall(exampleSpec('linux'), serviceTarget(linuxEnv(home), 1000), undefined), runner)).toThrow(/`systemctl --user enable --now skillopt-sleep.service` failed \(exit 1\): Unit skillopt-sleep.service has a bad setting/);
  });

  it('macOS: writes the plist, bootout (may fail), bootstrap gui/UID, enable; uninstall boots out and removes it', () => {
    const home = mkdtempSync(join(tmpdir(), 'sos-inst-'));
    const target = serviceTarget({ env: {}, platform: 'darwin', homeDir: home }, 501);
    expect(target.unitPath).toBe(join(home, 'Library', 'LaunchAgents', 'com.skillopt-sleep.daemon.plist'));
    const runner = recordingRunner([['launchctl bootout', { code: 3, stderr: 'Boot-out failed: 3: No such process' }]]);
    applyPlan(planInstall(exampleSpec('darwin'), target, undefined), runner);
    expect(runner.calls).toEqual([
      'launchctl bootout gui/501/com.skillopt-sleep.daemon',
      `launchctl bootstrap gui/501 ${target.unitPath}`,
      'launchctl enable gui/501/com.skillopt-sleep.daemon',
    ]);
    expect(readFileSync(target.unitPath, 'utf8')).toBe(renderLaunchdPlist(exampleSpec('darwin')));
    const un = recordingRunner();
    applyPlan(planUninstall(target, { purge: false, stateHome: join(home, 'state'), homeDir: home }), un);
    expect(un.calls).toEqual(['launchctl bootout gui/501/com.skillopt-sleep.daemon']);
    expect(existsSync(target.unitPath)).toBe(false);
  });

  it('uninstall --purge deletes the state folder, never the home folder', () => {
    const home = mkdtempSync(join(tmpdir(), 'sos-inst-'));
    const state = join(home, '.local', 'state', 'skillopt-sleep');
    mkdirSync(state, { recursive: true });
    writeFileSync(join(state, 'sleep.db'), '');
    const target = serviceTarget(linuxEnv(home), 1000);
    applyPlan(planUninstall(target, { purge: true, stateHome: state, homeDir: home }), recordingRunner());
    expect(existsSync(state)).toBe(false);
    expect(existsSync(home)).toBe(true);
    expect(() => planUninstall(target, { purge: true, stateHome: home, homeDir: home })).toThrow(/refusing to purge/);
    expect(() => planUninstall(target, { purge: true, stateHome: '/', homeDir: home })).toThrow(/refusing to purge/);
  });

  it('dry-run text lists every file and command; other platforms are told to use another supervisor', () => {
    const text = renderPlan(planInstall(exampleSpec('linux'), serviceTarget(linuxEnv('/home/you'), 1000), undefined), 'install');
    expect(text).toContain('write   /home/you/.config/systemd/user/skillopt-sleep.service (mode 644)');
    expect(text).toContain('run     systemctl --user enable --now skillopt-sleep.service');
    expect(text).toContain('Restart=on-failure');
    expect(() => serviceTarget({ env: {}, platform: 'win32', homeDir: 'C:\\Users\\you' }, 0)).toThrow(/not on win32/);
    expect(serviceTarget(linuxEnv('/home/you', { XDG_CONFIG_HOME: '/cfg' }), 1).unitPath).toBe('/cfg/systemd/user/skillopt-sleep.service');
  });
});
