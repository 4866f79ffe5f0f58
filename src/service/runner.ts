import { spawnSync } from 'node:child_process';

/** The outcome of one command. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs launchctl / systemctl / loginctl; tests inject a recorder and see the exact commands. */
export interface CommandRunner {
  run(argv: readonly string[]): CommandResult;
}

/** The real runner: no shell, a 60 s limit, output captured. */
export function processRunner(env: Readonly<Record<string, string | undefined>>): CommandRunner {
  return {
    run(argv) {
      const [file, ...args] = argv;
      if (!file) return { code: 127, stdout: '', stderr: 'empty command' };
      const result = spawnSync(file, args, { encoding: 'utf8', timeout: 60_000, env: env as NodeJS.ProcessEnv });
      if (result.error) return { code: 127, stdout: '', stderr: result.error.message };
      return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
    },
  };
}
