import { spawn } from 'node:child_process';
import { SkillOptError, type ErrorCode } from '../core/errors.js';
import type { CallContext } from './api.js';

/** Runs one CLI command (`<command> ... --json`) and returns its parsed JSON stdout. */
export type CliRunner = (argv: readonly string[], call: CallContext) => Promise<unknown>;

/** How to reach the built CLI: `node <cliPath> [--home DIR] <argv>`. */
export interface CliRunnerOptions {
  /** The node executable (process.execPath in the composition root). */
  node: string;
  /** `dist/cli/main.js`. */
  cliPath: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The state folder the server was started with (passed on as --home). */
  home?: string;
  /** Grace between SIGTERM and SIGKILL when the client cancels. */
  killGraceMs?: number;
}

const MAX_STDERR = 64 * 1024;

/** The CLI runner the standalone SleepApi uses until the use cases run in-process. */
export function createCliRunner(options: CliRunnerOptions): CliRunner {
  return (argv, call) =>
    new Promise((resolve, reject) => {
      const command = argv[0] ?? '';
      const fullArgv = [options.cliPath, ...(options.home ? ['--home', options.home] : []), ...argv];
      const child = spawn(options.node, fullArgv, { env: { ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let pending = '';
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => (stdout += chunk));
      child.stderr.on('data', (chunk: string) => {
        if (stderr.length < MAX_STDERR) stderr += chunk;
        if (!call.onProgress) return;
        // Progress lines may overwrite themselves with \r on a terminal; each segment is one message.
        pending += chunk;
        const parts = pending.split(/\r?\n|\r/);
        pending = parts.pop() ?? '';
        for (const line of parts) {
          const text = line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trim(); // eslint-disable-line no-control-regex
          if (text) call.onProgress(text);
        }
      });
      let killTimer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        child.kill('SIGTERM');
        killTimer = setTimeout(() => child.kill('SIGKILL'), options.killGraceMs ?? 2000);
      };
      if (call.signal?.aborted) onAbort();
      call.signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (error) => {
        call.signal?.removeEventListener('abort', onAbort);
        reject(new SkillOptError('UNAVAILABLE', `cannot start the skillopt-sleep CLI (${options.node} ${options.cliPath}): ${error.message}`, { hint: 'reinstall skillopt-sleep (`npm i -g skillopt-sleep`)', cause: error }));
      });
      child.on('close', (code, signal) => {
        call.signal?.removeEventListener('abort', onAbort);
        if (killTimer) clearTimeout(killTimer);
        if (call.signal?.aborted) return reject(new SkillOptError('CANCELLED', `skillopt-sleep ${command} was cancelled by the client`));
        try {
          resolve(interpretCliRun(command, { stdout, stderr, exitCode: code, signal }));
        } catch (error) {
          reject(error);
        }
      });
    });
}

/** Map a finished CLI run to its JSON data or a typed error; pure so each case is tested directly. */
export function interpretCliRun(command: string, run: { stdout: string; stderr: string; exitCode: number | null; signal?: NodeJS.Signals | null }): unknown {
  if (/unknown command ['"]?([\w-]+)/.test(run.stderr) && run.exitCode !== 0) {
    throw new SkillOptError('NOT_FOUND', `this build of skillopt-sleep has no \`${command}\` command yet`, {
      hint: 'update skillopt-sleep (`npm i -g skillopt-sleep@latest`); sleep_status works in every build',
    });
  }
  if (run.exitCode !== 0) {
    const { message, hint } = readCliError(run.stderr);
    const code: ErrorCode = run.exitCode === 2 ? 'INPUT' : run.exitCode === 130 ? 'CANCELLED' : 'UNAVAILABLE';
    const how = run.exitCode === null ? `killed by ${run.signal ?? 'a signal'}` : `exit code ${run.exitCode}`;
    throw new SkillOptError(code, `skillopt-sleep ${command} failed (${how}): ${message}`, hint ? { hint } : { hint: `run \`skillopt-sleep ${command} --help\` in a terminal` });
  }
  try {
    return JSON.parse(run.stdout) as unknown;
  } catch {
    throw new SkillOptError('INTERNAL', `skillopt-sleep ${command} --json printed something that is not JSON: ${run.stdout.trim().slice(0, 200) || '(nothing)'}`, {
      hint: 'this is a bug; run the command in a terminal and report its output',
    });
  }
}

/** The CLI prints `skillopt-sleep: <message>` and optionally `  fix: <hint>` on stderr (src/cli/main.ts). */
function readCliError(stderr: string): { message: string; hint?: string } {
  const lines = stderr.split(/\r?\n/).map((l) => l.trimEnd());
  const at = lines.findLastIndex((l) => l.startsWith('skillopt-sleep: ') || l.startsWith('error: '));
  if (at < 0) return { message: lines.filter((l) => l.trim()).slice(-3).join(' / ') || 'no message' };
  const message = lines[at]!.replace(/^(skillopt-sleep|error): /, '');
  const fix = lines.slice(at + 1).find((l) => l.trim().startsWith('fix: '));
  return fix ? { message, hint: fix.trim().slice('fix: '.length) } : { message };
}
