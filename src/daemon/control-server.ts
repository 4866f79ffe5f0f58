import { createServer, type Server, type Socket } from 'node:net';
import { SkillOptError, isSkillOptError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { encodeLine, MAX_REQUEST_BYTES, parseControlRequest, type ControlRequest, type ControlResponse } from './control-protocol.js';

/** Answers one request; a thrown SkillOptError becomes an error answer with its code and hint. */
export type ControlHandler = (request: ControlRequest) => Promise<unknown>;

/** A net.Server speaking the line protocol; it is not listening yet (the singleton binds it). */
export function createControlServer(handle: ControlHandler, logger: Logger): { server: Server; closeClients(): void } {
  const clients = new Set<Socket>();
  const server = createServer((socket) => {
    clients.add(socket);
    socket.setEncoding('utf8');
    let buffer = '';
    const answer = (response: ControlResponse) => {
      if (!socket.destroyed) socket.write(encodeLine(response));
    };
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_REQUEST_BYTES && !buffer.includes('\n')) {
        answer({ ok: false, error: { code: 'INPUT', message: `request longer than ${MAX_REQUEST_BYTES} bytes` } });
        socket.end();
        return;
      }
      let end: number;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, end).trim();
        buffer = buffer.slice(end + 1);
        if (!line) continue;
        const parsed = parseControlRequest(line);
        if (!parsed.ok) {
          answer({ id: parsed.id, ok: false, error: { code: 'INPUT', message: parsed.message, hint: 'send {"command":"status"} and a newline' } });
          continue;
        }
        const { request } = parsed;
        handle(request).then(
          (result) => answer({ id: request.id, ok: true, result }),
          (error: unknown) => {
            if (!isSkillOptError(error)) logger.error({ err: error, command: request.command }, 'control command failed');
            const e = isSkillOptError(error) ? error : new SkillOptError('INTERNAL', error instanceof Error ? error.message : String(error));
            answer({ id: request.id, ok: false, error: { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) } });
          },
        );
      }
    });
    socket.on('error', (error) => logger.debug({ err: error }, 'control client error'));
    socket.on('close', () => clients.delete(socket));
  });
  return {
    server,
    closeClients: () => {
      for (const socket of clients) socket.end();
    },
  };
}
