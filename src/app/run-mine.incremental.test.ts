import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { createRng } from '../core/rng.js';
import { createDigest } from '../harvest/digest.js';
import type { SessionDigest } from '../harvest/types.js';
import { FamilyIndex, pairwiseScores, type Assignment, type PromptItem } from '../mine/cluster.js';
import { DEFAULT_MINE_CONFIG } from '../mine/config.js';
import { FEATURES_VERSION, readPrompt, vectorize } from '../mine/features.js';
import { openDatabase, type Db } from '../store/db.js';
import { familyIdsWithFeatures, loadFamilyIndexData, loadFamilyVectors, PLAN_WINDOW, refreshFamilyStats, refreshFamilyVectors } from '../store/families-repo.js';
import { upsertSession } from '../store/sessions-repo.js';
import { runMine } from './run-mine.js';

// Mining loads stored families lazily (only those sharing a feature with a new prompt, from stored vectors). These
// tests hold it to the eager way (every family re-read from its members and re-vectorized): same assignments.
const labelled = readFileSync(new URL('../../fixtures/mine/prompts.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { text: string; family: string });
const OPTIONS = { threshold: DEFAULT_MINE_CONFIG.similarity, exemplars: DEFAULT_MINE_CONFIG.exemplars };
const clock = fixedClock('2026-03-01T03:00:00Z');
const PAYLOAD = 'cart total rounding parser endpoint config cache router logger cursor retry auth token invoice queue'.split(' ');

/** Sessions of labelled prompts with changing payload words, plus one-offs, numbered from `from`. */
function sessions(from: number, count: number, seed: number): Array<{ digest: SessionDigest; family: string }> {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const row = labelled[rng.int(labelled.length)] as { text: string; family: string };
    const text = rng.int(3) === 0 ? `w${rng.int(1e6).toString(36)} w${rng.int(1e6).toString(36)} w${rng.int(1e6).toString(36)}` : `${row.text} ${PAYLOAD[rng.int(PAYLOAD.length)]}`;
    const digest: SessionDigest = { ...createDigest('claude-code', `s${i}`), startedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), prompts: [{ text }], finalAnswers: ['ok'] };
    return { digest, family: text.startsWith('w') ? `one-off-${i}` : row.family };
  });
}

function store(db: Db, batch: ReadonlyArray<{ digest: SessionDigest }>): void {
  db.transaction(() => {
    for (const { digest } of batch) upsertSession(db, digest, '2026-03-01T00:00:00Z');
  })();
}

/** The index as mining built it before: every family, exemplars re-read from members and re-vectorized. */
function eagerIndex(db: Db): FamilyIndex {
  const index = new FamilyIndex(OPTIONS);
  for (const { family, sessions: keys, exemplarPrompts } of loadFamilyIndexData(db, OPTIONS.exemplars)) {
    const texts = exemplarPrompts.map((p) => readPrompt(p)).flatMap((r) => (r.ok ? [r.text] : []));
    index.restore({ id: family.id, founderKey: family.founderKey, sessions: keys, memberCount: family.memberCount, exemplarTexts: texts });
  }
  return index;
}

function lazyIndex(db: Db): FamilyIndex {
  refreshFamilyVectors(db, OPTIONS.exemplars, (prompt) => {
    const reading = readPrompt(prompt);
    return reading.ok ? [...vectorize(reading.text).features] : undefined;
  }, FEATURES_VERSION);
  return new FamilyIndex(OPTIONS, {
    familiesWithFeatures: (features) => familyIdsWithFeatures(db, features),
    loadFamilies: (ids) => loadFamilyVectors(db, ids).map((f) => ({ ...f, exemplars: f.exemplars.map((p) => ({ features: new Map(p) })) })),
  });
}

function items(batch: ReadonlyArray<{ digest: SessionDigest }>): PromptItem[] {
  return batch.flatMap(({ digest }) => {
    const reading = readPrompt(digest.prompts[0]?.text);
    return reading.ok ? [{ key: `claude-code:${digest.sessionId}:0`, sessionKey: `claude-code:${digest.sessionId}`, text: reading.text }] : [];
  });
}

describe('incremental mining', () => {
  it('assigns new prompts exactly as an index rebuilt from every stored family would, run after run', async () => {
    const db = openDatabase(':memory:');
    let compared = 0;
    let joined = 0;
    for (let run = 0; run < 4; run++) {
      const batch = sessions(run * 150, 150, 100 + run);
      if (run > 0) {
        // Before mining the batch: both indexes see the same stored families and must place every prompt alike.
        const eager = eagerIndex(db);
        const lazy = lazyIndex(db);
        for (const item of items(batch)) {
          const expected: Assignment = eager.assign(item);
          expect(lazy.assign(item), item.text).toEqual(expected);
          compared++;
          if (!expected.created) joined++;
        }
        expect(lazy.families.size).toBeLessThan(eager.families.size); // it really loaded only some families
      }
      store(db, batch);
      await runMine({ db, clock });
    }
    expect(compared).toBeGreaterThan(400);
    expect(joined).toBeGreaterThan(200); // most prompts joined stored families, so loading mattered
  });

  it('keeps the labelled precision and recall when the same prompts are mined in five runs instead of one', async () => {
    const all = sessions(0, 500, 7);
    const gold = new Map(all.map(({ digest, family }) => [`claude-code:${digest.sessionId}:0`, family]));
    const families = async (chunks: number): Promise<Map<string, string>> => {
      const db = openDatabase(':memory:');
      const size = Math.ceil(all.length / chunks);
      for (let c = 0; c < chunks; c++) {
        store(db, all.slice(c * size, (c + 1) * size));
        await runMine({ db, clock });
      }
      const rows = db.prepare('SELECT family_id, source, session_id, prompt_index FROM family_members').all() as Array<{ family_id: string; source: string; session_id: string; prompt_index: number }>;
      return new Map(rows.map((r) => [`${r.source}:${r.session_id}:${r.prompt_index}`, r.family_id]));
    };
    const once = pairwiseScores(await families(1), gold);
    const incremental = pairwiseScores(await families(5), gold);
    expect(incremental.precision).toBeGreaterThanOrEqual(once.precision - 0.02);
    expect(incremental.recall).toBeGreaterThanOrEqual(once.recall - 0.02);
    expect(once.precision).toBeGreaterThan(0.8);
  });

  it('rebuilds the stored vectors of a family whose members changed outside mining', async () => {
    const db = openDatabase(':memory:');
    store(db, sessions(0, 60, 3));
    await runMine({ db, clock });
    const refresh = () =>
      refreshFamilyVectors(db, OPTIONS.exemplars, (p) => {
        const r = readPrompt(p);
        return r.ok ? [...vectorize(r.text).features] : undefined;
      }, FEATURES_VERSION);
    expect(refresh()).toBe(0); // the run stored the vectors of the families it founded
    // A new version of the features rebuilds every family's vectors once.
    const families = (db.prepare('SELECT COUNT(*) AS n FROM task_families').get() as { n: number }).n;
    expect(refreshFamilyVectors(db, OPTIONS.exemplars, (p) => {
      const r = readPrompt(p);
      return r.ok ? [...vectorize(r.text).features] : undefined;
    }, `${FEATURES_VERSION}-next`)).toBe(families);
    expect(refreshFamilyVectors(db, OPTIONS.exemplars, () => undefined, `${FEATURES_VERSION}-next`)).toBe(0);
    expect(refresh()).toBe(families);
    expect((db.prepare('SELECT COUNT(*) AS n FROM family_exemplars').get() as { n: number }).n).toBeGreaterThan(0);
    db.prepare('DELETE FROM family_members WHERE id IN (SELECT id FROM family_members ORDER BY id LIMIT 5)').run();
    expect(refresh()).toBeGreaterThan(0);
    const stored = db.prepare('SELECT COUNT(*) AS n FROM family_exemplars e LEFT JOIN family_members m ON m.id = e.member_id WHERE m.id IS NULL').get() as { n: number };
    expect(stored.n).toBe(0); // no exemplar of a deleted member survives
  });
});

// Families larger than the planning window (the first PLAN_WINDOW members) are planned from a stored basis while
// their window is unchanged. These tests hold that path to planning from the members every time.
const TEMPLATES = ['Write a one-line commit message for this change: {x}', 'Summarize this paper in five bullet points: {x}'];
const WORDS = 'cart total rounding parser endpoint config build deploy cache router logger cursor pagination retry backoff auth token'.split(' ');

/** One session; with `rare`, a third request recurs now and then (a family that stays inside its planning window). */
function bigFamilySession(rng: ReturnType<typeof createRng>, i: number, corrected: boolean, rare = false): SessionDigest {
  const words = (n: number) => Array.from({ length: n }, () => WORDS[rng.int(WORDS.length)] ?? 'x').join(' ');
  const prompts: SessionDigest['prompts'] = [];
  const finalAnswers: string[] = [];
  const feedback: SessionDigest['feedback'] = [];
  for (let t = 0; t < 1 + rng.int(2); t++) {
    const text = rare && rng.next() < 0.04 ? `Translate this README section to German: ${words(4)}` : rng.next() < 0.25 ? `w${rng.int(1e6).toString(36)} w${rng.int(1e6).toString(36)} w${rng.int(1e6).toString(36)}` : (TEMPLATES[rng.int(TEMPLATES.length)] as string).replace('{x}', words(3 + rng.int(5)));
    prompts.push({ text, at: new Date(Date.UTC(2026, 0, 1) + i * 60_000 + t * 1000).toISOString() });
    finalAnswers.push(`Added ${words(4)}.`);
    if (corrected || rng.next() < 0.2) {
      feedback.push({ kind: 'correction', text: 'No. Use imperative mood and no trailing period.', promptIndex: prompts.length });
      prompts.push({ text: 'No. Use imperative mood and no trailing period.' });
      finalAnswers.push(`Add ${words(4)}`);
    }
  }
  return { ...createDigest(i % 3 === 0 ? 'codex' : 'claude-code', `big-${i}`), startedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), project: { cwd: `/p/${i % 4}` }, prompts, finalAnswers, feedback, skills: i % 5 === 0 ? ['git-helper'] : [] };
}

/** Sessions 0..n of the big-family history, each the same whichever run stores it. */
function bigHistory(n: number, rare = false): SessionDigest[] {
  return Array.from({ length: n }, (_, i) => bigFamilySession(createRng(1000 + i), i, false, rare));
}

function snapshot(db: Db): { tasks: unknown[]; families: unknown[] } {
  return {
    tasks: db.prepare('SELECT id, version, family, prompt, context, judge_json, simulation_json, tags_json, origin, split, status, reviewed, provenance_json, content_hash FROM tasks ORDER BY id').all(),
    families: db.prepare('SELECT id, founder_key, label, first_seen, last_seen, session_count, member_count, projects_json, skills_json, sources_json FROM task_families ORDER BY id').all(),
  };
}

describe('planning large families from their stored basis', () => {
  const history = bigHistory(1300);


  it('writes the same tasks, splits, family facts and reports as planning every family from its members, run after run', async () => {
    const mixed = bigHistory(1300, true);
    const batches = [mixed.slice(0, 1000), mixed.slice(1000, 1100), mixed.slice(1100, 1200), mixed.slice(1200)];
    const cached = openDatabase(':memory:');
    const uncached = openDatabase(':memory:');
    let reused = 0;
    for (const [b, batch] of batches.entries()) {
      for (const db of [cached, uncached]) {
        db.transaction(() => {
          for (const digest of batch) upsertSession(db, digest, '2026-03-01T00:00:00Z');
          // A re-read session with a new correction on an old prompt: its family's basis no longer holds.
          if (b === 2) upsertSession(db, bigFamilySession(createRng(1000 + 5), 5, true, true), '2026-03-02T00:00:00Z');
        })();
      }
      uncached.prepare('DELETE FROM family_plans').run();
      const before = (cached.prepare('SELECT COUNT(*) AS n FROM family_plans').get() as { n: number }).n;
      const withBasis = await runMine({ db: cached, clock }, { config: { maxNewTasksPerRun: 60 } });
      const fromMembers = await runMine({ db: uncached, clock }, { config: { maxNewTasksPerRun: 60 } });
      expect(withBasis).toEqual(fromMembers);
      expect(snapshot(cached)).toEqual(snapshot(uncached));
      if (b > 0) reused += before;
    }
    expect(reused).toBeGreaterThan(0);
    const big = cached.prepare('SELECT COUNT(*) AS n FROM task_families WHERE member_count > ?').get(PLAN_WINDOW) as { n: number };
    expect(big.n).toBe(2); // both template families outgrew the planning window
    const small = cached.prepare('SELECT member_count AS n FROM task_families WHERE label LIKE ?').get('Translate%') as { n: number };
    expect(small.n).toBeGreaterThan(20); // and one grew inside it, run after run
    const tasks = snapshot(cached).tasks as Array<{ split: string }>;
    expect(new Set(tasks.map((t) => t.split))).toEqual(new Set(['train', 'val', 'test']));
    // The facts kept up to date run by run equal those recomputed from every member.
    const facts = snapshot(cached).families;
    for (const { id } of cached.prepare('SELECT id FROM task_families').all() as Array<{ id: string }>) refreshFamilyStats(cached, id, { skills: [] }, '2026-03-01T03:00:00Z');
    expect(snapshot(cached).families).toEqual(facts);
  });

  it('gives the replay set of one run over every session when the first run already filled the planning windows', async () => {
    const once = openDatabase(':memory:');
    store(once, history.map((digest) => ({ digest })));
    await runMine({ db: once, clock }, { config: { maxNewTasksPerRun: 10_000 } });
    const twice = openDatabase(':memory:');
    store(twice, history.slice(0, 1000).map((digest) => ({ digest })));
    await runMine({ db: twice, clock }, { config: { maxNewTasksPerRun: 10_000 } });
    store(twice, history.slice(1000).map((digest) => ({ digest })));
    const second = await runMine({ db: twice, clock }, { config: { maxNewTasksPerRun: 10_000 } });
    expect(second.prompts.clustered).toBeGreaterThan(300);
    expect(snapshot(twice)).toEqual(snapshot(once));
  });
});
