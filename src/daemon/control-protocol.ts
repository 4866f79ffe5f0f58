/** The daemon's control protocol: one JSON object per line each way over the local socket. */

/** Protocol version, reported by `status`; a client refuses a daemon that speaks another. */
export const CONTROL_PROTOCOL_VERSION = 1;

/** Commands the daemon answers. */
export const CONTROL_COMMANDS = ['status', 'run-now', 'harvest-now', 'reload-config', 'stop'] as const;
export type ControlCommand = (typeof CONTROL_COMMANDS)[number];

/** A request: `{"id":1,"command":"run-now","wait":true}`. */
export interface ControlRequest {
  id?: string | number;
  command: ControlCommand;
  /** run-now / harvest-now: answer when the work is done (default), or as soon as it started. */
  wait?: boolean;
}

/** An answer to one request. */
export type ControlResponse =
  | { id?: string | number | undefined; ok: true; result: unknown }
  | { id?: string | number | undefined; ok: false; error: { code: string; message: string; hint?: string | undefined } };

/** Longest request line accepted, in bytes. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** Parse one request line; a bad line is a value naming what is wrong, never a throw. */
export function parseControlRequest(line: string): { ok: true; request: ControlRequest } | { ok: false; id?: string | number | undefined; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, message: 'the request is not JSON' };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'the request must be a JSON object' };
  const o = value as Record<string, unknown>;
  const id = typeof o.id === 'string' || typeof o.id === 'number' ? o.id : undefined;
  if (typeof o.command !== 'string' || !(CONTROL_COMMANDS as readonly string[]).includes(o.command)) {
    return { ok: false, id, message: `unknown command ${JSON.stringify(o.command)}; expected one of ${CONTROL_COMMANDS.join(', ')}` };
  }
  if (o.wait !== undefined && typeof o.wait !== 'boolean') return { ok: false, id, message: '"wait" must be true or false' };
  return { ok: true, request: { ...(id !== undefined ? { id } : {}), command: o.command as ControlCommand, ...(o.wait !== undefined ? { wait: o.wait } : {}) } };
}

/** One line of the wire format. */
export function encodeLine(message: ControlRequest | ControlResponse): string {
  return `${JSON.stringify(message)}\n`;
}
