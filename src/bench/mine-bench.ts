import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../core/clock.js';
import { createRng, type Rng } from '../core/rng.js';
import { upsertSession } from '../store/sessions-repo.js';
import type { SessionDigest } from '../harvest/types.js';
import { runMine, type MineReport } from '../app/run-mine.js';
import { openDatabase, type Db } from '../store/db.js';

// Recurring requests with a changing payload, as a person's month of sessions looks.
const TEMPLATES = [
  'Write a one-line commit message for this change: {x}',
  'commit message for: {x}',
  'Write a PR description for this branch: {x}',
  'Summarize this paper in five bullet points: {x}',
  'Write unit tests for the {x} function',
  'fix the failing tests in {x}',
  'Explain this error: {x}',
  'Write a SQL query that returns {x}',
  'Translate this README section to German: {x}',
  'Write my standup update from today\'s commits: {x}',
  'Write a regex that matches {x}',
  'Review this diff for bugs: {x}',
  'Add a docstring to {x}',
  'Write a changelog entry for {x}',
  'Rename {x} across the repo',
];
const WORDS = 'cart total rounding parser endpoint config build deploy cache router logger cursor pagination retry backoff auth token session user order invoice payment queue worker schema migration index'.split(' ');

function words(rng: Rng, n: number): string {
  return Array.from({ length: n }, () => WORDS[rng.int(WORDS.length)] ?? 'x').join(' ');
}

/** A one-off request: words from a large vocabulary, so one-offs rarely resemble each other (as in life). */
function oneOff(rng: Rng, n: number): string {
  return Array.from({ length: n }, () => `w${rng.int(50_000).toString(36)}`).join(' ');
}

function generateSession(rng: Rng, i: number): SessionDigest {
  const turns = 1 + rng.int(3);
  const prompts: SessionDigest['prompts'] = [];
  const finalAnswers: string[] = [];
  const feedback: SessionDigest['feedback'] = [];
  for (let t = 0; t < turns; t++) {
    // A third of requests are one-offs: random words, no template.
    const text = rng.next() < 0.33 ? oneOff(rng, 6 + rng.int(10)) : (TEMPLATES[rng.int(TEMPLATES.length)] as string).replace('{x}', words(rng, 3 + rng.int(6)));
    prompts.push({ text });
    finalAnswers.push(`Added ${words(rng, 8)}.`);
    if (rng.next() < 0.2) {
      const correction = 'No. Use imperative mood and no trailing period.';
      feedback.push({ kind: 'correction', text: correction, promptIndex: prompts.length });
      prompts.push({ text: correction });
      finalAnswers.push(`Add ${words(rng, 8)}`);
    }
  }
  return {
    source: i % 3 === 0 ? 'codex' : 'claude-code',
    sessionId: `bench-${i}`,
    project: { cwd: `/home/dev/project-${i % 7}` },
    startedAt: new Date(Date.UTC(2026, 0, 1) + i * 600_000).toISOString(),
    prompts,
    finalAnswers,
    tools: ['Bash'],
    skills: i % 5 === 0 ? ['git-helper'] : [],
    filesTouched: [],
    feedback,
    models: ['claude-opus-4-5'],
    tokens: { input: 1000, output: 200, cachedInput: 0 },
    headless: false,
    ownReplay: i % 97 === 0,
  };
}

function insert(db: Db, from: number, to: number, rng: Rng): void {
  db.transaction(() => {
    for (let i = from; i < to; i++) upsertSession(db, generateSession(rng, i), '2026-03-01T00:00:00Z');
  })();
}

async function timed(db: Db): Promise<{ ms: number; report: MineReport }> {
  const started = performance.now();
  const report = await runMine({ db, clock: fixedClock('2026-03-01T03:00:00Z') });
  return { ms: performance.now() - started, report };
}

/** Mining time for 10,000 generated sessions, then the incremental cost of 100 new ones. */
export async function runMineBench(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'skillopt-mine-bench-'));
  try {
    const db = openDatabase(join(dir, 'bench.db'));
    const rng = createRng(7);
    insert(db, 0, 10_000, rng);
    const full = await timed(db);
    insert(db, 10_000, 10_100, rng);
    const incremental = await timed(db);
    const idle = await timed(db);
    db.close();
    const r = full.report;
    return [
      'mine bench (heuristic judges, no model calls; sessions of 1-3 requests, 1/3 one-offs, 20% corrected)',
      `  10,000 sessions: ${(full.ms / 1000).toFixed(2)} s (${(full.ms / 10_000).toFixed(3)} ms per session)`,
      `    ${r.prompts.clustered} prompts clustered into ${r.families.total} families (${r.families.recurring} recurring); tasks ${r.tasks.new} new; capped ${r.tasks.cappedPerFamily} per family, ${r.tasks.cappedPerRun} per run; skipped ${JSON.stringify(r.sessions.skipped)}`,
      `  +100 new sessions: ${incremental.ms.toFixed(0)} ms (${incremental.report.sessions.read} read, ${incremental.report.tasks.new} new tasks, ${incremental.report.tasks.updated} updated)`,
      `  re-run with nothing new: ${idle.ms.toFixed(0)} ms`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
