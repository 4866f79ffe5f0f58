import { describe, it, expect } from 'vitest';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { buildProgram } from '../cli/program.js';
import {
  addSpecOptions,
  argvOf,
  checkCommandAgainstSpec,
  commandFromSpec,
  conflictsIn,
  flagKey,
  inputShapeOf,
  parsePositiveInt,
  TOOL_SPECS,
  toolSpec,
  type ToolInput,
  type ToolSpec,
} from './tool-specs.js';

/** A commander command that parses argv the way the CLI does (no process exit, no output). */
function parse(spec: ToolSpec, argv: string[]): { args: string[]; opts: Record<string, unknown> } {
  const command = commandFromSpec(spec).exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  let captured: { args: string[]; opts: Record<string, unknown> } = { args: [], opts: {} };
  command.action((...all: unknown[]) => {
    const cmd = all.at(-1) as Command;
    captured = { args: cmd.args, opts: cmd.opts() };
  });
  command.parse(argv, { from: 'user' });
  return captured;
}

/** A sample value of each input key, to exercise every flag at once. */
function sampleInput(spec: ToolSpec): ToolInput {
  const input: ToolInput = {};
  for (const arg of spec.args) input[arg.name] = 'commit-style';
  for (const flag of spec.flags) {
    if (flag.cliOnly) continue;
    const key = flagKey(flag.flag);
    if (flag.conflicts?.some((other) => input[flagKey(other)] !== undefined)) continue;
    input[key] = flag.type === 'boolean' ? true : flag.type === 'int' ? 3 : 'commit-style';
  }
  return input;
}

describe('tool specs', () => {
  it('has the seven tools of issue 14, each on its CLI command, every flag described', () => {
    expect(TOOL_SPECS.map((s) => `${s.tool}=${s.command}`)).toEqual([
      'sleep_status=status', 'sleep_run=run', 'sleep_report=report', 'sleep_adopt=adopt', 'sleep_reject=reject', 'sleep_rollback=rollback', 'sleep_history=history',
    ]);
    for (const spec of TOOL_SPECS) {
      expect(spec.flags.some((f) => f.flag === '--json' && f.cliOnly)).toBe(true);
      for (const flag of spec.flags) expect(flag.description.length).toBeGreaterThan(10);
    }
  });

  it('matches the CLI flags issue 12 defines', () => {
    const usage = TOOL_SPECS.map((spec) => [spec.command, ...spec.args.map((a) => a.name.toUpperCase()), ...spec.flags.map((f) => (f.type === 'boolean' ? f.flag : `${f.flag} ${f.valueName}`))].join(' '));
    expect(usage).toEqual([
      'status --json',
      'run --now --dry-run --skill NAME --json',
      'report --night N --open --json',
      'adopt --night N --skill NAME --all --json',
      'reject --night N --skill NAME --all --json',
      'rollback SKILL --to VERSION --json',
      'history SKILL --json',
    ]);
  });

  describe.each(TOOL_SPECS.map((spec) => [spec.tool, spec] as const))('%s', (_name, spec) => {
    it('the MCP input shape has exactly the arguments and the non-CLI-only flags, with matching types', () => {
      const shape = inputShapeOf(spec);
      const expected = [...spec.args.map((a) => a.name), ...spec.flags.filter((f) => !f.cliOnly).map((f) => flagKey(f.flag))];
      expect(Object.keys(shape)).toEqual(expected);
      const schema = z.strictObject(shape);
      for (const flag of spec.flags.filter((f) => !f.cliOnly)) {
        const key = flagKey(flag.flag);
        const base = Object.fromEntries(spec.args.map((a) => [a.name, 'x']));
        const ok = flag.type === 'boolean' ? true : flag.type === 'int' ? 2 : 'name';
        expect(schema.safeParse({ ...base, [key]: ok }).success).toBe(true);
        const bad = flag.type === 'boolean' ? ['yes', 1] : flag.type === 'int' ? [0, 1.5, '2'] : ['', 3, true];
        for (const value of bad) expect(schema.safeParse({ ...base, [key]: value }).success, `${key}=${JSON.stringify(value)}`).toBe(false);
      }
      for (const arg of spec.args.filter((a) => a.required)) expect(schema.safeParse({}).success, `${arg.name} is required`).toBe(false);
      expect(schema.safeParse({ ...sampleInput(spec), json: true }).success).toBe(false);
    });

    it('a command built from the spec passes the check', () => {
      expect(checkCommandAgainstSpec(commandFromSpec(spec), spec)).toEqual([]);
    });

    it('argvOf gives the CLI argv that parses back to the same input', () => {
      const input = sampleInput(spec);
      const argv = argvOf(spec, input);
      expect(argv[0]).toBe(spec.command);
      expect(argv.at(-1)).toBe('--json');
      const parsed = parse(spec, argv.slice(1));
      const back: ToolInput = {};
      spec.args.forEach((arg, i) => (back[arg.name] = parsed.args[i]));
      for (const flag of spec.flags) if (!flag.cliOnly && parsed.opts[flagKey(flag.flag)] !== undefined) back[flagKey(flag.flag)] = parsed.opts[flagKey(flag.flag)] as string | number | boolean;
      expect(back).toEqual(input);
      expect(parsed.opts.json).toBe(true);
    });

    it('the real CLI command takes exactly the spec flags: names, types, parsers, conflicts, arguments', async () => {
      const command = (await buildProgram()).commands.find((c) => c.name() === spec.command);
      expect(command, `skillopt-sleep ${spec.command} exists`).toBeDefined();
      expect(checkCommandAgainstSpec(command!, spec)).toEqual([]);
    });

    it('the real CLI command parses the argv of a tool input back to the same values', async () => {
      const command = (await buildProgram()).commands.find((c) => c.name() === spec.command)!;
      const input = sampleInput(spec);
      const argv = argvOf(spec, input).slice(1);
      const args = [...spec.args.map((a) => String(input[a.name]))];
      const parsed = command.parseOptions(argv);
      const opts: Record<string, unknown> = {};
      for (const option of command.options) {
        const key = option.attributeName();
        const at = argv.indexOf(option.long ?? '');
        if (at < 0) continue;
        opts[key] = option.required ? (option.parseArg ? option.parseArg(argv[at + 1]!, undefined) : argv[at + 1]) : true;
      }
      expect(parsed.operands).toEqual(args);
      const back: ToolInput = Object.fromEntries(spec.args.map((a, i) => [a.name, args[i]]));
      for (const flag of spec.flags) if (!flag.cliOnly && opts[flagKey(flag.flag)] !== undefined) back[flagKey(flag.flag)] = opts[flagKey(flag.flag)] as string | number | boolean;
      expect(back).toEqual(input);
    });
  });
});

describe('checkCommandAgainstSpec', () => {
  const spec = toolSpec('sleep_adopt');

  it('names a missing option, an extra option, a wrong type, a missing parser and a lost conflict', () => {
    const command = new Command('adopt')
      .option('--night <n>')
      .option('--skill <name>')
      .addOption(new Option('--all'))
      .option('--json <x>')
      .option('--force', 'not in the spec');
    const problems = checkCommandAgainstSpec(command, spec);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('--night must parse its value as a whole number'),
        expect.stringContaining('--skill conflicts with [], the spec says [all]'),
        expect.stringContaining('--json must be a switch without a value'),
        expect.stringContaining('option --force is not in the spec'),
      ]),
    );
    expect(checkCommandAgainstSpec(new Command('adopt'), spec)).toEqual(expect.arrayContaining([expect.stringContaining('missing option --night')]));
  });

  it('refuses an int parser that accepts fractions, and a wrong positional argument', () => {
    const rollback = toolSpec('sleep_rollback');
    const loose = new Command('rollback').argument('[name]').option('--to <v>', 'x', (v) => Number(v)).option('--json');
    const problems = checkCommandAgainstSpec(loose, rollback);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('--to must parse "3" to 3 and refuse'),
        expect.stringContaining('argument 1 is "name", the spec says "skill"'),
        expect.stringContaining('argument skill is optional, the spec says required'),
      ]),
    );
  });

  it('addSpecOptions adds to an existing command, so the CLI keeps its own action and description', () => {
    const command = addSpecOptions(new Command('history').description('versions of a skill'), toolSpec('sleep_history'));
    expect(checkCommandAgainstSpec(command, toolSpec('sleep_history'))).toEqual([]);
    expect(command.description()).toBe('versions of a skill');
  });
});

describe('conflictsIn and parsePositiveInt', () => {
  it('reports --skill with --all once, and nothing when only one is given', () => {
    const spec = toolSpec('sleep_reject');
    expect(conflictsIn(spec, { skill: 'a', all: true })).toEqual(['--all and --skill']);
    expect(conflictsIn(spec, { skill: 'a', all: false })).toEqual([]);
    expect(conflictsIn(spec, { all: true })).toEqual([]);
  });

  it('commander refuses --skill with --all through the same spec', () => {
    expect(() => parse(toolSpec('sleep_adopt'), ['--skill', 'a', '--all'])).toThrow(/cannot be used with/);
  });

  it('parses whole numbers of at least 1 only', () => {
    expect(parsePositiveInt('12')).toBe(12);
    for (const bad of ['0', '-1', '1.5', 'x', '', '1e3']) expect(() => parsePositiveInt(bad), bad).toThrow(/whole number/);
  });
});
