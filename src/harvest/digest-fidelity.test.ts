import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fidelityHashes } from './fidelity-corpus.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/transcripts');
/**
 * The hashes the parsers produced before the harvest speed-ups (commit dfb67d4, issue 15), over every fixture file
 * fed to every source (whole, and resumed from a saved state), every fixture document, and 40 damaged files per
 * source. A change of behaviour on purpose regenerates them (`fidelityHashes(FIXTURES)` written to this file) and
 * says so in its commit; a speed-up never does.
 */
const GOLDEN = JSON.parse(readFileSync(join(import.meta.dirname, 'digest-fidelity.golden.json'), 'utf8')) as Record<string, string>;

describe('harvest fidelity', () => {
  it('every parser makes byte-identical outcomes, redacted digests and saved state of the fixtures and the damaged corpus', () => {
    const now = fidelityHashes(FIXTURES);
    expect(Object.keys(now).length).toBeGreaterThan(700);
    expect(Object.keys(now).sort()).toEqual(Object.keys(GOLDEN).sort());
    const changed = Object.keys(GOLDEN).filter((key) => now[key] !== GOLDEN[key]);
    expect(changed).toEqual([]);
  });
});
