// The programmer persona's week for scripts/make-persona-transcripts.mjs: her projects, the text her tools
// print, and her 18 sessions in order. Kept apart from the record writers so each file does one thing.

export const HOME = '/home/dana';

export const PROJECTS = {
  ledger: { cwd: `${HOME}/src/ledger-api`, repo: 'https://github.com/dana-k/ledger-api.git' },
  tilemap: { cwd: `${HOME}/src/tilemap-rs`, repo: 'https://github.com/dana-k/tilemap-rs.git' },
};

const LEDGER_AGENTS = 'Use pnpm. Run `pnpm test` before saying anything passes. Commit subjects follow the team style.';
const TILEMAP_AGENTS = 'Rust 1.84. Run `cargo test` and `cargo clippy -- -D warnings` before handing work back.';

const STAGED_LEDGER = `diff --git a/src/export/csv.ts b/src/export/csv.ts
new file mode 100644
index 0000000..4b1c2e9
--- /dev/null
+++ b/src/export/csv.ts
@@ -0,0 +1,24 @@
+import type { Invoice } from '../model/invoice.js';
+
+const HEADER = ['number', 'customer', 'issued_at', 'total', 'currency'];
+
+export function invoicesToCsv(invoices: readonly Invoice[]): string {
+  const rows = invoices.map((i) => [i.number, quote(i.customer), i.issuedAt, i.total.toFixed(2), i.currency]);
+  return [HEADER, ...rows].map((r) => r.join(',')).join('\\n');
+}
diff --git a/src/routes/invoices.ts b/src/routes/invoices.ts
index 9d2a7f1..c01e3b8 100644
--- a/src/routes/invoices.ts
+++ b/src/routes/invoices.ts
@@ -41,6 +41,12 @@ export function registerInvoiceRoutes(app: App): void {
+  app.get('/invoices/export.csv', async (req, res) => {
+    const invoices = await app.db.invoices.list({ from: req.query.from, to: req.query.to });
+    res.type('text/csv').send(invoicesToCsv(invoices));
+  });`;

const STAGED_TILEMAP = `diff --git a/src/tiles/bounds.rs b/src/tiles/bounds.rs
index 3f0a9c2..7be41d0 100644
--- a/src/tiles/bounds.rs
+++ b/src/tiles/bounds.rs
@@ -18,7 +18,7 @@ impl Bounds {
     pub fn contains(&self, x: u32, y: u32) -> bool {
-        x <= self.width && y <= self.height
+        x < self.width && y < self.height
     }`;

const FAILING_JEST = `> ledger-api@0.14.0 test /home/dana/src/ledger-api
> vitest run

 ✓ test/model/invoice.test.ts (18 tests) 41ms
 ✓ test/routes/customers.test.ts (22 tests) 133ms
 ❯ test/export/csv.test.ts (6 tests | 2 failed) 19ms
   × invoicesToCsv > quotes customer names with commas
     → expected 'ACME, Inc.' to be '"ACME, Inc."'
   × invoicesToCsv > formats totals with two decimals in the invoice currency
     → expected '1200' to be '1200.00'
 ✓ test/routes/invoices.test.ts (31 tests) 211ms

 Test Files  1 failed | 3 passed (4)
      Tests  2 failed | 75 passed (77)
   Duration  1.84s
 ELIFECYCLE  Test failed. See above for more details.`;

const PASSING_JEST = `> ledger-api@0.14.1 test /home/dana/src/ledger-api
> vitest run

 ✓ test/model/invoice.test.ts (18 tests) 39ms
 ✓ test/routes/customers.test.ts (22 tests) 127ms
 ✓ test/export/csv.test.ts (8 tests) 17ms
 ✓ test/routes/invoices.test.ts (33 tests) 204ms
 ✓ test/migrations/0042-invoice-currency.test.ts (4 tests) 388ms

 Test Files  5 passed (5)
      Tests  85 passed (85)
   Duration  2.03s`;

const CARGO_FAIL = `   Compiling tilemap v0.6.2 (/home/dana/src/tilemap-rs)
    Finished \`test\` profile [unoptimized + debuginfo] target(s) in 4.71s
     Running unittests src/lib.rs (target/debug/deps/tilemap-5c1d0e7a9b2f4c11)

running 27 tests
test tiles::bounds::tests::contains_edge ... FAILED
test tiles::cache::tests::evicts_oldest ... ok
test render::tests::renders_empty_map ... ok
test tiles::cache::tests::reload_after_invalidate ... FAILED

failures:

---- tiles::bounds::tests::contains_edge stdout ----
thread 'tiles::bounds::tests::contains_edge' panicked at src/tiles/bounds.rs:44:9:
assertion failed: !b.contains(16, 0)

---- tiles::cache::tests::reload_after_invalidate stdout ----
thread 'tiles::cache::tests::reload_after_invalidate' panicked at src/tiles/cache.rs:112:38:
called \`Option::unwrap()\` on a \`None\` value

test result: FAILED. 25 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.03s

error: test failed, to rerun pass \`--lib\``;

/** About 100 KB of a GitHub Actions log, pasted into a prompt. */
function ciLog(rand, pick) {
  const out = [];
  let t = Date.parse('2026-03-05T08:51:02.1180000Z');
  const stamp = () => {
    t += 37 + Math.floor(rand() * 90);
    return `${new Date(t).toISOString().replace('Z', '')}${pick('0123456789', 4)}Z`;
  };
  out.push(`${stamp()} ##[group]Run pnpm install --frozen-lockfile`);
  for (let i = 0; i < 160; i++) out.push(`${stamp()} Progress: resolved ${i * 7 + 11}, reused ${i * 7 + 3}, downloaded ${i % 9}, added ${i * 6}`);
  out.push(`${stamp()} ##[endgroup]`, `${stamp()} ##[group]Run pnpm test -- --reporter=verbose`);
  const suites = ['model/invoice', 'routes/customers', 'routes/invoices', 'export/csv', 'auth/session', 'db/pool', 'jobs/reminders'];
  for (let i = 0; i < 820; i++) {
    const suite = suites[i % suites.length];
    out.push(`${stamp()}  ✓ test/${suite}.test.ts > ${suite.split('/')[1]} case ${i} handles input variant ${pick('abcdefghijklmnopqrstuvwxyz', 6)} ${2 + Math.floor(rand() * 40)}ms`);
  }
  out.push(
    `${stamp()}  × test/migrations/0042-invoice-currency.test.ts > migrates invoices to per-row currency 812ms`,
    `${stamp()}    → error: column "currency" of relation "invoices" already exists`,
    `${stamp()}      at Parser.parseErrorMessage (node_modules/.pnpm/pg-protocol@1.7.0/node_modules/pg-protocol/dist/parser.js:283:98)`,
    `${stamp()}      at runMigration (src/db/migrate.ts:58:11)`,
    `${stamp()}      at test/migrations/0042-invoice-currency.test.ts:21:5`,
  );
  for (let i = 0; i < 200; i++) out.push(`${stamp()} [db] LOG:  statement: SELECT id, number, total FROM invoices WHERE issued_at >= $1 ORDER BY id LIMIT ${i + 50}`);
  out.push(`${stamp()}  Test Files  1 failed | 41 passed (42)`, `${stamp()}       Tests  1 failed | 1187 passed (1188)`, `${stamp()} ##[error]Process completed with exit code 1.`);
  return out.join('\n');
}

/** Calls `add(kind, spec, meta)` once per session, in order; `rand`/`pick` are the generator's seeded sources. */
export function describeProgrammerWeek(add, { rand, pick }) {
  const put = (kind, spec, meta) => add(kind, kind === 'codex' ? { ...spec, agentsMd: spec.cwd.endsWith('ledger-api') ? LEDGER_AGENTS : TILEMAP_AGENTS } : spec, meta);

  // 1. Commit message; corrected to the imperative mood without a trailing period; praised.
  put('claude', { start: '2026-03-02T08:12:40.000Z', cwd: PROJECTS.ledger.cwd, branch: 'feat/invoice-export', turns: [
    { user: 'write a commit message for the staged changes', steps: [{ tool: 'Bash', input: { command: 'git diff --staged', description: 'Show staged changes' }, result: STAGED_LEDGER }], answer: 'Added CSV export for invoices.\n\nThe new /invoices/export.csv route streams invoices in the requested date range as CSV.' },
    { user: 'no, use the imperative mood and no trailing period', answer: 'Add CSV export for invoices\n\nThe new /invoices/export.csv route streams invoices in the requested date range as CSV.' },
    { user: 'perfect, thanks', answer: 'You\u2019re welcome! Want me to commit it?' },
  ] }, { families: ['commit-message', 'commit-message', 'ack'], feedback: ['correction', 'praise'] });

  // 2. Test status; answered without running the tests; corrected twice.
  put('claude', { start: '2026-03-02T13:40:05.000Z', cwd: PROJECTS.ledger.cwd, branch: 'feat/invoice-export', turns: [
    { user: 'are the tests passing on this branch?', answer: 'They should be: the last commits only added the CSV exporter and its route, and the existing suites do not touch that code.' },
    { user: 'you forgot to run the tests', steps: [{ tool: 'Bash', input: { command: 'pnpm test', description: 'Run the test suite' }, result: FAILING_JEST, isError: true, seconds: 6 }], answer: 'I ran `pnpm test`: 2 of 77 tests fail, both in test/export/csv.test.ts. invoicesToCsv does not quote customer names that contain commas, and it prints totals without two decimals.' },
    { user: 'no, use a bullet list for the failures', answer: '`pnpm test`: 2 failed, 75 passed.\n\n- test/export/csv.test.ts > quotes customer names with commas: got `ACME, Inc.`, expected `"ACME, Inc."`\n- test/export/csv.test.ts > formats totals with two decimals: got `1200`, expected `1200.00`' },
  ] }, { families: ['test-status', 'test-status', 'test-status'], feedback: ['correction', 'correction'], toolErrors: 1 });

  // 3. PR metadata as JSON; corrected to JSON only.
  put('codex', { start: '2026-03-03T09:05:11.000Z', cwd: PROJECTS.ledger.cwd, branch: 'feat/invoice-export', repo: PROJECTS.ledger.repo, turns: [
    { user: 'give me the PR title and description for this branch as JSON', steps: [{ cmd: 'git log --oneline main..HEAD', output: 'c01e3b8 Add CSV export for invoices\n7aa91d0 Quote customer names in CSV export\n51f02c4 Format invoice totals with two decimals', think: 'Reading the branch history' }], answer: 'Here is the PR metadata for `feat/invoice-export`:\n\n```json\n{\n  "title": "Add CSV export for invoices",\n  "body": "Adds GET /invoices/export.csv with date filters. Customer names are quoted and totals use two decimals.",\n  "labels": ["feature", "export"]\n}\n```\n\nLet me know if you want a longer description.' },
    { user: 'no, only JSON please, no prose around it', answer: '{"title":"Add CSV export for invoices","body":"Adds GET /invoices/export.csv with date filters. Customer names are quoted and totals use two decimals.","labels":["feature","export"]}' },
  ] }, { families: ['pr-metadata', 'pr-metadata'], feedback: ['correction'] });

  // 4. Code review through a custom slash command; corrected to a bullet list; praised.
  put('claude', { start: '2026-03-03T15:20:44.000Z', cwd: PROJECTS.tilemap.cwd, branch: 'fix/render-clipping', turns: [
    { command: '/review', user: 'look at the changes in src/render.rs', commandBody: 'Review the pending changes the user names. Point out bugs, risky code and missing tests. Be specific about file and line.', steps: [{ tool: 'Bash', input: { command: 'git diff main -- src/render.rs', description: 'Diff render.rs against main' }, result: 'diff --git a/src/render.rs b/src/render.rs\n@@ -71,9 +71,14 @@ pub fn render(map: &TileMap, view: Rect) -> Image {\n-    for y in view.top..=view.bottom {\n+    for y in view.top..view.bottom {\n+        let row = map.row(y).unwrap();\n' }], answer: 'The loop bound change in render() fixes the off-by-one at the bottom edge, which looks right. The new map.row(y).unwrap() will panic when the view extends past the map; consider returning early or clamping the view first. There is no test for a view larger than the map, so I would add one.' },
    { user: 'no, use a bullet list, one finding per line', answer: '- src/render.rs:71 the exclusive bound fixes the bottom-edge off-by-one (good)\n- src/render.rs:73 map.row(y).unwrap() panics when the view is larger than the map; clamp the view or skip missing rows\n- tests: add a case for a view larger than the map' },
    { user: "great, that's exactly it, thanks", answer: 'Glad it helps. Want me to add the clamping and the test?' },
  ] }, { families: ['code-review', 'code-review', 'ack'], feedback: ['correction', 'praise'] });

  // 5. Commit message (paraphrase, other project); a skill is invoked; corrected again.
  put('claude', { start: '2026-03-04T08:30:02.000Z', cwd: PROJECTS.tilemap.cwd, branch: 'fix/bounds', turns: [
    { user: 'can you draft a commit msg for what I just staged?', steps: [{ tool: 'Skill', input: { skill: 'commit-conventions' }, result: 'Launching skill: commit-conventions' }, { tool: 'Bash', input: { command: 'git diff --cached', description: 'Show staged diff' }, result: STAGED_TILEMAP }], answer: 'Fixed off-by-one in the tile bounds check.' },
    { user: 'no, imperative mood please. Fix, not Fixed. And drop the period', answer: 'Fix off-by-one in the tile bounds check' },
  ] }, { families: ['commit-message', 'commit-message'], feedback: ['correction'], skills: ['commit-conventions'] });

  // 6. Test status in Codex; corrected to a bullet list.
  put('codex', { start: '2026-03-04T12:10:30.000Z', cwd: PROJECTS.tilemap.cwd, branch: 'fix/bounds', repo: PROJECTS.tilemap.repo, turns: [
    { user: 'run cargo test and tell me what fails', steps: [{ cmd: 'cargo test', output: CARGO_FAIL, exitCode: 101, seconds: 6.3, think: 'Running the test suite' }], answer: 'Two of 27 tests fail. tiles::bounds::tests::contains_edge still expects the old inclusive bound, and tiles::cache::tests::reload_after_invalidate panics on an unwrap of a missing tile after invalidation.' },
    { user: 'use a bullet list', answer: '`cargo test`: 25 passed, 2 failed.\n\n- tiles::bounds::tests::contains_edge: asserts the old inclusive bound (src/tiles/bounds.rs:44)\n- tiles::cache::tests::reload_after_invalidate: unwrap on None after invalidation (src/tiles/cache.rs:112)' },
  ] }, { families: ['test-status', 'test-status'], feedback: [], unflaggedInstructions: ['use a bullet list'], toolErrors: 1 });

  // 7. A pasted CI log of about 100 KB; answered, then abandoned.
  put('claude', { start: '2026-03-05T09:00:12.000Z', cwd: PROJECTS.ledger.cwd, branch: 'main', turns: [
    { user: `CI is failing on main, here's the log. what's wrong?\n\n${ciLog(rand, pick)}`, answer: 'One test fails: test/migrations/0042-invoice-currency.test.ts. Migration 0042 adds invoices.currency, but the column already exists in the CI database because migration 0039 added it too. Make 0042 use ADD COLUMN IF NOT EXISTS, or drop the duplicate from 0039.', think: 9 },
  ] }, { families: ['ci-log'], pastedLog: true });

  // 8. PR metadata (paraphrase); fenced JSON corrected; praised.
  put('claude', { start: '2026-03-05T10:45:50.000Z', cwd: PROJECTS.ledger.cwd, branch: 'fix/migration-0042', turns: [
    { user: 'PR metadata for this branch as JSON please: title, body, labels', steps: [{ tool: 'Bash', input: { command: 'git log --oneline main..HEAD', description: 'Commits on this branch' }, result: 'e4d7a10 Make migration 0042 idempotent' }], answer: '```json\n{\n  "title": "Make migration 0042 idempotent",\n  "body": "Use ADD COLUMN IF NOT EXISTS so CI databases that already have invoices.currency migrate cleanly.",\n  "labels": ["bug", "database"]\n}\n```' },
    { user: 'I said only JSON, no markdown fences', answer: '{"title":"Make migration 0042 idempotent","body":"Use ADD COLUMN IF NOT EXISTS so CI databases that already have invoices.currency migrate cleanly.","labels":["bug","database"]}' },
    { user: 'thanks!', answer: 'Any time.' },
  ] }, { families: ['pr-metadata', 'pr-metadata', 'ack'], feedback: ['correction', 'praise'] });

  // 9. Commit message in German (Codex); corrected; praised.
  put('codex', { start: '2026-03-05T16:30:03.000Z', cwd: PROJECTS.ledger.cwd, branch: 'fix/migration-0042', repo: PROJECTS.ledger.repo, turns: [
    { user: 'Schreib mir bitte eine Commit-Nachricht für die gestagten Änderungen', steps: [{ cmd: 'git diff --staged --stat', output: ' src/db/migrations/0042-invoice-currency.sql | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)', think: 'Checking staged changes' }], answer: 'Migration 0042 idempotent gemacht.' },
    { user: 'Nein, bitte im Imperativ und ohne Punkt am Ende', answer: 'Mache Migration 0042 idempotent' },
    { user: 'Danke, passt so', answer: 'Gern!' },
  ] }, { families: ['commit-message', 'commit-message', 'ack'], feedback: ['correction', 'praise'], language: 'de' });

  // 10. Our own replay (claude -p in a skillopt-sleep workspace): must never be mined.
  put('claude', { start: '2026-03-06T02:12:00.000Z', cwd: '/tmp/skillopt-sleep-replay-7c1e9a', branch: '', entrypoint: 'sdk-cli', turns: [
    { user: 'Write a commit message for the staged changes.', wait: 0.2, answer: 'Add CSV export for invoices' },
  ] }, { families: ['own-replay'], ownReplay: true });

  // 11. Code review (paraphrase); the correction was typed while the agent was still busy (queued).
  put('claude', { start: '2026-03-06T08:50:31.000Z', cwd: PROJECTS.tilemap.cwd, branch: 'feat/tile-cache', turns: [
    { user: 'review my diff against main before I open the PR', steps: [{ tool: 'Bash', input: { command: 'git diff main --stat && git diff main -- src/tiles/cache.rs', description: 'Diff against main' }, result: ' src/tiles/cache.rs | 48 ++++++++++++++++++++-----\n 1 file changed, 39 insertions(+), 9 deletions(-)\n@@ -88,6 +88,18 @@ impl TileCache {\n+    pub fn invalidate(&mut self, key: TileKey) {\n+        self.entries.remove(&key);\n+    }\n' }], answer: 'Overall the cache change reads well. invalidate() removes the entry but leaves its key in the LRU order list, so a later eviction can pop a key that is no longer present and unwrap on None, which matches the failing reload test. I would also document the eviction policy on TileCache.' },
    { user: 'bullet list please', queued: true, wait: 3, answer: '- src/tiles/cache.rs:90 invalidate() leaves the key in the LRU list; eviction later unwraps None\n- src/tiles/cache.rs: document the eviction policy on TileCache\n- tests: reload_after_invalidate covers the bug once fixed' },
  ] }, { families: ['code-review', 'code-review'], feedback: [], unflaggedInstructions: ['bullet list please'] });

  // 12. A one-off refactor (edits files); not a recurring task.
  put('claude', { start: '2026-03-06T14:05:09.000Z', cwd: PROJECTS.ledger.cwd, branch: 'chore/account-id', turns: [
    { user: 'rename userId to accountId everywhere in src/billing', steps: [
      { tool: 'Bash', input: { command: 'grep -rn "userId" src/billing', description: 'Find userId in src/billing' }, result: 'src/billing/charge.ts:12:  userId: string;\nsrc/billing/charge.ts:31:  return db.charges.byUser(charge.userId);\nsrc/billing/refund.ts:8:export function refund(userId: string, amount: number) {' },
      { tool: 'Edit', input: { file_path: `${PROJECTS.ledger.cwd}/src/billing/charge.ts`, old_string: 'userId', new_string: 'accountId', replace_all: true }, result: `The file ${PROJECTS.ledger.cwd}/src/billing/charge.ts has been updated. All occurrences of 'userId' were successfully replaced with 'accountId'.` },
      { tool: 'Edit', input: { file_path: `${PROJECTS.ledger.cwd}/src/billing/refund.ts`, old_string: 'userId', new_string: 'accountId', replace_all: true }, result: `The file ${PROJECTS.ledger.cwd}/src/billing/refund.ts has been updated. All occurrences of 'userId' were successfully replaced with 'accountId'.` },
  ], answer: 'Renamed userId to accountId in src/billing/charge.ts and src/billing/refund.ts (3 occurrences). db.charges.byUser keeps its name; rename it too?' },
  ] }, { families: ['one-off'] });

  // 13. Commit message in Codex with a re-ask after the first answer.
  put('codex', { start: '2026-03-07T10:20:40.000Z', cwd: PROJECTS.tilemap.cwd, branch: 'feat/tile-cache', repo: PROJECTS.tilemap.repo, turns: [
    { user: 'write the commit message for the staged diff', steps: [{ cmd: 'git diff --staged', output: 'diff --git a/src/tiles/cache.rs b/src/tiles/cache.rs\n@@ -90,6 +90,7 @@ impl TileCache {\n     pub fn invalidate(&mut self, key: TileKey) {\n         self.entries.remove(&key);\n+        self.order.retain(|k| *k != key);\n     }', think: 'Reading the staged diff' }], answer: 'Refactored the tile cache so that invalidate() also removes the key from the LRU order list, which fixes the panic in reload_after_invalidate.' },
    { user: 'write the commit message for the staged diff, shorter please', answer: 'Remove invalidated keys from the LRU order' },
  ] }, { families: ['commit-message', 'commit-message'], feedback: ['re-ask'] });

  // 14. Test status (paraphrase); the agent runs them this time; praised.
  put('claude', { start: '2026-03-08T09:30:15.000Z', cwd: PROJECTS.ledger.cwd, branch: 'fix/migration-0042', turns: [
    { user: 'check whether the test suite is green before I push', steps: [{ tool: 'Bash', input: { command: 'pnpm test', description: 'Run the test suite' }, result: PASSING_JEST, seconds: 5 }], answer: '`pnpm test`: all 85 tests in 5 files pass.\n\n- test/migrations/0042-invoice-currency.test.ts now passes (4 tests)' },
    { user: 'nice', answer: 'Good to push.' },
  ] }, { families: ['test-status', 'ack'], feedback: ['praise'] });

  // 15. Only a housekeeping slash command: no user prompt at all.
  put('claude-command-only', { start: '2026-03-08T09:42:00.000Z', cwd: PROJECTS.ledger.cwd, branch: 'fix/migration-0042' }, { families: [], noPrompt: true });

  // 16. PR metadata (paraphrase) in Codex; answered as bare JSON; abandoned.
  put('codex', { start: '2026-03-09T08:15:27.000Z', cwd: PROJECTS.ledger.cwd, branch: 'feat/reminder-emails', repo: PROJECTS.ledger.repo, turns: [
    { user: 'generate the pull request title + body for this branch, JSON output', steps: [{ cmd: 'git log --oneline main..HEAD', output: '9f1c2aa Send reminder emails for overdue invoices\n0b7d3e1 Add reminder schedule to settings', think: 'Reading the branch history' }], answer: '{"title":"Send reminder emails for overdue invoices","body":"Adds a daily job that emails customers about invoices overdue by 7, 14 and 30 days, with the schedule in settings.","labels":["feature","email"]}' },
  ] }, { families: ['pr-metadata'] });

  // 17. Code review (paraphrase) with one deliberately torn line in the file; praised.
  put('claude', { start: '2026-03-09T13:00:58.000Z', cwd: PROJECTS.tilemap.cwd, branch: 'feat/tile-cache', turns: [
    { user: 'can you do a code review of src/tiles/cache.rs? focus on error handling', broken: true, blocks: true, steps: [{ tool: 'Read', input: { file_path: `${PROJECTS.tilemap.cwd}/src/tiles/cache.rs` }, result: 'pub struct TileCache {\n    entries: HashMap<TileKey, Tile>,\n    order: VecDeque<TileKey>,\n}\n\nimpl TileCache {\n    pub fn get(&mut self, key: TileKey) -> &Tile {\n        self.entries.get(&key).unwrap()\n    }\n}' }], answer: '- src/tiles/cache.rs:8 get() unwraps a missing entry; return Option<&Tile> or load on miss\n- src/tiles/cache.rs: load errors from disk are swallowed; propagate io::Error to the caller\n- no test covers a missing key' },
    { user: 'thanks, good catch on the unwrap', answer: 'Happy to help. Want me to change get() to return an Option?' },
  ] }, { families: ['code-review', 'ack'], feedback: ['praise'], brokenLines: 1 });

  // 18. A one-off question in Codex.
  put('codex', { start: '2026-03-09T15:45:06.000Z', cwd: PROJECTS.tilemap.cwd, branch: 'main', repo: PROJECTS.tilemap.repo, turns: [
    { user: 'explain what this regex does: ^(?:[a-z0-9-]+\\.)+[a-z]{2,}$', answer: 'It matches a lower-case domain name: one or more labels of letters, digits or hyphens, each followed by a dot, then a top-level domain of at least two letters, e.g. tiles.example.org.' },
  ] }, { families: ['one-off'] });

}
