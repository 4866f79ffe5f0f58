import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SkillOptError } from '../core/errors.js';
import { failureOf } from '../../test/helpers/failure-of.js';
import { createCliRunner, interpretCliRun } from './cli-runner.js';

let dir: string;
let cli: string;

// A stand-in for dist/cli/main.js: behaves by its command name, like the real CLI (stdout data, stderr logs).
const FAKE_MAIN = String.raw`
const args = process.argv.slice(2);
const at = args[0] === '--home' ? 2 : 0;
const home = at ? args[1] : null;
const [command, ...rest] = args.slice(at);
switch (command) {
  case 'history':
    process.stdout.write(JSON.stringify({ home, command, rest }));
    break;
  case 'run':
    process.stderr.write('harvest: 2 sessions\r\x1b[Kstep 1/2\n');
    process.stderr.write('step 2/2\n');
    process.stdout.write(JSON.stringify({ night: 5 }));
    break;
  case 'adopt':
    process.stderr.write('skillopt-sleep: night 3 has no proposal for "x"\n  fix: run \x60skillopt-sleep report --night 3\x60\n');
    process.exitCode = 1;
    break;
  case 'report':
    process.stdout.write('not json');
    break;
  case 'rollback':
    setInterval(() => {}, 1000);
    break;
  default:
    process.stderr.write("error: unknown command '" + command + "'\n(run with --help for usage)\n");
    process.exitCode = 1;
}
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-runner-'));
  cli = join(dir, 'main.cjs');
  writeFileSync(cli, FAKE_MAIN);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runner = () => createCliRunner({ node: process.execPath, cliPath: cli, env: { PATH: process.env.PATH }, home: '/tmp/state-x', killGraceMs: 200 });

describe('createCliRunner', () => {
  it('runs the command with --home and returns its parsed JSON', async () => {
    expect(await runner()(['history', 'commit-style', '--json'], {})).toEqual({ home: '/tmp/state-x', command: 'history', rest: ['commit-style', '--json'] });
  });

  it('streams stderr lines as progress, terminal escapes and carriage returns removed', async () => {
    const lines: string[] = [];
    expect(await runner()(['run', '--now', '--json'], { onProgress: (l) => lines.push(l) })).toEqual({ night: 5 });
    expect(lines).toEqual(['harvest: 2 sessions', 'step 1/2', 'step 2/2']);
  });

  it('says clearly when this build has no such command yet', async () => {
    const error = await failureOf(runner()(['sleep-later', '--json'], {}), SkillOptError);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('this build of skillopt-sleep has no `sleep-later` command yet');
    expect(error.hint).toContain('npm i -g skillopt-sleep');
  });

  it("keeps the CLI's message and fix", async () => {
    const error = await failureOf(runner()(['adopt', '--json'], {}), SkillOptError);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toBe('skillopt-sleep adopt failed (exit code 1): night 3 has no proposal for "x"');
    expect(error.hint).toBe('run `skillopt-sleep report --night 3`');
  });

  it('calls non-JSON output a bug, and a cancelled call CANCELLED (the child is killed)', async () => {
    expect((await failureOf(runner()(['report', '--json'], {}), SkillOptError)).code).toBe('INTERNAL');
    const controller = new AbortController();
    const pending = runner()(['rollback', 'x', '--json'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect((await failureOf(pending, SkillOptError)).code).toBe('CANCELLED');
  });

  it('says UNAVAILABLE when node itself cannot start', async () => {
    const broken = createCliRunner({ node: join(dir, 'no-node'), cliPath: cli, env: {} });
    expect((await failureOf(broken(['status'], {}), SkillOptError)).code).toBe('UNAVAILABLE');
  });
});

describe('interpretCliRun', () => {
  it('maps exit 2 to INPUT and a signal to a readable failure', () => {
    const input = (() => {
      try {
        interpretCliRun('run', { stdout: '', stderr: 'skillopt-sleep: --skill needs a name\n', exitCode: 2 });
      } catch (error) {
        return error as SkillOptError;
      }
      return undefined;
    })();
    expect(input?.code).toBe('INPUT');
    expect(() => interpretCliRun('run', { stdout: '', stderr: '', exitCode: null, signal: 'SIGKILL' })).toThrow(/killed by SIGKILL/);
  });
});
