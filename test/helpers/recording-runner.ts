import type { CommandResult, CommandRunner } from '../../src/service/runner.js';

/** A command runner that records every argv and answers from a table (first matching prefix wins). */
export function recordingRunner(answers: Array<[prefix: string, result: Partial<CommandResult>]> = []): CommandRunner & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    run(argv) {
      const line = argv.join(' ');
      calls.push(line);
      const hit = answers.find(([prefix]) => line.startsWith(prefix));
      return { code: 0, stdout: '', stderr: '', ...(hit?.[1] ?? {}) };
    },
  };
}
