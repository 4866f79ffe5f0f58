import { describe, it, expect } from 'vitest';
import { addDigestToDrift, driftBySource, emptyDrift, renderDriftSection } from './drift.js';
import { createDigest } from './digest.js';
import type { SessionDigest } from './types.js';

function digest(source: SessionDigest['source'], extra: Partial<SessionDigest>): SessionDigest {
  return { ...createDigest(source, 's'), ...extra };
}

describe('format drift', () => {
  it('counts versions per session, unknown records per type and empty sessions per reason', () => {
    const drift = emptyDrift();
    addDigestToDrift(drift, digest('codex', { prompts: [{ text: 'a' }], agentVersions: ['0.104.0', '0.171.0'], unknownRecords: { future: 2 } }));
    addDigestToDrift(drift, digest('codex', { agentVersions: ['0.171.0'], emptyReason: 'answers_without_prompt', unknownRecords: { future: 1, other: 1 } }));
    addDigestToDrift(drift, digest('codex', {}));
    expect(drift).toEqual({
      versions: { '0.104.0': 1, '0.171.0': 2 },
      unknownRecords: { future: 3, other: 1 },
      emptySessions: { answers_without_prompt: 1, no_prompt: 1 },
    });
  });

  it('lists every source, and warns only when a format looks moved', () => {
    const rows = driftBySource(
      [
        { source: 'claude-code', digest: digest('claude-code', { prompts: [{ text: 'a' }], agentVersions: ['2.1.332'] }) },
        { source: 'codex', digest: digest('codex', { agentVersions: ['0.169.0'], emptyReason: 'answers_without_prompt' }) },
      ],
      ['claude-code', 'codex', 'gemini-cli'],
    );
    expect(rows.map((r) => [r.source, r.sessions])).toEqual([['claude-code', 1], ['codex', 1], ['gemini-cli', 0]]);
    const text = renderDriftSection(rows);
    expect(text).toContain('claude-code  1 session(s)  versions 2.1.332×1  unknown records 0  no prompt 0');
    expect(text).toContain('codex        1 session(s)  versions 0.169.0×1  unknown records 0  no prompt 1 (answers_without_prompt×1)');
    expect(text).toMatch(/warning: codex wrote records .* answers without a prompt/);
    expect(renderDriftSection(rows.slice(0, 1))).not.toContain('warning');
  });
});
