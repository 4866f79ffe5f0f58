import { describe, it, expect, afterEach } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANY_NAME, walkPattern } from './walk.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tree(files: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'walk-'));
  dirs.push(root);
  for (const file of files) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '{}\n');
  }
  return root;
}

describe('walkPattern', () => {
  it('matches one segment per test at a fixed depth, skipping dot names', async () => {
    const root = tree(['a/1.jsonl', 'a/2.json', 'b/c/3.jsonl', '.hidden/4.jsonl', 'a/.5.jsonl', 'top.jsonl']);
    const found = (await walkPattern(root, [ANY_NAME, /\.jsonl$/])).sort();
    expect(found).toEqual([join(root, 'a/1.jsonl')]);
  });

  it('follows a symbolic link to a folder, survives a loop and a broken link, and skips a missing root', async () => {
    const root = tree(['real/x/rollout-1.jsonl']);
    symlinkSync(join(root, 'real'), join(root, 'linked'));
    symlinkSync(root, join(root, 'real', 'loop'));
    symlinkSync(join(root, 'nowhere'), join(root, 'broken'));
    const found = (await walkPattern(root, [ANY_NAME, ANY_NAME, /^rollout-.*\.jsonl$/])).sort();
    expect(found).toEqual([join(root, 'linked/x/rollout-1.jsonl'), join(root, 'real/x/rollout-1.jsonl')]);
    expect(await walkPattern(join(root, 'missing'), [ANY_NAME])).toEqual([]);
  });

  it('lists a matching last segment whatever it is (the harvester stats it and counts a folder as not a session)', async () => {
    const root = tree(['p/dir.jsonl/inner.txt']);
    expect(await walkPattern(root, [ANY_NAME, /\.jsonl$/])).toEqual([join(root, 'p/dir.jsonl')]);
  });
});
