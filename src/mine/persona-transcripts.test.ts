import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '../core/clock.js';
import type { Environment } from '../core/paths.js';
import { openDatabase } from '../store/db.js';
import type { Db } from '../store/db.js';
import { harvestSources } from '../harvest/harvester.js';
import type { HarvestReport } from '../harvest/harvester.js';
import { getSession, listSessions } from '../store/sessions-repo.js';
import { ALL_SOURCES } from '../harvest/sources/index.js';

// The persona folder is a fake HOME: ~/.claude/projects/... and ~/.codex/sessions/... as the tools write them.
const PERSONA = join(import.meta.dirname, '../../fixtures/transcripts/personas/programmer');

interface ManifestSession {
  file: string;
  source: 'claude-code' | 'codex';
  sessionId: string;
  project: string;
  lines: number;
  families: string[];
  feedback?: string[];
  ownReplay?: boolean;
  noPrompt?: boolean;
  pastedLog?: boolean;
  brokenLines?: number;
  language?: string;
  skills?: string[];
}
const manifest = JSON.parse(readFileSync(join(PERSONA, 'manifest.json'), 'utf8')) as { sessions: ManifestSession[] };

let db: Db;
let report: HarvestReport;

beforeAll(async () => {
  db = openDatabase(':memory:');
  const environment: Environment = { env: {}, platform: 'linux', homeDir: PERSONA };
  report = await harvestSources({ db, environment, clock: fixedClock('2026-03-10T03:00:00Z') }, { sources: ALL_SOURCES });
});

describe('programmer persona transcripts through the real harvester', () => {
  it('reads every file with no skipped line except the one torn on purpose', () => {
    const broken = manifest.sessions.reduce((n, s) => n + (s.brokenLines ?? 0), 0);
    expect(broken).toBe(1);
    expect(report.totals.filesSeen).toBe(manifest.sessions.length);
    expect(report.totals.filesRead).toBe(manifest.sessions.length);
    const skipped = Object.fromEntries(Object.entries(report.totals.skipped).filter(([, n]) => n > 0));
    expect(skipped).toEqual({ invalid_json: broken });
    expect(report.totals.sessionsNew).toBe(manifest.sessions.length);
  });

  it('spans 12-20 sessions over several days, two projects and both tools', () => {
    const sessions = manifest.sessions;
    expect(sessions.length).toBeGreaterThanOrEqual(12);
    expect(sessions.length).toBeLessThanOrEqual(20);
    expect(new Set(sessions.filter((s) => !s.ownReplay).map((s) => s.project)).size).toBe(2);
    expect(new Set(sessions.map((s) => s.source))).toEqual(new Set(['claude-code', 'codex']));
    const days = new Set(listSessions(db, { includeOwnReplays: true }).map((r) => r.digest.startedAt?.slice(0, 10)));
    expect(days.size).toBeGreaterThanOrEqual(5);
  });

  it('recovers the prompts, projects and feedback the generator wrote', () => {
    for (const expected of manifest.sessions) {
      const record = getSession(db, expected.sessionId);
      expect(record, expected.file).toBeDefined();
      if (!record) continue;
      const d = record.digest;
      expect(d.source).toBe(expected.source);
      expect(d.project?.cwd).toBe(expected.project);
      expect(d.prompts.length, expected.file).toBe(expected.families.length);
      expect(d.finalAnswers.filter((a) => a.trim() !== '').length, expected.file).toBe(expected.families.length);
      expect(d.feedback.map((f) => f.kind).sort(), expected.file).toEqual([...(expected.feedback ?? [])].sort());
      expect(d.ownReplay).toBe(expected.ownReplay === true);
      for (const skill of expected.skills ?? []) expect(d.skills).toContain(skill);
    }
  });

  it('hides our own replay session from the sessions the miner reads', () => {
    const own = manifest.sessions.filter((s) => s.ownReplay);
    expect(own).toHaveLength(1);
    const visible = listSessions(db).map((r) => r.sessionId);
    expect(visible).not.toContain(own[0]?.sessionId);
    expect(visible).toHaveLength(manifest.sessions.length - 1);
  });

  it('keeps the edge cases: a ~100 KB pasted log, a German session, a session with no prompt, a slash command', () => {
    const pasted = manifest.sessions.find((s) => s.pastedLog);
    const pastedPrompt = getSession(db, pasted?.sessionId ?? '')?.digest.prompts[0]?.text ?? '';
    // The digest caps a prompt (MAX_PROMPT_CHARS); the file line itself is about 100 KB.
    expect(pastedPrompt.startsWith("CI is failing on main, here's the log.")).toBe(true);
    const pastedLine = readFileSync(join(PERSONA, pasted?.file ?? ''), 'utf8').split('\n').find((l) => l.includes('CI is failing on main')) ?? '';
    expect(pastedLine.length).toBeGreaterThan(95_000);

    const german = manifest.sessions.find((s) => s.language === 'de');
    expect(getSession(db, german?.sessionId ?? '')?.digest.prompts[0]?.text).toMatch(/Commit-Nachricht/);

    const empty = manifest.sessions.find((s) => s.noPrompt);
    expect(getSession(db, empty?.sessionId ?? '')?.digest.prompts).toEqual([]);

    const review = listSessions(db).flatMap((r) => r.digest.prompts).find((p) => p.command === '/review');
    expect(review?.text).toBe('look at the changes in src/render.rs');
  });
});
