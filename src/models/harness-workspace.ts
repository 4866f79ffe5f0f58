import { mkdtempSync, mkdirSync, writeFileSync, rmSync, symlinkSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { SkillOptError } from '../core/errors.js';
import { OWN_REPLAY_DIR_PREFIX } from '../harvest/own-replay.js';

/** Which agent harness a workspace is prepared for. */
export type HarnessAgent = 'claude-code' | 'codex';

/**
 * How the candidate skill is made visible to Codex.
 * `skills-dir` installs `<ws>/.agents/skills/<name>/SKILL.md` (the repo-scoped skills folder Codex scans);
 * `skills-dir+agents-md` also inlines the skill into `<ws>/AGENTS.md`, for Codex builds that predate skills.
 */
export type CodexSkillLayout = 'skills-dir' | 'skills-dir+agents-md';

/** What to put in a replay workspace. */
export interface WorkspaceOptions {
  agent: HarnessAgent;
  /** The candidate skill under test. */
  skill?: { name: string; text: string };
  /** Task context written where the agent loads project instructions (Claude Code: CLAUDE.md, Codex: AGENTS.md). */
  contextText?: string;
  /** The user's project; only linked into the workspace (as `project/`) when allowProjectAccess is true. */
  projectDir?: string;
  allowProjectAccess?: boolean;
  codexSkillLayout?: CodexSkillLayout;
}

/** A prepared replay workspace; call dispose() when the run is over (withHarnessWorkspace does it for you). */
export interface HarnessWorkspace {
  dir: string;
  skillPath?: string;
  contextPath?: string;
  dispose(): void;
}

const SKILL_NAME_MAX = 64;

/** Turn any skill name into a safe folder name (kebab-case, no path separators), so it cannot escape the workspace. */
export function sanitizeSkillName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, SKILL_NAME_MAX);
  return cleaned || 'skill';
}

/** Where each agent loads a project-scoped skill, relative to its working folder. */
export function skillInstallPath(agent: HarnessAgent, dir: string, skillName: string): string {
  const name = sanitizeSkillName(skillName);
  switch (agent) {
    case 'claude-code':
      return join(dir, '.claude', 'skills', name, 'SKILL.md');
    case 'codex':
      return join(dir, '.agents', 'skills', name, 'SKILL.md');
    default:
      agent satisfies never;
      throw new Error('unreachable');
  }
}

/**
 * Both agents only list a skill whose frontmatter has `name` and `description`; a bare Markdown skill
 * would be silently ignored, so we add a minimal frontmatter when there is none.
 */
export function ensureSkillFrontmatter(name: string, text: string): string {
  if (/^---\r?\n[\s\S]*?\r?\n---\r?\n?/.test(text)) return text;
  const safe = sanitizeSkillName(name);
  return `---\nname: ${safe}\ndescription: Instructions to follow for every task in this workspace (${safe}).\n---\n\n${text}`;
}

function contextFileName(agent: HarnessAgent): string {
  return agent === 'claude-code' ? 'CLAUDE.md' : 'AGENTS.md';
}

/**
 * Create a fresh replay workspace under tmpDir. The folder name starts with OWN_REPLAY_DIR_PREFIX because
 * both agents record their cwd in the transcript: harvest uses it to skip our own replay sessions.
 */
export function createHarnessWorkspace(tmpDir: string, options: WorkspaceOptions): HarnessWorkspace {
  let dir: string;
  try {
    mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
    dir = mkdtempSync(join(tmpDir, OWN_REPLAY_DIR_PREFIX));
  } catch (error) {
    throw new SkillOptError('UNAVAILABLE', `cannot create a replay workspace under ${tmpDir}`, {
      hint: 'check that the temp folder exists and is writable (TMPDIR)',
      cause: error,
    });
  }
  const dispose = (): void => {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const workspace: HarnessWorkspace = { dir, dispose };
    const contextParts: string[] = [];
    if (options.contextText) contextParts.push(options.contextText);
    if (options.skill) {
      const path = skillInstallPath(options.agent, dir, options.skill.name);
      mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
      writeFileSync(path, ensureSkillFrontmatter(options.skill.name, options.skill.text), { mode: 0o600 });
      workspace.skillPath = path;
      if (options.agent === 'codex' && options.codexSkillLayout === 'skills-dir+agents-md') {
        contextParts.push(`# Skill: ${sanitizeSkillName(options.skill.name)}\n\n${options.skill.text}`);
      }
    }
    if (contextParts.length > 0) {
      const path = join(dir, contextFileName(options.agent));
      writeFileSync(path, `${contextParts.join('\n\n')}\n`, { mode: 0o600 });
      workspace.contextPath = path;
    }
    if (options.allowProjectAccess && options.projectDir) {
      // A link rather than running in the project: the cwd must stay a replay folder so harvest skips it.
      symlinkSync(options.projectDir, join(dir, 'project'), 'dir');
    }
    return workspace;
  } catch (error) {
    dispose();
    throw new SkillOptError('UNAVAILABLE', `cannot prepare the replay workspace ${dir}`, {
      hint: 'check free disk space and permissions of the temp folder',
      cause: error,
    });
  }
}

/** Run fn inside a fresh workspace and always remove it afterwards (success, error, timeout or cancel). */
export async function withHarnessWorkspace<T>(
  tmpDir: string,
  options: WorkspaceOptions,
  fn: (workspace: HarnessWorkspace) => Promise<T>,
): Promise<T> {
  const workspace = createHarnessWorkspace(tmpDir, options);
  try {
    return await fn(workspace);
  } finally {
    workspace.dispose();
  }
}

/**
 * Remove replay workspaces left behind by a process that died before its cleanup ran (power loss, SIGKILL).
 * Only folders with our prefix and older than maxAgeMs are touched. Returns the removed paths.
 */
export function sweepStaleWorkspaces(tmpDir: string, now: Date, maxAgeMs: number): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(tmpDir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(OWN_REPLAY_DIR_PREFIX)) continue;
    const path = join(tmpDir, name);
    try {
      const stat = statSync(path);
      if (!stat.isDirectory() || now.getTime() - stat.mtimeMs < maxAgeMs) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Raced with another sweeper or a live run finishing; nothing to do.
    }
  }
  return removed;
}

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
