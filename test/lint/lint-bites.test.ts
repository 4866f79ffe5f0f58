import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

// The lint rules that hold the architecture must fail on a banned import, not just pass on today's tree.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const scratch: string[] = [];
function writeScratch(relative: string, text: string): string {
  const path = join(ROOT, relative);
  writeFileSync(path, text);
  scratch.push(path);
  return path;
}
afterAll(() => scratch.forEach((p) => rmSync(p, { force: true })));

describe('lint bites', () => {
  it('ESLint rejects file I/O in pure folders, HOME and the clock outside the roots, and floating promises', async () => {
    const files = {
      fs: writeScratch('src/train/zz-lint-scratch-fs.ts', "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n"),
      sqlite: writeScratch('src/judges/zz-lint-scratch-sqlite.ts', "import Database from 'better-sqlite3';\nexport const open = Database;\n"),
      home: writeScratch('src/harvest/zz-lint-scratch-home.ts', "import { homedir } from 'node:os';\nexport const home = homedir();\n"),
      clock: writeScratch('src/mine/zz-lint-scratch-clock.ts', 'export const a = Date.now();\nexport const b = new Date();\n'),
      promise: writeScratch('src/app/zz-lint-scratch-promise.ts', 'async function work(): Promise<void> {}\nexport function start(): void {\n  work();\n}\n'),
      allowed: writeScratch('src/app/zz-lint-scratch-allowed.ts', "import { readFileSync } from 'node:fs';\nexport const parsed = new Date('2026-01-01');\nexport const read = readFileSync;\n"),
    };
    const eslint = new ESLint({ cwd: ROOT });
    const results = await eslint.lintFiles(Object.values(files));
    const rules = (path: string) => results.find((r) => r.filePath === path)?.messages.map((m) => m.ruleId) ?? ['missing'];
    expect(rules(files.fs)).toContain('no-restricted-imports');
    expect(rules(files.sqlite)).toContain('no-restricted-imports');
    expect(rules(files.home)).toContain('no-restricted-imports');
    expect(rules(files.clock).filter((r) => r === 'no-restricted-syntax')).toHaveLength(2);
    expect(rules(files.promise)).toContain('@typescript-eslint/no-floating-promises');
    expect(rules(files.allowed)).toEqual([]);
  }, 120_000);

  it('dependency-cruiser rejects an upward import between folders', () => {
    writeScratch('src/models/zz-lint-scratch-upward.ts', "export { decideGate } from '../train/gate.js';\n");
    const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'src/models', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: ROOT, encoding: 'utf8' });
    const output = JSON.parse(run.stdout) as { summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> } };
    const violations = output.summary.violations.map((v) => `${v.rule.name} ${v.from} -> ${v.to}`);
    expect(violations).toContain('layer-models src/models/zz-lint-scratch-upward.ts -> src/train/gate.ts');
  }, 120_000);
});
