import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../config/config.js';
import { resolveTargets, userSkillTarget } from './skill-targets.js';

const home = () => mkdtempSync(join(tmpdir(), 'sos-targets-'));

describe('skill targets', () => {
  it('names the fix for a path that does not exist, is a folder, is not UTF-8 or has broken frontmatter', () => {
    const h = home();
    expect(() => userSkillTarget('nope/SKILL.md', h, h)).toThrow(/skill file .*nope\/SKILL\.md does not exist/);
    mkdirSync(join(h, 'dir'));
    expect(() => userSkillTarget('dir', h, h)).toThrow(/skill path .*dir is a folder/);
    writeFileSync(join(h, 'bin.md'), Buffer.from([0xff, 0xfe, 0x00]));
    expect(() => userSkillTarget('bin.md', h, h)).toThrow(/is not UTF-8 text/);
    writeFileSync(join(h, 'broken.md'), '---\nname: [unclosed\n---\nbody\n');
    expect(() => userSkillTarget('broken.md', h, h)).toThrow(/broken\.md:2: frontmatter YAML is malformed/);
  });

  it('names a user skill by its frontmatter, else its folder, and tells user- from project-level', () => {
    const h = home();
    mkdirSync(join(h, '.claude', 'skills', 'notes'), { recursive: true });
    writeFileSync(join(h, '.claude', 'skills', 'notes', 'SKILL.md'), 'no frontmatter\n');
    expect(userSkillTarget('~/.claude/skills/notes/SKILL.md', '/elsewhere', h)).toMatchObject({ name: 'notes', kind: 'user', locations: [{ agent: 'claude-code', scope: 'user' }] });
    mkdirSync(join(h, 'repo', '.agents', 'skills', 'x'), { recursive: true });
    writeFileSync(join(h, 'repo', '.agents', 'skills', 'x', 'SKILL.md'), '---\nname: release\n---\nbody\n');
    expect(userSkillTarget('.agents/skills/x/SKILL.md', join(h, 'repo'), h)).toMatchObject({ name: 'release', locations: [{ agent: 'codex', scope: 'project' }] });
  });

  it('renders the managed skill for every agent found in HOME, Claude Code first (primary)', () => {
    const h = home();
    for (const d of ['.claude', '.codex/skills', '.copilot']) mkdirSync(join(h, d), { recursive: true });
    const [managed] = resolveTargets({ config: defaultConfig(), environment: { env: {}, platform: 'linux', homeDir: h }, cwd: h });
    expect(managed!.locations.map((l) => [l.agent, l.path.slice(h.length), l.primary])).toEqual([
      ['claude-code', '/.claude/skills/skillopt-sleep-learned/SKILL.md', true],
      ['codex', '/.codex/skills/skillopt-sleep-learned/SKILL.md', false],
      ['copilot', '/.copilot/instructions/skillopt-sleep-learned.instructions.md', false],
    ]);
  });

  it('refuses two configured skills with the same name', () => {
    const h = home();
    for (const d of ['a', 'b']) {
      mkdirSync(join(h, d));
      writeFileSync(join(h, d, 'SKILL.md'), '---\nname: same\n---\n');
    }
    const config = { ...defaultConfig(), night: { ...defaultConfig().night, skills: ['a/SKILL.md', 'b/SKILL.md'] } };
    expect(() => resolveTargets({ config, environment: { env: {}, platform: 'linux', homeDir: h }, cwd: h })).toThrow(/two skills are both named "same"/);
  });
});
