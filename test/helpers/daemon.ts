// Shared by the e2e tests that spawn `skillopt-sleep daemon`: start it as a child process, wait until its socket
// answers, read its status, poll for a condition, and kill whatever a test left running.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { CLI } from '../e2e/helpers.js';
import { askDaemon } from '../../src/daemon/control-client.js';
import type { DaemonStatus } from '../../src/daemon/daemon.js';

/** A daemon started by startDaemon. */
export interface SpawnedDaemon {
  child: ChildProcess;
  socket: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];

/** SIGKILL every daemon this file started that is still running (call from afterEach). */
export async function killDaemons(): Promise<void> {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  }
}

/** Poll probe every 50 ms until it gives a truthy value; throw naming what was awaited after timeoutMs. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The daemon's status over its socket; undefined when it does not answer. */
export async function daemonStatus(socket: string, timeoutMs = 10_000): Promise<DaemonStatus | undefined> {
  const reply = await askDaemon(socket, 'status', { timeoutMs });
  return reply.reachable && reply.response.ok ? (reply.response.result as DaemonStatus) : undefined;
}

/**
 * Start `skillopt-sleep daemon` in home with exactly env, and wait until its socket answers a status that ready
 * accepts (any status by default). Throws with the daemon's stderr when it exits or does not answer in time.
 */
export async function startDaemon(home: string, env: Record<string, string>, options: { ready?: (s: DaemonStatus) => boolean; timeoutMs?: number } = {}): Promise<SpawnedDaemon> {
  const child = spawn(process.execPath, [CLI, 'daemon'], { cwd: home, env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const socket = join(env.SKILLOPT_SLEEP_HOME ?? join(home, 'state'), 'control.sock');
  const ready = options.ready ?? (() => true);
  const deadline = performance.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`daemon exited ${child.exitCode}: ${stderr}`);
    const s = await daemonStatus(socket, 1000);
    if (s !== undefined && ready(s)) break;
    if (performance.now() > deadline) throw new Error(`daemon did not answer: ${stderr}`);
    await sleep(50);
  }
  return { child, socket, stderr: () => stderr, exited };
}

/** Every prompt text the store's harvested sessions hold (none while the store does not exist or is not migrated). */
export function harvestedPrompts(home: string): string[] {
  const path = join(home, 'state', 'sleep.db');
  if (!existsSync(path)) return [];
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT digest_json FROM sessions').all() as Array<{ digest_json: string }>;
    return rows.flatMap((r) => (JSON.parse(r.digest_json) as { prompts: Array<{ text: string }> }).prompts.map((p) => p.text));
  } catch {
    return [];
  } finally {
    db.close();
  }
}
