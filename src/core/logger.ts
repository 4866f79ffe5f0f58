import { pino, type Logger } from 'pino';

export type { Logger };

/** Where logs go: stderr for the CLI, a file for the daemon, nowhere for tests and the MCP server's stdout. */
export type LogDestination = { kind: 'stderr' } | { kind: 'file'; path: string } | { kind: 'silent' };

/** Build the logger; stdout is never a destination (stdout is data). `scrub` redacts every line before it is written. */
export function createLogger(destination: LogDestination, level: string = 'info', scrub?: (text: string) => string): Logger {
  const hooks = scrub ? { hooks: { streamWrite: scrub } } : {};
  switch (destination.kind) {
    case 'silent':
      return pino({ level: 'silent' });
    case 'stderr':
      return pino({ level, base: undefined, ...hooks }, pino.destination({ fd: 2, sync: true }));
    case 'file':
      return pino({ level, ...hooks }, pino.destination({ dest: destination.path, mkdir: true, sync: false }));
    default:
      destination satisfies never;
      throw new Error('unreachable');
  }
}

/** A logger that drops everything (tests, pure code paths). */
export const silentLogger: Logger = pino({ level: 'silent' });
