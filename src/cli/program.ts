import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { createCliContext, type CliContext, type GlobalOptions } from '../app/deps.js';
import { loadConfigValidator } from '../config/load.js';
import { asksOnlyVersion, commandNameOf } from './argv.js';

type Registrar = (program: Command, ctx: () => CliContext) => void;

/**
 * Each command's module and the top-level commands it registers, in the order of the workflow (try it, gather,
 * mine, review, train, check; a night and the morning after; the service; from inside the agent). A run loads only
 * the module of the command it runs, so `harvest` does not hold the trainer, the MCP server and the report
 * renderer in memory; help and an unknown command load them all.
 */
const COMMANDS: ReadonlyArray<{ names: readonly string[]; load: () => Promise<Registrar>; light?: boolean }> = [
  { names: ['demo'], load: async () => (await import('./commands/demo.js')).registerDemo },
  { names: ['harvest', 'sessions'], load: async () => (await import('./commands/harvest.js')).registerHarvest, light: true },
  { names: ['mine'], load: async () => (await import('./commands/mine.js')).registerMine },
  { names: ['tasks'], load: async () => (await import('./commands/tasks.js')).registerTasks },
  { names: ['train'], load: async () => (await import('./commands/train.js')).registerTrain },
  { names: ['eval'], load: async () => (await import('./commands/eval.js')).registerEval },
  { names: ['run'], load: async () => (await import('./commands/run.js')).registerRun },
  { names: ['status'], load: async () => (await import('./commands/status.js')).registerStatus },
  { names: ['report'], load: async () => (await import('./commands/report.js')).registerReport },
  { names: ['adopt'], load: async () => (await import('./commands/adopt.js')).registerAdopt },
  { names: ['reject'], load: async () => (await import('./commands/reject.js')).registerReject },
  { names: ['diff'], load: async () => (await import('./commands/diff.js')).registerDiff },
  { names: ['history'], load: async () => (await import('./commands/history.js')).registerHistory },
  { names: ['rollback'], load: async () => (await import('./commands/rollback.js')).registerRollback },
  { names: ['skills'], load: async () => (await import('./commands/skills.js')).registerSkills },
  { names: ['doctor'], load: async () => (await import('./commands/doctor.js')).registerDoctor },
  { names: ['config'], load: async () => (await import('./commands/config.js')).registerConfig },
  { names: ['daemon', 'service'], load: async () => (await import('./commands/daemon.js')).registerDaemon },
  { names: ['install'], load: async () => (await import('./commands/install.js')).registerInstall },
  { names: ['uninstall'], load: async () => (await import('./commands/uninstall.js')).registerUninstall },
  { names: ['logs'], load: async () => (await import('./commands/logs.js')).registerLogs },
  {
    names: ['mcp'],
    load: async () => {
      const { registerMcp } = await import('./commands/mcp.js');
      return (program, ctx) => registerMcp(program, ctx, packageVersion());
    },
  },
  { names: ['plugins'], load: async () => (await import('./commands/plugins.js')).registerPlugins },
];

/** The package version, for --version and the MCP server's identity. */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/**
 * The commander program; commands are thin: parse flags, call one use case, render text or --json. Given the argv
 * it will parse, only the module of the command it names is loaded (all of them for help or a name no command has,
 * so commander can list them or suggest one).
 */
export async function buildProgram(makeContext: (options: GlobalOptions) => CliContext = (o) => createCliContext(o), opts: { argv?: readonly string[] } = {}): Promise<Command> {
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
  const name = opts.argv ? commandNameOf(opts.argv) : undefined;
  const named = name === undefined ? [] : COMMANDS.filter((c) => c.names.includes(name));
  // The config's validator (the zod schemas): every command may read config.json at any time, except the light ones,
  // which load it through the validated-config cache (src/config/load.ts) and import the validator only on a miss.
  // `--version` needs no command: loading them all for it held 78 MB to print one line.
  const loads = opts.argv && asksOnlyVersion(opts.argv) ? [] : named.length > 0 ? named : COMMANDS;
  if (loads.some((c) => c.light !== true)) await loadConfigValidator();
  for (const entry of loads) (await entry.load())(program, ctx);
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
