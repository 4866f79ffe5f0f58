import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The folder `scripts/install-agent-clis.sh` installs into: `$SKILLOPT_AGENT_CLIS`, else
 * `$HOME/.cache/skillopt-sleep/agent-clis`; the binaries are in its `node_modules/.bin`.
 */
export function agentClisBin(env: NodeJS.ProcessEnv = process.env): string {
  const prefix = env.SKILLOPT_AGENT_CLIS || join(env.HOME ?? '/root', '.cache', 'skillopt-sleep', 'agent-clis');
  return join(prefix, 'node_modules', '.bin');
}

/** The path of one installed agent CLI; throws (the test fails, it never skips) when it is not installed. */
export function requireAgentCli(name: 'claude' | 'codex', env: NodeJS.ProcessEnv = process.env): string {
  const path = join(agentClisBin(env), name);
  if (!existsSync(path)) {
    throw new Error(
      `${name} is not installed at ${path}: run \`bash scripts/install-agent-clis.sh\` (it installs the pinned Claude Code and Codex ` +
        'CLIs into $SKILLOPT_AGENT_CLIS or ~/.cache/skillopt-sleep/agent-clis); .ci/run does this before the tests',
    );
  }
  return path;
}

/** The tmux binary; throws with the fix when it is missing. */
export function requireTmux(): string {
  const found = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (found.status !== 0) throw new Error('tmux is not installed: `apt-get install -y tmux` (.ci/run installs it when missing)');
  return 'tmux';
}

/** Poll `check` until it returns a value (not undefined/false) or the deadline passes; then throw naming `what`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs: number, describe?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describe ? `\n${describe()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * One tmux server of our own (its own socket), running one interactive program in a fixed-size window.
 * `close()` ends only this server.
 */
export class TmuxSession {
  private constructor(
    private readonly socket: string,
    private readonly target: string,
  ) {}

  /** Start `argv` in a detached session with `env` (the whole environment of the program) in `cwd`. */
  static start(argv: string[], options: { cwd: string; env: Record<string, string>; socket: string }): TmuxSession {
    const target = 'agent';
    // tmux gives the program the server's environment; `env -i` makes it exactly the one given.
    const command = ['env', '-i', ...Object.entries(options.env).map(([k, v]) => `${k}=${v}`), ...argv].map(shellQuote).join(' ');
    execFileSync('tmux', ['-L', options.socket, '-f', '/dev/null', 'new-session', '-d', '-s', target, '-x', '160', '-y', '45', '-c', options.cwd, command], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color', HOME: options.env.HOME ?? '/tmp' },
    });
    return new TmuxSession(options.socket, target);
  }

  /** The visible screen as text. */
  screen(): string {
    const result = spawnSync('tmux', ['-L', this.socket, 'capture-pane', '-p', '-t', this.target], { encoding: 'utf8' });
    return result.status === 0 ? result.stdout : `(no screen: ${result.stderr.trim()})`;
  }

  /** Type `text` literally, then press Enter (after a pause, as a person would; TUIs debounce paste). */
  async type(text: string): Promise<void> {
    execFileSync('tmux', ['-L', this.socket, 'send-keys', '-t', this.target, '-l', text]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    execFileSync('tmux', ['-L', this.socket, 'send-keys', '-t', this.target, 'Enter']);
  }

  /** Press one key by its tmux name (`Escape`, `C-c`, ...). */
  key(name: string): void {
    execFileSync('tmux', ['-L', this.socket, 'send-keys', '-t', this.target, name]);
  }

  /** End this tmux server (and the program in it). */
  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { encoding: 'utf8' });
  }
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Every file below `dir` whose name ends in `suffix` (missing folders yield nothing). */
export function filesBelow(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesBelow(path, suffix));
    else if (entry.endsWith(suffix)) out.push(path);
  }
  return out.sort();
}

/** The concatenated text of every transcript below `dir`, for waiting until a record has been written. */
export function transcriptText(dir: string, suffix = '.jsonl'): string {
  return filesBelow(dir, suffix)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
}

/**
 * Run a program to its end without blocking the event loop (the fake servers it talks to live in this
 * process, so `spawnSync` would starve them). Stdin is closed; past `timeoutMs` the program is killed.
 */
export function runProgram(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs: number },
): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}
