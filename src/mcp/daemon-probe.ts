import { connect } from 'node:net';

/** True when something accepts connections on the daemon's control socket within the timeout. */
export function probeSocket(path: string, timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (up: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(up);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
