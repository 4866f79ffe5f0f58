import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../core/clock.js';
import { createRng, type Rng } from '../core/rng.js';
import { upsertSession } from '../store/sessions-repo.js';
import type { SessionDigest } from '../harvest/types.js';
import { runMine, type MinePhase, type MineReport } from '../app/run-mine.js';
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

/** Store generated sessions `from`..`to` (exclusive), as a harvest would. */
export function insertSessions(db: Db, from: number, to: number, rng: Rng): void {
  storeSessions(db, Array.from({ length: to - from }, (_, k) => generateSession(rng, from + k)));
}

function storeSessions(db: Db, sessions: readonly SessionDigest[]): void {
  db.transaction(() => {
    for (const digest of sessions) upsertSession(db, digest, '2026-03-01T00:00:00Z');
  })();
}

interface Timed {
  ms: number;
  cpuMs: number;
  report: MineReport;
  /** CPU milliseconds per phase of the run, in order. */
  phases: Array<[MinePhase, number]>;
}

async function timed(db: Db): Promise<Timed> {
  const phases: Array<[MinePhase, number]> = [];
  let current: { phase: MinePhase; cpu: number } | undefined;
  const cpuNow = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const onPhase = (phase: MinePhase) => {
    const cpu = cpuNow();
    if (current) phases.push([current.phase, cpu - current.cpu]);
    current = { phase, cpu };
  };
  const cpuStart = cpuNow();
  const started = performance.now();
  const report = await runMine({ db, clock: fixedClock('2026-03-01T03:00:00Z'), onPhase });
  return { ms: performance.now() - started, cpuMs: cpuNow() - cpuStart, report, phases };
}

/** How many times the +100 step is run (each on its own copy of the 10,000-session database); the median is printed. */
const INCREMENTAL_RUNS = 5;

/**
 * Mining time for 10,000 generated sessions, then the incremental cost of 100 new ones (on copies of the mined
 * database, so each run starts from the same state), then a re-run with nothing new.
 */
export async function runMineBench(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'skillopt-mine-bench-'));
  try {
    const base = join(dir, 'base.db');
    const db = openDatabase(base);
    const rng = createRng(7);
    insertSessions(db, 0, 10_000, rng);
    const full = await timed(db);
    const fresh = Array.from({ length: 100 }, (_, k) => generateSession(rng, 10_000 + k));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const runs: Timed[] = [];
    let idle: Timed | undefined;
    for (let k = 0; k < INCREMENTAL_RUNS; k++) {
      const path = join(dir, `step-${k}.db`);
      copyFileSync(base, path);
      const copy = openDatabase(path);
      storeSessions(copy, fresh);
      runs.push(await timed(copy));
      if (k === INCREMENTAL_RUNS - 1) idle = await timed(copy);
      copy.close();
    }
    const r = full.report;
    const byWall = [...runs].sort((a, b) => a.ms - b.ms);
    const mid = byWall[Math.floor(byWall.length / 2)] as Timed;
    const inc = mid.report;
    const phases = mid.phases.filter(([phase]) => phase !== 'done').map(([phase, ms]) => `${phase} ${ms.toFixed(0)}`).join(', ');
    return [
      'mine bench (heuristic judges, no model calls; sessions of 1-3 requests, 1/3 one-offs, 20% corrected)',
      `  10,000 sessions: ${(full.ms / 1000).toFixed(2)} s wall, ${(full.cpuMs / 1000).toFixed(2)} s CPU (${(full.ms / 10_000).toFixed(3)} ms per session)`,
      `    ${r.prompts.clustered} prompts clustered into ${r.families.total} families (${r.families.recurring} recurring); tasks ${r.tasks.new} new; capped ${r.tasks.cappedPerFamily} per family, ${r.tasks.cappedPerRun} per run; skipped ${JSON.stringify(r.sessions.skipped)}`,
      `  +100 new sessions: ${mid.ms.toFixed(0)} ms wall, ${mid.cpuMs.toFixed(0)} ms CPU (the median of ${INCREMENTAL_RUNS} runs by wall time: ${byWall.map((t) => t.ms.toFixed(0)).join('/')} ms; target <= 300 ms); ${inc.sessions.read} read, ${inc.prompts.clustered} prompts clustered, ${inc.families.created} families founded, ${inc.families.updated} grown; tasks ${inc.tasks.new} new, ${inc.tasks.updated} updated, ${inc.tasks.unchanged} unchanged`,
      `    CPU ms by phase: ${phases}`,
      `  re-run with nothing new: ${(idle?.ms ?? 0).toFixed(0)} ms wall, ${(idle?.cpuMs ?? 0).toFixed(0)} ms CPU`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
