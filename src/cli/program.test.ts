import { describe, expect, it } from 'vitest';
import { buildProgram } from './program.js';
import { commandNameOf } from './argv.js';

const names = async (argv?: string[]) => (await buildProgram(undefined, argv ? { argv } : {})).commands.map((c) => c.name());

describe('buildProgram loads only the command it runs', () => {
  it('reads the command name past the global options', () => {
    expect(commandNameOf(['node', 'cli', 'harvest', '--json'])).toBe('harvest');
    expect(commandNameOf(['node', 'cli', '--home', '/tmp/x', '--verbose', 'mine'])).toBe('mine');
    expect(commandNameOf(['node', 'cli', '--home=/tmp/x', 'tasks', 'list'])).toBe('tasks');
    expect(commandNameOf(['node', 'cli', '--help'])).toBeUndefined();
    expect(commandNameOf(['node', 'cli', 'help', 'harvest'])).toBeUndefined();
    expect(commandNameOf(['node', 'cli'])).toBeUndefined();
  });

  it('loads no command for a version request, and prints the version', async () => {
    expect(await names(['node', 'cli', '--version'])).toEqual([]);
    expect(await names(['node', 'cli', '--home', '/tmp/x', '-V'])).toEqual([]);
    expect(await names(['node', 'cli', 'harvest', '--version'])).toEqual(['harvest', 'sessions']);
    const program = await buildProgram(undefined, { argv: ['node', 'cli', '--version'] });
    let printed = '';
    program.configureOutput({ writeOut: (text) => (printed += text) });
    await expect(program.parseAsync(['node', 'cli', '--version'])).rejects.toMatchObject({ code: 'commander.version' });
    expect(printed.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('registers the module of that command alone, and every command for help or a name no command has', async () => {
    expect(await names(['node', 'cli', 'harvest'])).toEqual(['harvest', 'sessions']);
    expect(await names(['node', 'cli', '--home', '/tmp/x', 'service', 'status'])).toEqual(['daemon', 'service']);
    const all = await names();
    expect(all.length).toBeGreaterThan(20);
    expect(all.slice(0, 4)).toEqual(['demo', 'harvest', 'sessions', 'mine']);
    expect(await names(['node', 'cli', '--help'])).toEqual(all);
    // A typo loads everything, so commander can suggest the command meant.
    expect(await names(['node', 'cli', 'harvst'])).toEqual(all);
  });
});
