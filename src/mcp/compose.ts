import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StatePaths } from '../core/paths.js';
import { openDatabase } from '../store/db.js';
import type { SleepApi, SleepStatus } from './api.js';
import { createCliRunner } from './cli-runner.js';
import { probeSocket } from './daemon-probe.js';
import { createStandaloneSleepApi } from './standalone-api.js';

/** What the composition root hands the MCP server. */
export interface SleepApiOptions {
  paths: StatePaths;
  env: Readonly<Record<string, string | undefined>>;
  /** The --home flag the server was started with, passed on to the CLI it runs. */
  homeFlag?: string;
  /** The node executable that runs the CLI (process.execPath). */
  node: string;
  /** The service status `status` shows (the CLI builds it from src/service/status.ts). */
  serviceStatus?: () => Promise<NonNullable<SleepStatus['service']>>;
}

/** The built CLI beside this module: dist/mcp/compose.js -> dist/cli/main.js. */
export const BUILT_CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

/**
 * The one place the MCP server's SleepApi is chosen. Today: status from the store, the other tools through
 * the CLI. At merge with issue 8, replace this body with an in-process SleepApi over createDeps().
 */
export function createSleepApi(options: SleepApiOptions): SleepApi {
  return createStandaloneSleepApi({
    paths: options.paths,
    databaseExists: () => existsSync(options.paths.db),
    openDb: () => openDatabase(options.paths.db),
    probeDaemon: () => probeSocket(options.paths.controlSocket),
    serviceStatus: options.serviceStatus,
    runCli: createCliRunner({ node: options.node, cliPath: BUILT_CLI, env: options.env, ...(options.homeFlag ? { home: options.homeFlag } : {}) }),
  });
}
