import { join } from 'node:path';
import { homedir } from 'node:os';

/** Everything that locates files: the only module allowed to read HOME or XDG variables. */
export interface Environment {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  homeDir: string;
}

/** The real process environment; only the composition root should call it. */
export function processEnvironment(): Environment {
  return { env: process.env, platform: process.platform, homeDir: homedir() };
}

/** Where skillopt-sleep keeps its state: --home, then SKILLOPT_SLEEP_HOME, then the platform default. */
export function resolveStateHome(environment: Environment, flag?: string): string {
  if (flag) return flag;
  const fromEnv = environment.env.SKILLOPT_SLEEP_HOME;
  if (fromEnv) return fromEnv;
  if (environment.platform === 'darwin') {
    return join(environment.homeDir, 'Library', 'Application Support', 'skillopt-sleep');
  }
  const xdgState = environment.env.XDG_STATE_HOME;
  const base = xdgState && xdgState.startsWith('/') ? xdgState : join(environment.homeDir, '.local', 'state');
  return join(base, 'skillopt-sleep');
}

/** The named files and folders inside the state home. */
export interface StatePaths {
  home: string;
  db: string;
  config: string;
  /** The last validated config.json, for commands that would rather not load the schemas (src/config/load.ts). */
  configChecked: string;
  logs: string;
  nights: string;
  runs: string;
  /** Held by whoever writes harvested sessions or mined tasks (harvest, mine, the daemon). */
  writeLock: string;
  controlSocket: string;
  /** Derived list of the proposals waiting for a decision, for the agent hooks (src/app/pending.ts). */
  pending: string;
}

/** Lay out the state home. */
export function statePaths(home: string): StatePaths {
  return {
    home,
    db: join(home, 'sleep.db'),
    config: join(home, 'config.json'),
    configChecked: join(home, 'config.checked.json'),
    logs: join(home, 'logs'),
    nights: join(home, 'nights'),
    runs: join(home, 'runs'),
    writeLock: join(home, 'write.lock'),
    controlSocket: join(home, 'control.sock'),
    pending: join(home, 'pending.json'),
  };
}
