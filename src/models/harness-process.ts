import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { SkillOptError } from '../core/errors.js';

// Running a harness CLI (claude -p, codex exec) as a child process: time limits, process-group kills,
// output caps, and reading its failures. The replay workspace it runs in is harness-workspace.ts.

/** The part of child_process.spawn the harness uses; injected so tests can observe or replace it. */
export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

/** I/O a harness backend needs: the user's environment (for PATH and login), a spawner, a temp folder. */
export interface HarnessDeps {
  env: Readonly<Record<string, string | undefined>>;
  spawn?: SpawnFn;
  /** Parent folder for replay workspaces (the composition root passes os.tmpdir()). */
  tmpDir: string;
}

/** One harness process run: a command, its stdin, a working folder and a hard time limit. */
export interface HarnessRunRequest {
  /** Backend label for error messages, e.g. `claude-cli`. */
  backend: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdin: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Time between SIGTERM and SIGKILL (default 2000 ms). */
  killGraceMs?: number;
  /** Stdout larger than this is treated as a runaway process (default 16 MiB). */
  maxOutputBytes?: number;
  /** Hint shown when the command is not found. */
  notFoundHint?: string;
  spawn?: SpawnFn;
}

/** What a finished harness process left behind. */
export interface HarnessRunResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

const DEFAULT_KILL_GRACE_MS = 2000;
const DEFAULT_MAX_OUTPUT = 16 * 1024 * 1024;
const STDERR_KEEP = 64 * 1024;

/**
 * Spawn a harness CLI in its own process group, feed stdin, collect output. On timeout or abort the whole
 * group gets SIGTERM, then SIGKILL after a grace period, because agents start helpers (MCP servers, shells)
 * that would otherwise outlive the call. Rejects with TIMEOUT, CANCELLED or UNAVAILABLE (not found).
 */
export function runHarnessProcess(request: HarnessRunRequest): Promise<HarnessRunResult> {
  const spawn = request.spawn ?? (nodeSpawn as SpawnFn);
  const grace = request.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const maxOutput = request.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const useGroup = process.platform !== 'win32';
  const { signal } = request;

  return new Promise<HarnessRunResult>((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelledError(request));
      return;
    }
    let child: ChildProcess;
    try {
      child = spawn(request.command, request.args, {
        cwd: request.cwd,
        env: request.env as NodeJS.ProcessEnv,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: useGroup,
        windowsHide: true,
      });
    } catch (error) {
      reject(spawnError(request, error));
      return;
    }

    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let stopReason: 'timeout' | 'cancelled' | 'overflow' | undefined;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        if (useGroup) process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        try {
          child.kill(sig);
        } catch {
          // Already gone.
        }
      }
    };
    const stop = (why: 'timeout' | 'cancelled' | 'overflow'): void => {
      if (stopReason || settled) return;
      stopReason = why;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), grace);
    };
    const timer = setTimeout(() => stop('timeout'), request.timeoutMs);
    const onAbort = (): void => stop('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      // Stragglers that ignored SIGTERM (or outlived the leader) go now.
      if (stopReason) killGroup('SIGKILL');
      fn();
    };

    child.stdout?.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxOutput) {
        stop('overflow');
        return;
      }
      stdout.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEEP) stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => finish(() => reject(spawnError(request, error))));
    child.on('close', (code, sig) =>
      finish(() => {
        switch (stopReason) {
          case 'timeout':
            reject(
              new SkillOptError('TIMEOUT', `${request.backend}: \`${request.command}\` did not finish within ${request.timeoutMs} ms and was stopped`, {
                hint: 'raise the backend timeoutMs, or run the CLI by hand to see whether it waits for a login or a prompt',
              }),
            );
            return;
          case 'cancelled':
            reject(cancelledError(request));
            return;
          case 'overflow':
            reject(
              new SkillOptError('BAD_REQUEST', `${request.backend}: \`${request.command}\` printed more than ${maxOutput} bytes and was stopped`, {
                hint: 'check the CLI flags in cli.extraArgs; the reply should be one JSON result',
              }),
            );
            return;
          case undefined:
            resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr, exitCode: code, signal: sig });
            return;
          default:
            stopReason satisfies never;
        }
      }),
    );
    // A CLI that exits before reading stdin makes the write fail with EPIPE; the exit code tells the story.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(request.stdin);
  });
}

function cancelledError(request: HarnessRunRequest): SkillOptError {
  return new SkillOptError('CANCELLED', `${request.backend}: the call was cancelled`);
}

function spawnError(request: HarnessRunRequest, error: unknown): SkillOptError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') {
    return new SkillOptError('UNAVAILABLE', `${request.backend}: \`${request.command}\` was not found on PATH`, {
      hint: request.notFoundHint ?? 'install the CLI or set cli.command to its full path',
      cause: error,
    });
  }
  if (code === 'EACCES') {
    return new SkillOptError('UNAVAILABLE', `${request.backend}: \`${request.command}\` is not executable`, {
      hint: 'check the file permissions of the CLI, or set cli.command to the right binary',
      cause: error,
    });
  }
  return new SkillOptError('UNAVAILABLE', `${request.backend}: cannot start \`${request.command}\``, {
    hint: 'run the command by hand to see why it does not start',
    cause: error,
  });
}

/** What kind of failure a harness's error text describes, judged from well-known markers. */
export type HarnessFailureKind = 'AUTH' | 'RATE_LIMITED' | 'UNAVAILABLE' | 'BAD_REQUEST';

const AUTH_MARKERS = [
  /invalid api key/i,
  /\/login\b/i,
  /not logged in/i,
  /please (run )?(claude |codex )?login/i,
  /\b401\b/,
  /unauthori[sz]ed/i,
  /authentication (failed|error|required)/i,
  /(oauth )?token (has )?expired/i,
  /credit balance is too low/i,
];
const RATE_MARKERS = [/\b429\b/, /rate.?limit/i, /usage limit/i, /too many requests/i, /quota/i];
const UNAVAILABLE_MARKERS = [/\b5\d\d\b/, /overloaded/i, /service unavailable/i, /ECONNRESET|ECONNREFUSED|ETIMEDOUT|ENOTFOUND/, /network/i];
const BAD_REQUEST_MARKERS = [/\b400\b/, /unknown (option|argument)/i, /unexpected argument/i, /invalid (value|model)/i, /model .*not (found|supported)/i];

/** Classify a harness error message (result text, stderr, a failed-turn message); undefined when nothing matches. */
export function classifyHarnessFailure(text: string): HarnessFailureKind | undefined {
  if (AUTH_MARKERS.some((re) => re.test(text))) return 'AUTH';
  if (RATE_MARKERS.some((re) => re.test(text))) return 'RATE_LIMITED';
  if (BAD_REQUEST_MARKERS.some((re) => re.test(text))) return 'BAD_REQUEST';
  if (UNAVAILABLE_MARKERS.some((re) => re.test(text))) return 'UNAVAILABLE';
  return undefined;
}

/** CLIs take no response schema the way the APIs do, so structured output is asked for in words. */
export function jsonReplyInstruction(spec: { name: string; schema: Record<string, unknown> }): string {
  return `Reply with a single JSON value only (no prose, no code fence) that matches the JSON schema "${spec.name}":\n${JSON.stringify(spec.schema)}`;
}

/** The last `max` characters of a text, on one line, for error messages. */
export function tailOf(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `...${flat.slice(flat.length - max)}` : flat;
}
