// The skillopt-sleep plugin's SessionStart and SessionEnd hooks (node, no dependencies).
// Both finish within about a second and exit 0 whatever happens: a hook must never block or fail a session.
//   session-end:   ask the daemon (control.sock, {"command":"harvest-now","wait":false}) to harvest; nothing else.
//   session-start: when a night's proposal waits for a decision (<state>/pending.json), print one line (a JSON
//                  hook answer whose systemMessage Claude Code shows to the person).
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

// Everything, node's own start-up included, fits in TOTAL_BUDGET_MS (performance.now() counts from process start).
const TOTAL_BUDGET_MS = 600;
const SOCKET_TIMEOUT_MS = 300;
const STDIN_TIMEOUT_MS = 150;
const remaining = () => Math.max(0, TOTAL_BUDGET_MS - performance.now());

const env = process.env;

/** The state folder, resolved like src/core/paths.ts: the recorded one, SKILLOPT_SLEEP_HOME, XDG, macOS. */
function stateHome() {
  if (env.SKILLOPT_SLEEP_HOME) return env.SKILLOPT_SLEEP_HOME;
  if (env.SKILLOPT_SLEEP_STATE) return env.SKILLOPT_SLEEP_STATE; // recorded in install.env at install
  const home = env.HOME ?? '';
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'skillopt-sleep');
  const xdg = env.XDG_STATE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'state'), 'skillopt-sleep');
}

/** The hook input Claude Code writes on stdin (session_id, transcript_path, cwd, ...); {} when absent. */
function readHookInput() {
  return new Promise((resolve) => {
    if (process.stdin.isTTY) return resolve({});
    let text = '';
    const finish = () => {
      clearTimeout(timer);
      process.stdin.pause();
      process.stdin.removeAllListeners();
      try {
        resolve(JSON.parse(text));
      } catch {
        resolve({});
      }
    };
    const timer = setTimeout(finish, Math.min(STDIN_TIMEOUT_MS, remaining()));
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => (text += chunk));
    process.stdin.on('end', finish);
    process.stdin.on('error', finish);
  });
}

/** One request on the daemon's control socket: a JSON line out, a JSON line back; undefined on any failure. */
function askDaemon(request) {
  return new Promise((resolve) => {
    const socket = connect(join(stateHome(), 'control.sock'));
    let reply = '';
    const done = (value) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(undefined), Math.min(SOCKET_TIMEOUT_MS, remaining()));
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk) => {
      reply += chunk;
      const end = reply.indexOf('\n');
      if (end < 0) return;
      try {
        done(JSON.parse(reply.slice(0, end)));
      } catch {
        done(undefined);
      }
    });
    socket.on('error', () => done(undefined));
    socket.on('end', () => done(undefined));
  });
}

/**
 * The pending proposals, from <state>/pending.json: the derived file a night and every decision (adopt, reject,
 * rollback) rewrite atomically. No daemon and no CLI: reading one small file fits the hook's budget. A missing
 * or unreadable file means nothing is pending.
 */
function readPending() {
  try {
    const value = JSON.parse(readFileSync(join(stateHome(), 'pending.json'), 'utf8'));
    return Array.isArray(value?.pending) ? value.pending.filter((p) => p && typeof p === 'object' && typeof p.skill === 'string') : [];
  } catch {
    return [];
  }
}

function percent(value) {
  return typeof value === 'number' ? `${Math.round(value * 100)}%` : '?';
}

/** The one line for the person, or undefined when nothing waits. */
function pendingLine(pending) {
  if (pending.length === 0) return undefined;
  const first = pending[0];
  const more = pending.length > 1 ? ` (+${pending.length - 1} more)` : '';
  return `skillopt-sleep: night ${first.night} proposes a change to ${first.skill} (held-out ${percent(first.valBefore)} -> ${percent(first.valAfter)})${more}; see /skillopt-sleep:skillopt-sleep-report, then /skillopt-sleep:skillopt-sleep-adopt or reject.`;
}

async function sessionEnd() {
  const input = await readHookInput();
  // The daemon's protocol (src/daemon/control-protocol.ts): harvest everything new, answer at once (wait:false).
  // The ended session's transcript is on disk by now, so a full harvest picks it up; the id names the session.
  await askDaemon({ id: typeof input.session_id === 'string' ? `session-end:${input.session_id}` : 'session-end', command: 'harvest-now', wait: false });
}

async function sessionStart() {
  await readHookInput();
  const line = pendingLine(readPending());
  if (!line) return;
  process.stdout.write(`${JSON.stringify({ systemMessage: line, hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: line } })}\n`);
}

const event = process.argv[2];
try {
  if (event === 'session-end') await sessionEnd();
  else if (event === 'session-start') await sessionStart();
} catch {
  // Never fail the session.
}
process.exitCode = 0;
