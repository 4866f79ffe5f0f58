import { Command, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';

/**
 * The one source of truth for the commands an agent can reach: each MCP tool and its CLI command take the
 * same inputs, defined once here. The MCP server builds its zod input schemas from these specs, the CLI
 * commands add their options with `addSpecOptions`, and `checkCommandAgainstSpec` proves the two agree.
 */

/** The value a flag takes: none (a switch), a text, or a whole number of at least 1. */
export type FlagType = 'boolean' | 'string' | 'int';

/** One `--flag` of a command. */
export interface FlagSpec {
  /** The long flag as typed, e.g. `--dry-run`. */
  flag: `--${string}`;
  type: FlagType;
  /** The value's placeholder in help, e.g. `NAME` (not for booleans). */
  valueName?: string;
  description: string;
  /** Other flags (their long form) that cannot be given with this one. */
  conflicts?: readonly `--${string}`[];
  /** True for output-format flags an MCP client never needs (`--json`: a tool always returns data). */
  cliOnly?: boolean;
}

/** One positional argument of a command. */
export interface ArgSpec {
  /** The argument's name; the MCP input key is the same, lower-case. */
  name: string;
  required: boolean;
  description: string;
}

/** The MCP tool names, one per command an agent may run. */
export type ToolName = 'sleep_status' | 'sleep_run' | 'sleep_report' | 'sleep_adopt' | 'sleep_reject' | 'sleep_rollback' | 'sleep_history';

/** A tool and its CLI command. */
export interface ToolSpec {
  tool: ToolName;
  /** The CLI command (`skillopt-sleep <command>`). */
  command: string;
  title: string;
  description: string;
  args: readonly ArgSpec[];
  flags: readonly FlagSpec[];
  /** Read-only tools change nothing on disk (MCP annotation readOnlyHint). */
  readOnly: boolean;
}

const JSON_FLAG: FlagSpec = { flag: '--json', type: 'boolean', description: 'print the result as JSON', cliOnly: true };
const NIGHT_FLAG: FlagSpec = { flag: '--night', type: 'int', valueName: 'N', description: 'the night number (default: the latest night)' };


/** The flags of a command that acts on a night's proposals (`adopt`, `reject`): one skill or all of them. */
function proposalFlags(verb: 'adopt' | 'reject'): FlagSpec[] {
  return [
    NIGHT_FLAG,
    { flag: '--skill', type: 'string', valueName: 'NAME', description: `${verb} the proposal for this skill only`, conflicts: ['--all'] },
    { flag: '--all', type: 'boolean', description: `${verb} the proposals for every skill of the night`, conflicts: ['--skill'] },
    JSON_FLAG,
  ];
}
/** Every tool, in the order a person meets them. */
export const TOOL_SPECS: readonly ToolSpec[] = [
  {
    tool: 'sleep_status',
    command: 'status',
    title: 'skillopt-sleep status',
    description: 'What skillopt-sleep knows now: state folder, daemon, harvested sessions per source, replay-set size by split, the last night, and proposals waiting for a decision.',
    args: [],
    flags: [JSON_FLAG],
    readOnly: true,
  },
  {
    tool: 'sleep_run',
    command: 'run',
    title: 'Run a night',
    description: 'Run one night: harvest, mine, train each target skill against the replay set behind a held-out gate, and stage a proposal with its report. Nothing is adopted.',
    args: [],
    flags: [
      { flag: '--now', type: 'boolean', description: 'run now, outside the scheduled window' },
      { flag: '--dry-run', type: 'boolean', description: 'train and write the report, but stage nothing' },
      { flag: '--skill', type: 'string', valueName: 'NAME', description: 'train only this skill: a skill name, or the path of a skill file to train tonight' },
      JSON_FLAG,
    ],
    readOnly: false,
  },
  {
    tool: 'sleep_report',
    command: 'report',
    title: 'Morning report',
    description: "A night's report: held-out scores before and after, every edit with its evidence, rejected edits, per-task deltas and cost.",
    args: [],
    flags: [NIGHT_FLAG, { flag: '--open', type: 'boolean', description: 'also open report.html in the browser' }, JSON_FLAG],
    readOnly: true,
  },
  {
    tool: 'sleep_adopt',
    command: 'adopt',
    title: 'Adopt a proposal',
    description: "Write a night's proposed skill version to the skill file (atomically; the previous version is kept for rollback).",
    args: [],
    flags: proposalFlags('adopt'),
    readOnly: false,
  },
  {
    tool: 'sleep_reject',
    command: 'reject',
    title: 'Reject a proposal',
    description: "Discard a night's proposal; the skill file is not touched and the edits join the rejected-edit memory.",
    args: [],
    flags: proposalFlags('reject'),
    readOnly: false,
  },
  {
    tool: 'sleep_rollback',
    command: 'rollback',
    title: 'Roll a skill back',
    description: 'Write an earlier version of a skill back to its file (default: the version before the current one); refuses when the file was edited by hand since.',
    args: [{ name: 'skill', required: true, description: 'the skill name' }],
    flags: [{ flag: '--to', type: 'int', valueName: 'VERSION', description: 'the version to restore (see history)' }, JSON_FLAG],
    readOnly: false,
  },
  {
    tool: 'sleep_history',
    command: 'history',
    title: 'Skill versions',
    description: 'Every stored version of a skill: number, source (baseline, adopted, rollback, external edit), night, date and sha256.',
    args: [{ name: 'skill', required: true, description: 'the skill name' }],
    flags: [JSON_FLAG],
    readOnly: true,
  },
];

/** The spec of one tool; throws on a name that is not in TOOL_SPECS (a programming error). */
export function toolSpec(tool: ToolName): ToolSpec {
  const spec = TOOL_SPECS.find((s) => s.tool === tool);
  if (!spec) throw new Error(`no tool spec named ${tool}`);
  return spec;
}

/** `--dry-run` -> `dryRun`: the key commander and the MCP input both use. */
export function flagKey(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Parse a whole number of at least 1, or say what the flag takes (commander turns this into a usage error). */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}"`);
  return n;
}

function zodOfFlag(spec: FlagSpec): z.ZodType {
  switch (spec.type) {
    case 'boolean':
      return z.boolean().optional().describe(spec.description);
    case 'string':
      return z.string().min(1).optional().describe(spec.description);
    case 'int':
      return z.number().int().min(1).optional().describe(spec.description);
    default:
      spec.type satisfies never;
      throw new Error('unreachable');
  }
}

/** The zod shape of a tool's input: each positional argument and each flag except the CLI-only ones. */
export function inputShapeOf(spec: ToolSpec): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const arg of spec.args) {
    const text = z.string().min(1).describe(arg.description);
    shape[arg.name] = arg.required ? text : text.optional();
  }
  for (const flag of spec.flags) if (!flag.cliOnly) shape[flagKey(flag.flag)] = zodOfFlag(flag);
  return shape;
}

/** The parsed input of a tool: argument and flag keys to their values. */
export type ToolInput = Record<string, string | number | boolean | undefined>;

/** The mutually exclusive flags given together in an input, as readable pairs (empty when none). */
export function conflictsIn(spec: ToolSpec, input: ToolInput): string[] {
  const found: string[] = [];
  for (const flag of spec.flags) {
    for (const other of flag.conflicts ?? []) {
      if (flag.flag < other && isGiven(input[flagKey(flag.flag)]) && isGiven(input[flagKey(other)])) found.push(`${flag.flag} and ${other}`);
    }
  }
  return found;
}

function isGiven(value: unknown): boolean {
  return value !== undefined && value !== false;
}

/** The CLI argv for a tool input: `<command> <args...> <flags...>` (ends with `--json` when the command has it). */
export function argvOf(spec: ToolSpec, input: ToolInput): string[] {
  const argv = [spec.command];
  for (const arg of spec.args) {
    const value = input[arg.name];
    if (value !== undefined) argv.push(String(value));
  }
  for (const flag of spec.flags) {
    if (flag.cliOnly) continue;
    const value = input[flagKey(flag.flag)];
    if (value === undefined || value === false) continue;
    argv.push(flag.flag);
    if (flag.type !== 'boolean') argv.push(String(value));
  }
  if (spec.flags.some((f) => f.flag === '--json')) argv.push('--json');
  return argv;
}

/** Add a spec's positional arguments and options to a commander command (the CLI side of the contract). */
export function addSpecOptions(command: Command, spec: ToolSpec): Command {
  for (const arg of spec.args) command.argument(arg.required ? `<${arg.name}>` : `[${arg.name}]`, arg.description);
  for (const flag of spec.flags) {
    const option = new Option(flag.type === 'boolean' ? flag.flag : `${flag.flag} <${(flag.valueName ?? 'value').toLowerCase()}>`, flag.description);
    if (flag.type === 'int') option.argParser(parsePositiveInt);
    if (flag.conflicts) option.conflicts(flag.conflicts.map(flagKey));
    command.addOption(option);
  }
  return command;
}

/**
 * Where a commander command disagrees with its spec: missing, extra or differently typed options and
 * arguments. Empty when they agree. An `int` option must parse "3" to 3 and refuse "x" and "0".
 */
export function checkCommandAgainstSpec(command: Command, spec: ToolSpec): string[] {
  const problems: string[] = [];
  const where = `${spec.command} (${spec.tool})`;
  if (command.name() !== spec.command) problems.push(`${where}: command is named "${command.name()}"`);
  const options = new Map(command.options.filter((o) => o.long !== '--help').map((o) => [o.long ?? '', o] as const));
  for (const flag of spec.flags) {
    const option = options.get(flag.flag);
    if (!option) {
      problems.push(`${where}: missing option ${flag.flag}`);
      continue;
    }
    options.delete(flag.flag);
    if (option.attributeName() !== flagKey(flag.flag)) problems.push(`${where}: ${flag.flag} is stored as "${option.attributeName()}", the MCP input key is "${flagKey(flag.flag)}"`);
    const takesValue = option.required || option.optional;
    if (flag.type === 'boolean' && (takesValue || option.negate)) problems.push(`${where}: ${flag.flag} must be a switch without a value`);
    if (flag.type !== 'boolean' && !option.required) problems.push(`${where}: ${flag.flag} must take a required value`);
    if (flag.type === 'int') problems.push(...checkIntParser(where, flag.flag, option));
    if (flag.type === 'string' && option.parseArg) {
      const parsed: unknown = option.parseArg('name', undefined);
      if (typeof parsed !== 'string') problems.push(`${where}: ${flag.flag} must keep its value as text`);
    }
    const conflicts = [...((option as unknown as { conflictsWith?: string[] }).conflictsWith ?? [])].sort();
    const expected = (flag.conflicts ?? []).map(flagKey).sort();
    if (conflicts.join(',') !== expected.join(',')) problems.push(`${where}: ${flag.flag} conflicts with [${conflicts.join(', ')}], the spec says [${expected.join(', ')}]`);
  }
  for (const extra of options.keys()) problems.push(`${where}: option ${extra} is not in the spec (add it to src/mcp/tool-specs.ts so the MCP tool takes it too)`);
  const args = command.registeredArguments;
  if (args.length !== spec.args.length) problems.push(`${where}: ${args.length} positional arguments, the spec has ${spec.args.length}`);
  spec.args.forEach((arg, i) => {
    const actual = args[i];
    if (!actual) return;
    if (actual.name() !== arg.name) problems.push(`${where}: argument ${i + 1} is "${actual.name()}", the spec says "${arg.name}"`);
    if (actual.required !== arg.required) problems.push(`${where}: argument ${arg.name} is ${actual.required ? 'required' : 'optional'}, the spec says ${arg.required ? 'required' : 'optional'}`);
    if (actual.variadic) problems.push(`${where}: argument ${arg.name} must not be variadic`);
  });
  return problems;
}

function checkIntParser(where: string, flag: string, option: Option): string[] {
  const parse = option.parseArg;
  if (!parse) return [`${where}: ${flag} must parse its value as a whole number`];
  const refuses = (text: string) => {
    try {
      parse(text, undefined);
      return false;
    } catch {
      return true;
    }
  };
  let three: unknown;
  try {
    three = parse('3', undefined);
  } catch {
    three = undefined;
  }
  return three === 3 && refuses('x') && refuses('0') && refuses('1.5') ? [] : [`${where}: ${flag} must parse "3" to 3 and refuse "x", "0" and "1.5"`];
}

/** A commander command built from the spec alone (what the CLI command must look like). */
export function commandFromSpec(spec: ToolSpec): Command {
  return addSpecOptions(new Command(spec.command), spec);
}
