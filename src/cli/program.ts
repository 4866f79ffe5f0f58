import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { createCliContext, type CliContext, type GlobalOptions } from '../app/deps.js';
import { registerDemo } from './commands/demo.js';
import { registerTrain } from './commands/train.js';
import { registerEval } from './commands/eval.js';
import { registerDoctor } from './commands/doctor.js';
import { registerHarvest } from './commands/harvest.js';
import { registerConfig } from './commands/config.js';
import { registerTasks } from './commands/tasks.js';
import { registerMine } from './commands/mine.js';
import { registerDaemon } from './commands/daemon.js';
import { registerInstall } from './commands/install.js';
import { registerUninstall } from './commands/uninstall.js';
import { registerLogs } from './commands/logs.js';
import { registerMcp } from './commands/mcp.js';
import { registerPlugins } from './commands/plugins.js';
import { registerRun } from './commands/run.js';
import { registerStatus } from './commands/status.js';
import { registerReport } from './commands/report.js';
import { registerAdopt } from './commands/adopt.js';
import { registerReject } from './commands/reject.js';
import { registerRollback } from './commands/rollback.js';
import { registerHistory } from './commands/history.js';
import { registerDiff } from './commands/diff.js';
import { registerSkills } from './commands/skills.js';

/** The package version, for --version and the MCP server's identity. */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** The commander program; commands are thin: parse flags, call one use case, render text or --json. */
export function buildProgram(makeContext: (options: GlobalOptions) => CliContext = (o) => createCliContext(o)): Command {
  const program = new Command();
  program
    .name('skillopt-sleep')
    .description('Makes your coding agent better at your recurring work while you sleep: harvests transcripts, mines recurring tasks, and trains your skill files with a held-out gate.')
    .version(packageVersion())
    .option('--home <dir>', 'state folder (default: $SKILLOPT_SLEEP_HOME, else the platform state folder)')
    .option('--verbose', 'debug logs on stderr')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .exitOverride();
  let context: CliContext | undefined;
  const ctx = () => (context ??= makeContext(program.opts<GlobalOptions>()));
  // In the order of the workflow: try it, gather, mine, review, train, check.
  registerDemo(program, ctx);
  registerHarvest(program, ctx);
  registerMine(program, ctx);
  registerTasks(program, ctx);
  registerTrain(program, ctx);
  registerEval(program, ctx);
  // A night and the morning after: run, look, decide, undo.
  registerRun(program, ctx);
  registerStatus(program, ctx);
  registerReport(program, ctx);
  registerAdopt(program, ctx);
  registerReject(program, ctx);
  registerDiff(program, ctx);
  registerHistory(program, ctx);
  registerRollback(program, ctx);
  registerSkills(program, ctx);
  registerDoctor(program, ctx);
  registerConfig(program, ctx);
  registerDaemon(program, ctx);
  registerInstall(program, ctx);
  registerUninstall(program, ctx);
  registerLogs(program, ctx);
  // From inside the agent: the MCP server and the agent integrations.
  registerMcp(program, ctx, packageVersion());
  registerPlugins(program, ctx);
  const configure = (command: Command) => {
    command.exitOverride().showHelpAfterError('(run with --help for usage)');
    checkRequiredAfterUnknown(command);
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
}

/**
 * Commander checks required options before unknown ones, so `--taks x` got "required option --tasks" instead of
 * "unknown option --taks (Did you mean --tasks?)". Required options are checked just before the action instead,
 * after the unknown-option check, with commander's own message.
 */
function checkRequiredAfterUnknown(command: Command): void {
  const required = command.options.filter((o) => o.mandatory);
  if (required.length === 0) return;
  for (const option of required) option.makeOptionMandatory(false);
  command.hook('preAction', (_hooked, action) => {
    if (action !== command) return;
    for (const option of required) {
      if (command.getOptionValue(option.attributeName()) === undefined) {
        command.error(`error: required option '${option.flags}' not specified`, { code: 'commander.missingMandatoryOptionValue', exitCode: 1 });
      }
    }
  });
}
