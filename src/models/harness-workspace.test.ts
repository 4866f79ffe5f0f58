import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { classifyHarnessFailure } from './harness-process.js';
import {
  createHarnessWorkspace,
  ensureSkillFrontmatter,
  sanitizeSkillName,
  skillInstallPath,
  sweepStaleWorkspaces,
  withHarnessWorkspace,
} from './harness-workspace.js';
import { OWN_REPLAY_DIR_PREFIX } from '../core/own-replay.js';

const dirs: string[] = [];
function tempRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ws-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('sanitizeSkillName', () => {
  it('keeps names inside the skills folder', () => {
    expect(sanitizeSkillName('../../etc/passwd')).toBe('etc-passwd');
    expect(sanitizeSkillName('My Skill!')).toBe('my-skill');
    expect(sanitizeSkillName('///')).toBe('skill');
  });
});

describe('skillInstallPath', () => {
  it('follows each agent convention', () => {
    expect(skillInstallPath('claude-code', '/w', 'x')).toBe('/w/.claude/skills/x/SKILL.md');
    expect(skillInstallPath('codex', '/w', 'x')).toBe('/w/.agents/skills/x/SKILL.md');
  });
});

describe('ensureSkillFrontmatter', () => {
  it('adds name and description only when missing', () => {
    expect(ensureSkillFrontmatter('a', '# Body')).toMatch(/^---\nname: a\ndescription: .+\n---\n\n# Body$/);
    const withFm = '---\nname: b\ndescription: d\n---\nbody';
    expect(ensureSkillFrontmatter('a', withFm)).toBe(withFm);
  });
});

describe('createHarnessWorkspace', () => {
  it('creates a prefixed folder with the skill and context, and dispose removes it', () => {
    const root = tempRoot();
    const ws = createHarnessWorkspace(root, { agent: 'claude-code', skill: { name: 's', text: 'T' }, contextText: 'ctx' });
    expect(basename(ws.dir).startsWith(OWN_REPLAY_DIR_PREFIX)).toBe(true);
    expect(readFileSync(ws.skillPath ?? '', 'utf8')).toContain('T');
    expect(readFileSync(join(ws.dir, 'CLAUDE.md'), 'utf8')).toBe('ctx\n');
    ws.dispose();
    expect(existsSync(ws.dir)).toBe(false);
  });

  it('removes the workspace when the run throws', async () => {
    const root = tempRoot();
    let seen = '';
    await expect(
      withHarnessWorkspace(root, { agent: 'codex' }, async (ws) => {
        seen = ws.dir;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(seen).not.toBe('');
    expect(existsSync(seen)).toBe(false);
  });
});

describe('sweepStaleWorkspaces', () => {
  it('removes only old folders with our prefix', () => {
    const root = tempRoot();
    const old = join(root, `${OWN_REPLAY_DIR_PREFIX}old`);
    const fresh = join(root, `${OWN_REPLAY_DIR_PREFIX}fresh`);
    const other = join(root, 'someone-else');
    for (const dir of [old, fresh, other]) mkdirSync(dir);
    const now = new Date('2026-01-02T00:00:00Z');
    const past = new Date('2026-01-01T00:00:00Z');
    utimesSync(old, past, past);
    utimesSync(other, past, past);
    utimesSync(fresh, now, now);
    expect(sweepStaleWorkspaces(root, now, 60 * 60 * 1000)).toEqual([old]);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });
});

describe('classifyHarnessFailure', () => {
  it('recognises the common markers', () => {
    expect(classifyHarnessFailure('Invalid API key · Please run /login')).toBe('AUTH');
    expect(classifyHarnessFailure('API Error: 429 {"type":"rate_limit_error"}')).toBe('RATE_LIMITED');
    expect(classifyHarnessFailure('API Error: 529 Overloaded')).toBe('UNAVAILABLE');
    expect(classifyHarnessFailure("error: unknown option '--tools'")).toBe('BAD_REQUEST');
    expect(classifyHarnessFailure('the answer is 42')).toBeUndefined();
  });
});
