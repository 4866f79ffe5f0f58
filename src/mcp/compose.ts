import { spawn } from 'node:child_process';
import { createDeps, type GlobalOptions, type ServiceStatus } from '../app/deps.js';
import type { Environment } from '../core/paths.js';
import type { Logger } from '../core/logger.js';
import type { SleepApi } from './api.js';
import { probeSocket } from './daemon-probe.js';
import { createSleepApi } from './sleep-api.js';

/** What `skillopt-sleep mcp` hands the server: its global flags, its environment and its (stderr) logger. */
export interface SleepApiOptions {
  global: GlobalOptions;
  environment: Environment;
  /** Writes to stderr: stdout carries the MCP protocol. */
  logger: Logger;
  /** The service status `sleep_status` shows (the CLI builds it from src/service/status.ts). */
  readServiceStatus?: () => Promise<ServiceStatus>;
}

/** Open a file with the platform's opener, detached; a missing opener is logged, never fatal. */
function openerFor(environment: Environment, logger: Logger): (path: string) => void {
  const opener = environment.platform === 'darwin' ? 'open' : environment.platform === 'win32' ? 'explorer' : 'xdg-open';
  return (path) => {
    // stdio ignored: the opener must never write into the protocol's stdout.
    const child = spawn(opener, [path], { detached: true, stdio: 'ignore' });
    child.on('error', () => logger.warn({ path }, `could not start ${opener}; open the report in a browser`));
    child.unref();
  };
}

/** The one place the MCP server's SleepApi is composed: the app's use cases on createDeps(), in process. */
export function createProcessSleepApi(options: SleepApiOptions): SleepApi {
  const probe = createDeps(options.global, { environment: options.environment, logger: options.logger });
  return createSleepApi({
    makeDeps: () => createDeps(options.global, { environment: options.environment, logger: options.logger, ...(options.readServiceStatus ? { readServiceStatus: options.readServiceStatus } : {}) }),
    probeDaemon: () => probeSocket(probe.paths.controlSocket),
    openInBrowser: openerFor(options.environment, options.logger),
  });
}
