import { describe, it, expect } from 'vitest';
import { countChangedLines, diffSkills } from './diff.js';
import { PROTECTED_END, PROTECTED_START } from './protected-region.js';

describe('diffSkills', () => {
  it('renders a unified diff with the given labels', () => {
    const out = diffSkills('# T\n\nUse tabs.\nKeep.\n', '# T\n\nUse spaces.\nKeep.\n', { before: 'SKILL.md@v1', after: 'SKILL.md@night-3' });
    expect(out).toBe(
      [
        '===================================================================',
        '--- SKILL.md@v1',
        '+++ SKILL.md@night-3',
        '@@ -1,4 +1,4 @@',
        ' # T',
        ' ',
        '-Use tabs.',
        '+Use spaces.',
        ' Keep.',
        '',
      ].join('\n'),
    );
  });

  it('returns an empty string for identical texts', () => {
    expect(diffSkills('same\n', 'same\n')).toBe('');
  });

  it('uses default labels and honours the context size', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].join('\n') + '\n';
    const after = before.replace('d', 'D');
    const out = diffSkills(before, after, { context: 1 });
    expect(out).toContain('--- before\n+++ after\n@@ -3,3 +3,3 @@\n c\n-d\n+D\n e\n');
  });

  it('shows a missing final newline', () => {
    expect(diffSkills('a\n', 'a')).toContain('\\ No newline at end of file');
  });

  it('can ignore the protected region so only step edits show', () => {
    const before = `# T\n\nRule.\n\n${PROTECTED_START}\nold guidance\n${PROTECTED_END}\n`;
    const after = `# T\n\nRule.\n\n${PROTECTED_START}\nnew guidance\n${PROTECTED_END}\n`;
    expect(diffSkills(before, after)).toContain('+new guidance');
    expect(diffSkills(before, after, { ignoreProtected: true })).toBe('');
    const edited = after.replace('Rule.', 'Better rule.');
    const out = diffSkills(before, edited, { ignoreProtected: true });
    expect(out).toContain('-Rule.\n+Better rule.');
    expect(out).not.toContain('guidance');
  });
});

describe('countChangedLines', () => {
  it('counts added and removed lines', () => {
    expect(countChangedLines('a\nb\nc\n', 'a\nB\nc\nd\n')).toEqual({ added: 2, removed: 1 });
    expect(countChangedLines('x\n', 'x\n')).toEqual({ added: 0, removed: 0 });
  });
});
