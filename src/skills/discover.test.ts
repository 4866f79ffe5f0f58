import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverSkills } from './discover.js';

describe('discoverSkills', () => {
  it('finds SKILL.md files and instructions user- and project-level per agent, with a problem for a broken one', () => {
    const home = mkdtempSync(join(tmpdir(), 'sos-discover-'));
    const put = (path: string, text: string) => {
      mkdirSync(join(home, path, '..'), { recursive: true });
      writeFileSync(join(home, path), text);
    };
    put('.claude/skills/commit/SKILL.md', '---\nname: commit-style\ndescription: How I write commits.\n---\nbody\n');
    put('.agents/skills/review/SKILL.md', 'no frontmatter\n');
    put('.copilot/copilot-instructions.md', 'Use tabs.\n');
    put('repo/.claude/skills/broken/SKILL.md', '---\nname: [x\n---\n');
    put('repo/.github/copilot-instructions.md', 'Repo rules.\n');
    mkdirSync(join(home, '.claude', 'skills', 'empty-folder'));
    const found = discoverSkills({ homeDir: home, env: {}, exists: existsSync }, join(home, 'repo'));
    const rows = found.map((f) => [f.name, f.agent, f.scope, f.path.slice(home.length), f.problem === null ? null : 'problem']);
    expect(rows).toEqual([
      ['review', 'codex', 'user', '/.agents/skills/review/SKILL.md', null],
      ['commit-style', 'claude-code', 'user', '/.claude/skills/commit/SKILL.md', null],
      ['copilot-instructions', 'copilot', 'user', '/.copilot/copilot-instructions.md', null],
      ['broken', 'claude-code', 'project', '/repo/.claude/skills/broken/SKILL.md', 'problem'],
      ['copilot-instructions', 'copilot', 'project', '/repo/.github/copilot-instructions.md', null],
    ]);
    expect(found.find((f) => f.name === 'commit-style')?.description).toBe('How I write commits.');
  });
});
