import { describe, expect, it } from 'vitest';
import type { StoredTask } from '../store/tasks-repo.js';
import { renderTask } from './review-render.js';

describe('renderTask (tasks show)', () => {
  it('lists for each mined check the accepted answers it passes and the corrected ones it fails, and what was dropped', () => {
    const check = { op: 'regex' as const, arg: '/\\(#512\\)[\\s"\'\\x60*_]*$/' };
    const task: StoredTask = {
      id: 'fam-1-abc',
      prompt: 'write a changelog entry for PR #512: CSV export',
      judge: { kind: 'rule', checks: [check] },
      family: 'fam-1',
      version: 1,
      status: 'active',
      reviewed: false,
      contentHash: 'h',
      createdAt: '2026-03-01T00:00:00Z',
      updatedAt: '2026-03-01T00:00:00Z',
      provenance: {
        sessionIds: ['s1'],
        evidence: [],
        miner: 'heuristic',
        judgeStatus: 'grounded',
        grounding: [{ check, describe: "ends with (#N), N this task's pr number", source: 'the PR reference goes last', passes: [{ session: 's1', answer: '- Add CSV export (#512)' }], fails: [{ session: 's1', answer: '- Added CSV export.' }] }],
        dropped: [{ describe: 'contains "added"', source: 'request', reason: 'fails an answer the person accepted (s1: "- Add CSV export (#512)")' }],
      },
    };
    const text = renderTask(task);
    expect(text).toContain("ends with (#N), N this task's pr number; from: the PR reference goes last");
    expect(text).toContain('passes accepted [s1]: - Add CSV export (#512)');
    expect(text).toContain('fails corrected [s1]: - Added CSV export.');
    expect(text).toContain('judge grounded');
    expect(text).toContain('dropped: contains "added": fails an answer the person accepted');
  });
});
