import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { SkillOptError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import type { Environment } from '../core/paths.js';
import { renderLaunchdPlist } from './launchd.js';
import type { CommandRunner } from './runner.js';
import { LAUNCHD_LABEL, SYSTEMD_UNIT, type ServiceSpec } from './spec.js';
import { renderSystemdUnit } from './systemd.js';

/** Which service manager runs the daemon here, and where its file goes. */
export type ServiceTarget =
  | { manager: 'systemd'; unitPath: string; user: string }
  | { manager: 'launchd'; unitPath: string; domain: string };

/** The service target of this platform; other platforms get an error saying what to do instead. */
export function serviceTarget(environment: Environment, uid: number): ServiceTarget {
  if (environment.platform === 'darwin') {
    return { manager: 'launchd', unitPath: join(environment.homeDir, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`), domain: `gui/${uid}` };
  }
  if (environment.platform === 'linux') {
    const xdg = environment.env.XDG_CONFIG_HOME;
    const config = xdg && isAbsolute(xdg) ? xdg : join(environment.homeDir, '.config');
    return { manager: 'systemd', unitPath: join(config, 'systemd', 'user', SYSTEMD_UNIT), user: environment.env.USER ?? environment.env.LOGNAME ?? String(uid) };
  }
  throw new SkillOptError('UNAVAILABLE', `installing a service is supported on macOS (launchd) and Linux (systemd), not on ${environment.platform}`, {
    hint: 'run `skillopt-sleep daemon` under your own supervisor (it restarts cleanly and exits non-zero on failure)',
  });
}

/** One step of an install or uninstall, as data: printed by --dry-run, executed by applyPlan. */
export type PlanStep =
  | { kind: 'check'; argv: string[]; why: string; failure: { message: string; hint: string } }
  | { kind: 'write'; path: string; content: string; mode: number }
  | { kind: 'run'; argv: string[]; why: string; mayFail?: boolean; noteUnlessStdout?: { equals: string; note: string } }
  | { kind: 'remove'; path: string; recursive?: boolean };

/** A plan and what the person should know. */
export interface ServicePlan {
  manager: ServiceTarget['manager'];
  unitPath: string;
  steps: PlanStep[];
  notes: string[];
}

const NO_USER_SESSION = {
  message: 'no systemd user session is reachable (`systemctl --user` cannot connect), so the service cannot be installed here',
  hint: 'log in through a normal session (ssh or a desktop) so systemd starts your user manager, and run `loginctl enable-linger $USER` so it also runs while you are logged out; or run `skillopt-sleep daemon` under another supervisor (tmux, supervisord, a container entrypoint)',
};

/** What `install` would do (pure: the current unit file's content decides whether a restart is needed). */
export function planInstall(spec: ServiceSpec, target: ServiceTarget, existing: string | undefined): ServicePlan {
  const notes: string[] = [];
  if (target.manager === 'systemd') {
    const content = renderSystemdUnit(spec);
    const steps: PlanStep[] = [
      { kind: 'check', argv: ['systemctl', '--user', 'show-environment'], why: 'a systemd user manager must be reachable', failure: NO_USER_SESSION },
      { kind: 'write', path: target.unitPath, content, mode: 0o644 },
      { kind: 'run', argv: ['systemctl', '--user', 'daemon-reload'], why: 'load the unit' },
      { kind: 'run', argv: ['systemctl', '--user', 'enable', '--now', SYSTEMD_UNIT], why: 'start it now and at every login' },
    ];
    if (existing !== undefined && existing !== content) steps.push({ kind: 'run', argv: ['systemctl', '--user', 'restart', SYSTEMD_UNIT], why: 'the unit changed: restart the running daemon' });
    steps.push({
      kind: 'run',
      argv: ['loginctl', 'show-user', target.user, '--property=Linger', '--value'],
      why: 'does the service run while you are logged out?',
      mayFail: true,
      noteUnlessStdout: { equals: 'yes', note: `the service stops when you log out; to keep nights running: loginctl enable-linger ${target.user}` },
    });
    if (existing === content) notes.push('the unit was already installed with this content');
    return { manager: 'systemd', unitPath: target.unitPath, steps, notes };
  }
  const content = renderLaunchdPlist(spec);
  const service = `${target.domain}/${LAUNCHD_LABEL}`;
  const steps: PlanStep[] = [
    { kind: 'write', path: target.unitPath, content, mode: 0o644 },
    // bootstrap refuses a loaded label: unload a previous version first (fails harmlessly when none is loaded).
    { kind: 'run', argv: ['launchctl', 'bootout', service], why: 'unload a previous version', mayFail: true },
    { kind: 'run', argv: ['launchctl', 'bootstrap', target.domain, target.unitPath], why: 'load and start the agent (RunAtLoad)' },
    { kind: 'run', argv: ['launchctl', 'enable', service], why: 'keep it enabled across logins' },
  ];
  return { manager: 'launchd', unitPath: target.unitPath, steps, notes };
}

/** What `uninstall` would do: stop and remove the service; the state folder only with `purge`. */
export function planUninstall(target: ServiceTarget, options: { purge: boolean; stateHome: string; homeDir: string }): ServicePlan {
  const steps: PlanStep[] =
    target.manager === 'systemd'
      ? [
          { kind: 'run', argv: ['systemctl', '--user', 'disable', '--now', SYSTEMD_UNIT], why: 'stop it and drop it from login', mayFail: true },
          { kind: 'remove', path: target.unitPath },
          { kind: 'run', argv: ['systemctl', '--user', 'daemon-reload'], why: 'forget the unit', mayFail: true },
          { kind: 'run', argv: ['systemctl', '--user', 'reset-failed', SYSTEMD_UNIT], why: 'clear a failed state', mayFail: true },
        ]
      : [
          { kind: 'run', argv: ['launchctl', 'bootout', `${target.domain}/${LAUNCHD_LABEL}`], why: 'stop and unload the agent', mayFail: true },
          { kind: 'remove', path: target.unitPath },
        ];
  const notes: string[] = [];
  if (options.purge) {
    const rel = relative(options.stateHome, options.homeDir);
    // Never delete the home folder or one of its parents, whatever SKILLOPT_SLEEP_HOME says.
    if (rel === '' || !rel.startsWith('..')) {
      throw new SkillOptError('INPUT', `refusing to purge ${options.stateHome}: it is your home folder or contains it`, { hint: 'point SKILLOPT_SLEEP_HOME at the skillopt-sleep state folder, or delete the data by hand' });
    }
    steps.push({ kind: 'remove', path: options.stateHome, recursive: true });
  } else {
    notes.push(`your data stays in ${options.stateHome} (uninstall --purge removes it)`);
  }
  return { manager: target.manager, unitPath: target.unitPath, steps, notes };
}

/** The state of the service file on disk (for planInstall). */
export function readExisting(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** What running a plan did, step by step. */
export interface AppliedStep {
  step: PlanStep;
  code?: number;
  output?: string;
}

/** Run a plan through the injected runner; a failing required step stops with an error that names it. */
export function applyPlan(plan: ServicePlan, runner: CommandRunner): { applied: AppliedStep[]; notes: string[] } {
  const applied: AppliedStep[] = [];
  const notes = [...plan.notes];
  for (const step of plan.steps) {
    switch (step.kind) {
      case 'check': {
        const r = runner.run(step.argv);
        applied.push({ step, code: r.code });
        if (r.code !== 0) throw new SkillOptError('UNAVAILABLE', `${step.failure.message}\n  (${step.argv.join(' ')}: ${(r.stderr || r.stdout).trim() || `exit ${r.code}`})`, { hint: step.failure.hint });
        break;
      }
      case 'write':
        writeFileAtomic(step.path, step.content, step.mode);
        applied.push({ step });
        break;
      case 'remove':
        rmSync(step.path, { force: true, recursive: step.recursive ?? false });
        applied.push({ step });
        break;
      case 'run': {
        const r = runner.run(step.argv);
        const output = (r.stderr || r.stdout).trim();
        applied.push({ step, code: r.code, output });
        if (r.code !== 0 && !step.mayFail) {
          throw new SkillOptError('UNAVAILABLE', `\`${step.argv.join(' ')}\` failed (exit ${r.code})${output ? `: ${output}` : ''}`, {
            hint: plan.manager === 'systemd' ? 'see `journalctl --user -u skillopt-sleep` and `skillopt-sleep logs`' : 'see `skillopt-sleep logs` and the launchd logs in the state folder',
          });
        }
        if (step.noteUnlessStdout && r.stdout.trim() !== step.noteUnlessStdout.equals) notes.push(step.noteUnlessStdout.note);
        break;
      }
      default:
        step satisfies never;
    }
  }
  return { applied, notes };
}

/** A plan as a person reads it (--dry-run). */
export function renderPlan(plan: ServicePlan, verb: 'install' | 'uninstall'): string {
  const lines = [`${verb} (${plan.manager}) would:`];
  for (const step of plan.steps) {
    switch (step.kind) {
      case 'check':
        lines.push(`  check   ${step.argv.join(' ')}   # ${step.why}`);
        break;
      case 'write':
        lines.push(`  write   ${step.path} (mode ${step.mode.toString(8)}):`, ...step.content.trimEnd().split('\n').map((l) => `            ${l}`));
        break;
      case 'run':
        lines.push(`  run     ${step.argv.join(' ')}   # ${step.why}${step.mayFail ? ' (may fail)' : ''}`);
        break;
      case 'remove':
        lines.push(`  remove  ${step.path}${step.recursive ? ' (and everything in it)' : ''}`);
        break;
      default:
        step satisfies never;
    }
  }
  for (const note of plan.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}

/** The folder the unit file lives in (for messages). */
export function unitFolder(plan: ServicePlan): string {
  return dirname(plan.unitPath);
}
