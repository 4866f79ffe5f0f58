import { connect } from 'node:net';
import { SkillOptError } from '../core/errors.js';
import { encodeLine, type ControlCommand, type ControlResponse } from './control-protocol.js';

/** What asking the daemon gave: its answer, or that no daemon listens on the socket. */
export type DaemonReply = { reachable: true; response: ControlResponse } | { reachable: false; reason: 'no-socket' | 'refused' | 'timeout' | 'closed' | 'error'; detail: string };

/**
 * Send one request over the control socket and read one answer line. A missing socket or a refused connection
 * (a file left by a dead daemon) means no daemon: the CLI then works standalone.
 */
export function askDaemon(socketPath: string, command: ControlCommand, options: { wait?: boolean; timeoutMs?: number } = {}): Promise<DaemonReply> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve) => {
    let settled = false;
    let buffer = '';
    const socket = connect(socketPath);
    const finish = (reply: DaemonReply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(reply);
    };
    const timer = setTimeout(() => finish({ reachable: false, reason: 'timeout', detail: `no answer on ${socketPath} within ${timeoutMs} ms` }), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(encodeLine({ id: 1, command, ...(options.wait !== undefined ? { wait: options.wait } : {}) })));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      try {
        finish({ reachable: true, response: JSON.parse(buffer.slice(0, end)) as ControlResponse });
      } catch {
        finish({ reachable: true, response: { ok: false, error: { code: 'INTERNAL', message: 'the daemon sent an unreadable answer' } } });
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ENOENT' ? 'no-socket' : error.code === 'ECONNREFUSED' ? 'refused' : 'error';
      finish({ reachable: false, reason, detail: `${error.code ?? 'error'} on ${socketPath}` });
    });
    socket.on('close', () => finish({ reachable: false, reason: 'closed', detail: `the daemon closed ${socketPath} without answering` }));
  });
}

/** The result of a command the daemon answered, or its error re-thrown as ours. */
export function resultOf<T>(response: ControlResponse): T {
  if (response.ok) return response.result as T;
  const code = response.error.code as ConstructorParameters<typeof SkillOptError>[0];
  throw new SkillOptError(code, `the daemon answered: ${response.error.message}`, response.error.hint ? { hint: response.error.hint } : {});
}
