import { describe, it, expect } from 'vitest';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir } from './helpers.js';

const analyst = join(ROOT, 'fixtures', 'personas', 'analyst', 'tasks.jsonl');

/** A fake $EDITOR: a node script that rewrites the task's prompt (or breaks the JSON). */
function fakeEditor(dir: string, mode: 'rename' | 'break'): string {
  const path = join(dir, `editor-${mode}.mjs`);
  const body =
    mode === 'rename'
      ? `const t = JSON.parse(fs.readFileSync(file, 'utf8')); t.prompt = t.prompt + ' (edited)'; fs.writeFileSync(file, JSON.stringify(t, null, 2));`
      : `fs.writeFileSync(file, '{"id": "ana-01", "prompt": 5');`;
  writeFileSync(path, `#!/usr/bin/env node\nimport fs from 'node:fs';\nconst file = process.argv[2];\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('skillopt-sleep tasks (spawned CLI)', () => {
  it('imports, lists, shows, excludes, includes, edits and exports the replay set', () => {
    const home = tempDir();
    const imported = JSON.parse(runCli(['tasks', 'import', analyst, '--json'], { home }).stdout);
    expect(imported).toMatchObject({ added: 17, updated: 0, problems: [] });
    const rows = JSON.parse(runCli(['tasks', 'list', '--json'], { home }).stdout);
    expect(rows).toHaveLength(17);
    expect(rows.every((r: { reviewed: boolean; status: string }) => r.reviewed && r.status === 'active')).toBe(true);

    expect(runCli(['tasks', 'show', 'ana-01'], { home }).stdout).toContain('How long is the Ridge trail');
    expect(runCli(['tasks', 'exclude', 'ana-01'], { home }).code).toBe(0);
    expect(JSON.parse(runCli(['tasks', 'list', '--status', 'excluded', '--json'], { home }).stdout).map((r: { id: string }) => r.id)).toEqual(['ana-01']);

    const exported = join(home, 'out.jsonl');
    expect(runCli(['tasks', 'export', exported], { home }).code).toBe(0);
    expect(readFileSync(exported, 'utf8').trim().split('\n')).toHaveLength(16);
    expect(runCli(['tasks', 'include', 'ana-01'], { home }).code).toBe(0);

    const edited = runCli(['tasks', 'edit', 'ana-02'], { home, env: { EDITOR: fakeEditor(home, 'rename') } });
    expect(edited.code).toBe(0);
    expect(edited.stdout).toMatch(/saved ana-02 as version 2/);
    expect(JSON.parse(runCli(['tasks', 'show', 'ana-02', '--json'], { home }).stdout).prompt).toMatch(/\(edited\)$/);

    const broken = runCli(['tasks', 'edit', 'ana-03'], { home, env: { EDITOR: fakeEditor(home, 'break') } });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/ana-03 was not changed/);
    expect(broken.stderr).toMatch(/draft is kept at/);
    expect(JSON.parse(runCli(['tasks', 'show', 'ana-03', '--json'], { home }).stdout).version).toBe(1);
  });

  it('names the fix for an unknown task and a bad filter', () => {
    const home = tempDir();
    const missing = runCli(['tasks', 'show', 'nope'], { home });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/nope/);
    const bad = runCli(['tasks', 'list', '--split', 'holdout'], { home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--split must be train, val or test/);
  });
});
