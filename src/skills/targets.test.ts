import { describe, expect, it } from 'vitest';
import { canonicalFromLocation, managedBaseline, renderForLocation } from './targets.js';

describe('rendering one skill document per agent', () => {
  it('writes a SKILL.md as is, and a Copilot instructions file that applies everywhere', () => {
    const doc = `${managedBaseline('learned')}\nAnswer in JSON only.\n`;
    expect(renderForLocation('skill', doc)).toBe(doc);
    const instructions = renderForLocation('instructions', doc);
    expect(instructions).toMatch(/^---\napplyTo: "\*\*"\ndescription: Preferences learned overnight/);
    expect(instructions).not.toMatch(/^name:/m);
    expect(instructions.endsWith('\nAnswer in JSON only.\n')).toBe(true);
    // Read back, the instructions file gives the canonical document again.
    expect(canonicalFromLocation('instructions', instructions, doc)).toBe(doc);
  });

  it('starts the managed skill with frontmatter and an empty body', () => {
    expect(managedBaseline('learned')).toBe('---\nname: learned\ndescription: Preferences learned overnight from your own sessions by skillopt-sleep. Follow them when they apply.\n---\n\n');
  });
});
