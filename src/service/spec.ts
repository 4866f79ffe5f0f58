/** Everything a service file says, as plain data: the renderers are pure functions of it. */
export interface ServiceSpec {
  /** Absolute path of the node binary that runs the daemon. */
  nodePath: string;
  /** Absolute path of dist/cli/main.js. */
  cliPath: string;
  /** The state folder the daemon uses (SKILLOPT_SLEEP_HOME), fixed at install time. */
  stateHome: string;
  /** The user's home folder (working directory). */
  homeDir: string;
  /** PATH the daemon runs with (the harness backends find claude / codex on it). */
  pathEnv: string;
  /** Seconds the daemon gets to stop (its own deadline plus a margin). */
  stopTimeoutSeconds: number;
}

/** launchd label and systemd unit name. */
export const LAUNCHD_LABEL = 'com.skillopt-sleep.daemon';
export const SYSTEMD_UNIT = 'skillopt-sleep.service';

/** The example spec the checked-in launchd/ and systemd/ files are rendered from (their golden tests use it). */
export function exampleSpec(platform: 'darwin' | 'linux'): ServiceSpec {
  return platform === 'darwin'
    ? {
        nodePath: '/opt/homebrew/bin/node',
        cliPath: '/opt/homebrew/lib/node_modules/skillopt-sleep/dist/cli/main.js',
        stateHome: '/Users/you/Library/Application Support/skillopt-sleep',
        homeDir: '/Users/you',
        pathEnv: '/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
        stopTimeoutSeconds: 30,
      }
    : {
        nodePath: '/usr/bin/node',
        cliPath: '/usr/lib/node_modules/skillopt-sleep/dist/cli/main.js',
        stateHome: '/home/you/.local/state/skillopt-sleep',
        homeDir: '/home/you',
        pathEnv: '/home/you/.local/bin:/usr/local/bin:/usr/bin:/bin',
        stopTimeoutSeconds: 30,
      };
}
