import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { ensurePrivateDir } from '../core/fs.js';

/** The daemon's log file and its rotated siblings. */
export function daemonLogPath(logsDir: string): string {
  return join(logsDir, 'daemon.log');
}

/** Rotated files, oldest last: daemon.log.1 ... daemon.log.N. */
export function rotatedLogPaths(logsDir: string, keep: number): string[] {
  return Array.from({ length: keep }, (_, i) => `${daemonLogPath(logsDir)}.${i + 1}`);
}

/** Shift daemon.log -> .1 -> .2 ...; the oldest beyond `keep` is dropped. */
export function rotateLogFiles(logsDir: string, keep: number): void {
  const current = daemonLogPath(logsDir);
  const rotated = rotatedLogPaths(logsDir, keep);
  rmSync(rotated[keep - 1] ?? '', { force: true });
  for (let i = keep - 1; i > 0; i--) {
    const from = rotated[i - 1];
    const to = rotated[i];
    if (from && to && existsSync(from)) renameSync(from, to);
  }
  if (existsSync(current) && rotated[0]) renameSync(current, rotated[0]);
}

/** A pino logger writing to logs/daemon.log (0600), rotated by size, and a flush for shutdown. */
export function createRotatingLogger(logsDir: string, options: { level: string; maxBytes: number; keep: number }): { logger: Logger; flush(): void; setLevel(level: string): void } {
  ensurePrivateDir(logsDir);
  const path = daemonLogPath(logsDir);
  let size = existsSync(path) ? statSync(path).size : 0;
  if (size >= options.maxBytes) {
    rotateLogFiles(logsDir, options.keep);
    size = 0;
  }
  // Synchronous writes: a log line is on disk before the next step, and a crash loses none of them.
  const boom = pino.destination({ dest: path, sync: true, mkdir: true, mode: 0o600 });
  const stream = {
    write(line: string): void {
      boom.write(line);
      size += Buffer.byteLength(line);
      if (size >= options.maxBytes) {
        rotateLogFiles(logsDir, options.keep);
        boom.reopen();
        size = 0;
      }
    },
  };
  const logger = pino({ level: options.level, base: { pid: process.pid } }, stream);
  return {
    logger,
    flush: () => {
      try {
        boom.flushSync();
      } catch {
        // sync destination: nothing buffered
      }
    },
    setLevel: (level: string) => {
      logger.level = level;
    },
  };
}
