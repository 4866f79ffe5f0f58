import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SkillOptError } from '../core/errors.js';
import { installPlan, uninstallAgent } from './installer.js';
import type { AgentPlan } from './plan.js';

let root: string;
let state: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'installer-'));
  state = join(root, 'state');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function plan(): AgentPlan {
  return {
    agent: 'copilot',
    desired: [
      { kind: 'file', path: join(root, 'a', 'b', 'ours.md'), content: 'ours\n', mode: 0o755 },
      { kind: 'json', path: join(root, 'cfg.json'), entries: [{ keyPath: ['servers', 'x'], value: { command: 'n' } }, { keyPath: ['top'], value: true }] },
    ],
    notes: [],
  };
}

describe('installPlan / uninstallAgent', () => {
  it('creates folders and files with their modes, merges JSON, and undoes all of it', () => {
    writeFileSync(join(root, 'cfg.json'), '{"keep":1}');
    const result = installPlan(plan(), state, { dryRun: false });
    expect(result.actions.map((a) => a.action)).toEqual(['create', 'update']);
    expect(statSync(join(root, 'a', 'b', 'ours.md')).mode & 0o777).toBe(0o755);
    expect(JSON.parse(readFileSync(join(root, 'cfg.json'), 'utf8'))).toEqual({ keep: 1, servers: { x: { command: 'n' } }, top: true });
    uninstallAgent('copilot', state, { dryRun: false });
    expect(readFileSync(join(root, 'cfg.json'), 'utf8')).toBe('{"keep":1}');
    expect(existsSync(join(root, 'a'))).toBe(false);
  });

  it('keeps a file of ours the person edited, and their other keys in an edited config, removing empty parents we added', () => {
    installPlan(plan(), state, { dryRun: false });
    writeFileSync(join(root, 'a', 'b', 'ours.md'), 'mine now\n');
    writeFileSync(join(root, 'cfg.json'), JSON.stringify({ servers: { x: { command: 'n' } }, top: true, added: 2 }));
    const result = uninstallAgent('copilot', state, { dryRun: false });
    expect(result.actions.map((a) => a.action)).toEqual(['keep-edited', 'remove-entries']);
    expect(readFileSync(join(root, 'a', 'b', 'ours.md'), 'utf8')).toBe('mine now\n');
    expect(JSON.parse(readFileSync(join(root, 'cfg.json'), 'utf8'))).toEqual({ added: 2 });
    expect(result.notes.join('\n')).toContain('was edited since the install, so it stays');
  });

  it('a re-install with a smaller plan removes what the older one wrote', () => {
    installPlan(plan(), state, { dryRun: false });
    const smaller = { ...plan(), desired: plan().desired.slice(1) };
    const result = installPlan(smaller, state, { dryRun: false });
    expect(result.actions).toEqual([
      { path: join(root, 'cfg.json'), action: 'unchanged' },
      { path: join(root, 'a', 'b', 'ours.md'), action: 'remove' },
    ]);
    expect(existsSync(join(root, 'a', 'b', 'ours.md'))).toBe(false);
    uninstallAgent('copilot', state, { dryRun: false });
    expect(existsSync(join(root, 'cfg.json'))).toBe(false);
  });

  it('refuses a non-object where a key path must go, writing nothing', () => {
    writeFileSync(join(root, 'cfg.json'), '{"servers":[1]}');
    mkdirSync(join(root, 'a'));
    expect(() => installPlan(plan(), state, { dryRun: false })).toThrow(SkillOptError);
    expect(existsSync(join(root, 'a', 'b'))).toBe(false);
    expect(readFileSync(join(root, 'cfg.json'), 'utf8')).toBe('{"servers":[1]}');
  });
});
