import { chmodSync, mkdirSync, readFileSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../core/clock.js';
import { SkillOptError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import type { Logger } from '../core/logger.js';
import { askDaemon } from './control-client.js';

/** Where the singleton lives in the state folder. */
export interface SingletonPaths {
  socket: string;
  pidFile: string;
  /** Held (mkdir) only while a daemon checks for another and binds the socket. */
  startLock: string;
}

/** The singleton files in a state folder. */
export function singletonPaths(stateHome: string, socket = join(stateHome, 'control.sock')): SingletonPaths {
  return { socket, pidFile: join(stateHome, 'daemon.pid'), startLock: join(stateHome, 'daemon.start.lock') };
}

/** What the pid file says. */
export interface PidFile {
  pid: number;
  startedAt: string;
  socket: string;
  version: string;
}

/** Read the pid file, or undefined when it is missing or unreadable. */
export function readPidFile(path: string): PidFile | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as PidFile;
    return typeof value.pid === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Unix sockets have a short path limit (104 bytes on macOS, 108 on Linux). */
const MAX_SOCKET_PATH = 103;

/** The daemon that holds the socket. */
export interface DaemonSingleton {
  release(): void;
}

async function withStartLock<T>(path: string, clock: Clock, fn: () => Promise<T>): Promise<T> {
  const deadline = clock.now().getTime() + 10_000;
  for (;;) {
    try {
      mkdirSync(path, { mode: 0o700 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A start lock older than 30 s belongs to a process that died between mkdir and rmdir.
      try {
        if (clock.now().getTime() - statSync(path).mtimeMs > 30_000) rmdirSync(path);
      } catch {
        // gone meanwhile: retry
      }
      if (clock.now().getTime() > deadline) throw new SkillOptError('LOCKED', `another daemon has been starting for 10 s (${path})`, { hint: `if no daemon is starting, remove ${path}` });
      await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    try {
      rmdirSync(path);
    } catch {
      // already removed
    }
  }
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(path);
  });
}

/**
 * Become the one daemon of this state folder: under a short start lock, probe the socket (a live daemon answers
 * `status`), remove a socket file a dead daemon left behind, bind the socket (mode 0600), write the pid file.
 * A second daemon gets a LOCKED error naming the running one's pid.
 */
export async function acquireDaemonSingleton(server: Server, paths: SingletonPaths, deps: { clock: Clock; logger: Logger; version: string; pid: number }): Promise<DaemonSingleton> {
  if (process.platform !== 'win32' && Buffer.byteLength(paths.socket) > MAX_SOCKET_PATH) {
    throw new SkillOptError('CONFIG', `the control socket path is ${Buffer.byteLength(paths.socket)} bytes, longer than Unix sockets allow (${MAX_SOCKET_PATH}): ${paths.socket}`, {
      hint: 'point SKILLOPT_SLEEP_HOME (or --home) at a shorter folder',
    });
  }
  return withStartLock(paths.startLock, deps.clock, async () => {
    const probe = await askDaemon(paths.socket, 'status', { timeoutMs: 2000 });
    if (probe.reachable || probe.reason === 'timeout' || probe.reason === 'closed') {
      const running = readPidFile(paths.pidFile);
      throw new SkillOptError('LOCKED', `a skillopt-sleep daemon is already running${running ? ` (pid ${running.pid})` : ''} on ${paths.socket}`, {
        hint: probe.reachable ? 'use `skillopt-sleep service status`, or stop it with `skillopt-sleep service stop` first' : 'it does not answer; stop that process, then start again',
      });
    }
    if (probe.reason === 'refused') {
      // A socket file nobody listens on: left by a daemon that was killed. Safe to remove under the start lock.
      unlinkSync(paths.socket);
      const stale = readPidFile(paths.pidFile);
      deps.logger.warn({ socket: paths.socket, stalePid: stale?.pid }, 'removed a control socket left by a dead daemon');
    } else if (probe.reason === 'error') {
      throw new SkillOptError('CONFIG', `cannot use ${paths.socket} as the control socket (${probe.detail})`, { hint: 'move that file away; the daemon creates the socket itself' });
    }
    await listen(server, paths.socket);
    if (process.platform !== 'win32') chmodSync(paths.socket, 0o600);
    const socketIno = process.platform !== 'win32' ? statSync(paths.socket).ino : 0;
    const record: PidFile = { pid: deps.pid, startedAt: deps.clock.now().toISOString(), socket: paths.socket, version: deps.version };
    writeFileAtomic(paths.pidFile, `${JSON.stringify(record)}\n`);
    return {
      release: () => {
        // Remove only what is ours: a socket or pid file replaced by a newer daemon stays.
        try {
          if (process.platform !== 'win32' && statSync(paths.socket).ino === socketIno) unlinkSync(paths.socket);
        } catch {
          // already gone (net.Server removes it on close on some platforms)
        }
        if (readPidFile(paths.pidFile)?.pid === deps.pid) {
          try {
            unlinkSync(paths.pidFile);
          } catch {
            // already gone
          }
        }
      },
    };
  });
}
