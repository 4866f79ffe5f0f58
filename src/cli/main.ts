#!/usr/bin/env node
import './early.js'; // first: it acts before the other modules load
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { formatError, isSkillOptError } from '../core/errors.js';
import { createScrubber, secretValuesOf } from '../core/redact.js';

/** The CLI entry point: the only place that catches everything and sets the exit code. */
async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(undefined, { argv });
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (unknown option, missing argument, --help, --version).
      return error.exitCode;
    }
    // The last words of the process go out redacted like everything else (an error may quote a key).
    const scrub = createScrubber(secretValuesOf(process.env));
    process.stderr.write(scrub(`skillopt-sleep: ${formatError(error)}\n`));
    if (!isSkillOptError(error) && process.env.SKILLOPT_SLEEP_DEBUG) process.stderr.write(scrub(`${(error as Error).stack ?? ''}\n`));
    return isSkillOptError(error) && error.code === 'INPUT' ? 2 : 1;
  }
}

process.exitCode = await main(process.argv);
