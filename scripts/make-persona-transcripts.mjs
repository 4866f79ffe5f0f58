#!/usr/bin/env node
// Writes fixtures/transcripts/personas/programmer/: a fake HOME holding the Claude Code and Codex session files
// of one persona (Dana, a programmer working on two projects over eight days). The files follow the record
// shapes of real Claude Code 2.1.x and Codex 0.11x transcripts (reference: transcript-formats.md sections 1-2)
// so the real harvester reads them. Deterministic: ids come from a seeded generator, so rerunning the script
// reproduces the same bytes. Usage: node scripts/make-persona-transcripts.mjs [outDir]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = process.argv[2] ?? join(here, '..', 'fixtures', 'transcripts', 'personas', 'programmer');
const HOME = '/home/dana';
const TZ_OFFSET_HOURS = 1; // Dana is in Berlin (CET, before the March DST switch): Codex names files in local time.

// ---------- deterministic ids ----------
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function seedOf(text) {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0), 16777619);
  return h >>> 0;
}
let rand = mulberry32(seedOf('programmer'));
const HEX = '0123456789abcdef';
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const pick = (alphabet, n) => Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
function uuid4() {
  const h = pick(HEX, 32).split('');
  h[12] = '4';
  h[16] = '89ab'[Math.floor(rand() * 4)];
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
function uuid7(ms) {
  const t = ms.toString(16).padStart(12, '0');
  const r = pick(HEX, 20).split('');
  r[0] = '7';
  r[4] = '89ab'[Math.floor(rand() * 4)];
  const s = t + r.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
const msgId = () => `msg_01${pick(B62, 22)}`;
const reqId = () => `req_011C${pick(B62, 18)}`;
const toolId = () => `toolu_01${pick(B62, 22)}`;
const callId = () => `call_${pick(B62, 24)}`;

// ---------- time ----------
class Ticker {
  constructor(iso) {
    this.ms = Date.parse(iso);
  }
  /** Advance by seconds (fractional) and return the ISO instant. */
  next(seconds = 0.4) {
    this.ms += Math.round(seconds * 1000 + rand() * 300);
    return new Date(this.ms).toISOString();
  }
  now() {
    return new Date(this.ms).toISOString();
  }
}

// ---------- projects ----------
const PROJECTS = {
  ledger: { cwd: `${HOME}/src/ledger-api`, repo: 'https://github.com/dana-k/ledger-api.git' },
  tilemap: { cwd: `${HOME}/src/tilemap-rs`, repo: 'https://github.com/dana-k/tilemap-rs.git' },
};
const slugOf = (cwd) => cwd.replace(/[/.\\:]/g, '-');

// ---------- Claude Code ----------
const CLAUDE_VERSION = '2.1.142';
const CLAUDE_MODEL = 'claude-sonnet-4-5-20250929';

function claudeSession(spec) {
  const sessionId = uuid4();
  const clock = new Ticker(spec.start);
  const cwd = spec.cwd;
  const lines = [];
  const envelope = (extra) => ({
    userType: 'external',
    entrypoint: spec.entrypoint ?? 'cli',
    cwd,
    sessionId,
    version: CLAUDE_VERSION,
    gitBranch: spec.branch,
    ...extra,
  });
  let parent = null;
  const push = (record) => {
    lines.push(JSON.stringify(record));
    if (record.uuid) parent = record.uuid;
  };
  const firstMessageId = uuid4();
  lines.push(JSON.stringify({ type: 'file-history-snapshot', messageId: firstMessageId, snapshot: { messageId: firstMessageId, trackedFileBackups: {}, timestamp: clock.now() }, isSnapshotUpdate: false }));
  let usageIn = 18000 + Math.floor(rand() * 4000);

  for (const turn of spec.turns) {
    const promptId = uuid4();
    const at = clock.next(turn.wait ?? 40);
    if (turn.queued) {
      lines.push(JSON.stringify({ type: 'queue-operation', operation: 'enqueue', timestamp: at, sessionId, content: turn.user }));
      lines.push(JSON.stringify({ type: 'queue-operation', operation: 'dequeue', timestamp: clock.next(0.01), sessionId }));
    }
    if (turn.command) {
      // A slash command: the harness writes the command tags, then the expanded body as isMeta.
      const tags = `<command-message>${turn.command.slice(1)}</command-message>\n<command-name>${turn.command}</command-name>\n<command-args>${turn.user}</command-args>`;
      const uuid = uuid4();
      push({ parentUuid: parent, isSidechain: false, promptId, type: 'user', message: { role: 'user', content: tags }, uuid, timestamp: clock.next(0.05), permissionMode: 'default', ...envelope({}) });
      if (turn.commandBody) {
        push({ parentUuid: parent, isSidechain: false, promptId, type: 'user', message: { role: 'user', content: [{ type: 'text', text: turn.commandBody }] }, isMeta: true, uuid: uuid4(), timestamp: clock.next(0.01), ...envelope({}) });
      }
      if (turn.localOutput !== undefined) {
        push({ parentUuid: parent, isSidechain: false, type: 'system', subtype: 'local_command', content: `<local-command-stdout>${turn.localOutput}</local-command-stdout>`, level: 'info', isMeta: false, uuid: uuid4(), timestamp: clock.next(0.02), ...envelope({}) });
      }
    } else {
      const content = turn.blocks ? [{ type: 'text', text: turn.user }] : turn.user;
      push({ parentUuid: parent, isSidechain: false, promptId, type: 'user', message: { role: 'user', content }, uuid: uuid4(), timestamp: at, permissionMode: 'default', ...envelope({}) });
    }
    if (turn.broken) {
      // Deliberately torn record (a crash mid-write): the harvester must count it as invalid_json and go on.
      lines.push(JSON.stringify({ parentUuid: parent, isSidechain: false, type: 'assistant', message: { id: msgId() } }).slice(0, 57));
    }
    for (const step of turn.steps ?? []) {
      const mid = msgId();
      const rid = reqId();
      const tid = toolId();
      const out = 40 + Math.floor(rand() * 120);
      usageIn += 300 + Math.floor(rand() * 900);
      const usage = (o) => ({
        input_tokens: 4 + Math.floor(rand() * 6),
        cache_creation_input_tokens: 220 + Math.floor(rand() * 400),
        cache_read_input_tokens: usageIn,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
        output_tokens: o,
        service_tier: 'standard',
      });
      if (step.say) {
        push({ parentUuid: parent, isSidechain: false, message: { model: CLAUDE_MODEL, id: mid, type: 'message', role: 'assistant', content: [{ type: 'text', text: step.say }], stop_reason: null, stop_sequence: null, usage: usage(8) }, requestId: rid, type: 'assistant', uuid: uuid4(), timestamp: clock.next(2.5), ...envelope({}) });
      }
      push({ parentUuid: parent, isSidechain: false, message: { model: CLAUDE_MODEL, id: mid, type: 'message', role: 'assistant', content: [{ type: 'tool_use', id: tid, name: step.tool, input: step.input }], stop_reason: 'tool_use', stop_sequence: null, usage: usage(out) }, requestId: rid, type: 'assistant', uuid: uuid4(), timestamp: clock.next(step.say ? 0.6 : 3), ...envelope({}) });
      const assistantUuid = parent;
      const toolUseResult =
        step.tool === 'Bash'
          ? { stdout: step.isError ? '' : step.result, stderr: step.isError ? step.result : '', interrupted: false, isImage: false }
          : step.tool === 'Skill'
            ? { success: true, commandName: step.input.skill }
            : step.tool === 'Read'
              ? { type: 'text', file: { filePath: step.input.file_path, content: step.result, numLines: step.result.split('\n').length, startLine: 1, totalLines: step.result.split('\n').length } }
              : { filePath: step.input.file_path, oldString: step.input.old_string, newString: step.input.new_string, replaceAll: Boolean(step.input.replace_all), userModified: false, structuredPatch: [] };
      const resultText = step.isError ? `Error: ${step.result}` : step.result;
      push({
        parentUuid: parent,
        isSidechain: false,
        promptId,
        type: 'user',
        message: { role: 'user', content: [{ tool_use_id: tid, type: 'tool_result', content: resultText, ...(step.isError ? { is_error: true } : {}) }] },
        uuid: uuid4(),
        timestamp: clock.next(step.seconds ?? 1.2),
        toolUseResult: step.isError ? `Error: ${step.result}` : toolUseResult,
        sourceToolAssistantUUID: assistantUuid,
        ...envelope({}),
      });
    }
    const mid = msgId();
    usageIn += 200 + Math.floor(rand() * 600);
    push({
      parentUuid: parent,
      isSidechain: false,
      message: {
        model: CLAUDE_MODEL,
        id: mid,
        type: 'message',
        role: 'assistant',
        content: [{ type: 'text', text: turn.answer }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 6, cache_creation_input_tokens: 180, cache_read_input_tokens: usageIn, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, output_tokens: 30 + Math.ceil(turn.answer.length / 4), service_tier: 'standard' },
      },
      requestId: reqId(),
      type: 'assistant',
      uuid: uuid4(),
      timestamp: clock.next(turn.think ?? 4),
      ...envelope({}),
    });
    push({ parentUuid: parent, isSidechain: false, type: 'system', subtype: 'turn_duration', durationMs: 4000 + Math.floor(rand() * 20000), isMeta: false, uuid: uuid4(), timestamp: clock.next(0.01), ...envelope({}) });
  }
  if (spec.turns.length > 0) lines.push(JSON.stringify({ type: 'last-prompt', leafUuid: parent, sessionId }));
  const file = join('.claude', 'projects', slugOf(cwd), `${sessionId}.jsonl`);
  return { file, sessionId, text: lines.join('\n') + '\n', lines: lines.length };
}

// ---------- Codex ----------
const CODEX_VERSION = '0.111.0';
const CODEX_MODEL = 'gpt-5.3-codex';

function codexSession(spec) {
  const clock = new Ticker(spec.start);
  const sessionId = uuid7(clock.ms);
  const cwd = spec.cwd;
  const lines = [];
  const push = (type, payload, seconds = 0.002) => lines.push(JSON.stringify({ timestamp: clock.next(seconds), type, payload }));
  const started = new Date(clock.ms);
  push('session_meta', {
    id: sessionId,
    timestamp: clock.now(),
    cwd,
    originator: 'codex_cli_rs',
    cli_version: CODEX_VERSION,
    source: 'cli',
    model_provider: 'openai',
    base_instructions: { text: 'You are Codex, a coding agent based on GPT-5. You and the user share the same workspace and collaborate to achieve the user\u2019s goals.' },
    git: { commit_hash: pick(HEX, 40), branch: spec.branch, repository_url: spec.repo },
  }, 0.8);
  push('response_item', { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions instructions>Filesystem sandboxing: workspace-write. Network access is restricted. Approval policy: on-request.</permissions instructions>' }] });
  push('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: `# AGENTS.md instructions for ${cwd}\n\n<INSTRUCTIONS>\n${spec.agentsMd}\n</INSTRUCTIONS>` }] });
  push('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: `<environment_context>\n  <cwd>${cwd}</cwd>\n  <approval_policy>on-request</approval_policy>\n  <sandbox_mode>workspace-write</sandbox_mode>\n  <network_access>restricted</network_access>\n  <shell>zsh</shell>\n</environment_context>` }] });
  const total = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 };
  const tokenCount = (input, output) => {
    const last = { input_tokens: input, cached_input_tokens: Math.floor(input * 0.8), output_tokens: output, reasoning_output_tokens: Math.floor(output / 3), total_tokens: input + output };
    for (const k of Object.keys(total)) total[k] += last[k];
    push('event_msg', { type: 'token_count', info: { total_token_usage: { ...total }, last_token_usage: last, model_context_window: 258400 }, rate_limits: { limit_id: 'codex', limit_name: null, primary: { used_percent: 4.0, window_minutes: 300, resets_at: Math.floor(clock.ms / 1000) + 9000 }, secondary: { used_percent: 1.0, window_minutes: 10080, resets_at: Math.floor(clock.ms / 1000) + 400000 }, credits: { has_credits: false, unlimited: false, balance: null }, plan_type: null } });
  };
  for (const turn of spec.turns) {
    const turnId = uuid7(clock.ms);
    clock.next(turn.wait ?? 40);
    push('event_msg', { type: 'task_started', turn_id: turnId, model_context_window: 258400, collaboration_mode_kind: 'default' });
    push('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: turn.user }] });
    push('event_msg', { type: 'user_message', message: turn.user, images: [], local_images: [], text_elements: [] });
    push('turn_context', { turn_id: turnId, cwd, approval_policy: 'on-request', sandbox_policy: { type: 'workspace-write', writable_roots: [cwd], network_access: false, exclude_tmpdir_env_var: false, exclude_slash_tmp: false }, model: CODEX_MODEL, personality: 'pragmatic', effort: 'medium', summary: 'auto' });
    push('event_msg', { type: 'token_count', info: null, rate_limits: { limit_id: 'codex', limit_name: null, primary: { used_percent: 4.0, window_minutes: 300, resets_at: Math.floor(clock.ms / 1000) + 9000 }, secondary: null, credits: null, plan_type: null } }, 0.5);
    for (const step of turn.steps ?? []) {
      const reasoning = step.think ?? 'Inspecting the workspace';
      push('event_msg', { type: 'agent_reasoning', text: `**${reasoning}**` }, 2.2);
      push('response_item', { type: 'reasoning', summary: [{ type: 'summary_text', text: `**${reasoning}**` }], content: null, encrypted_content: `gAAAAA${pick(B62, 160)}` });
      const id = callId();
      push('response_item', { type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd: step.cmd, workdir: cwd, yield_time_ms: 10000 }), call_id: id });
      tokenCount(14000 + Math.floor(rand() * 6000), 120 + Math.floor(rand() * 200));
      const exit = step.exitCode ?? 0;
      push('event_msg', { type: 'exec_command_end', call_id: id, exit_code: exit, duration: { secs: 1, nanos: 250000000 }, formatted_output: step.output }, step.seconds ?? 1.4);
      push('response_item', { type: 'function_call_output', call_id: id, output: `Chunk ID: ${pick(HEX, 6)}\nWall time: ${(step.seconds ?? 1.4).toFixed(4)} seconds\nProcess exited with code ${exit}\nOriginal token count: ${Math.ceil(step.output.length / 4)}\nOutput:\n${step.output}` });
    }
    push('event_msg', { type: 'agent_reasoning', text: '**Drafting the answer**' }, turn.think ?? 3);
    push('response_item', { type: 'reasoning', summary: [{ type: 'summary_text', text: '**Drafting the answer**' }], content: null, encrypted_content: `gAAAAA${pick(B62, 120)}` });
    push('event_msg', { type: 'agent_message', message: turn.answer, phase: 'final_answer' }, 1.5);
    push('response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: turn.answer }], phase: 'final_answer' });
    tokenCount(16000 + Math.floor(rand() * 5000), 40 + Math.ceil(turn.answer.length / 4));
    push('event_msg', { type: 'task_complete', turn_id: turnId, last_agent_message: turn.answer });
  }
  const local = new Date(started.getTime() + TZ_OFFSET_HOURS * 3600_000).toISOString();
  const [day, time] = [local.slice(0, 10), local.slice(11, 19).replace(/:/g, '-')];
  const file = join('.codex', 'sessions', ...day.split('-'), `rollout-${day}T${time}-${sessionId}.jsonl`);
  return { file, sessionId, text: lines.join('\n') + '\n', lines: lines.length };
}

function commandOnlySession(spec) {
  // `/clear` typed into a fresh session: Claude Code writes the command and its (empty) output, nothing else.
  const sessionId = uuid4();
  const clock = new Ticker(spec.start);
  const base = { userType: 'external', entrypoint: 'cli', cwd: spec.cwd, sessionId, version: CLAUDE_VERSION, gitBranch: spec.branch };
  const a = uuid4();
  const b = uuid4();
  const c = uuid4();
  const lines = [
    { parentUuid: null, isSidechain: false, type: 'user', message: { role: 'user', content: '<local-command-caveat>Caveat: The messages below were generated by the user while running local commands. DO NOT respond to these messages or otherwise consider them in your response unless the user explicitly asks you to.</local-command-caveat>' }, isMeta: true, uuid: a, timestamp: clock.next(0), ...base },
    { parentUuid: a, isSidechain: false, type: 'user', message: { role: 'user', content: '<command-name>/clear</command-name>\n            <command-message>clear</command-message>\n            <command-args></command-args>' }, uuid: b, timestamp: clock.next(0.01), ...base },
    { parentUuid: b, isSidechain: false, type: 'user', message: { role: 'user', content: '<local-command-stdout></local-command-stdout>' }, uuid: c, timestamp: clock.next(0.01), ...base },
  ].map((r) => JSON.stringify(r));
  return { file: join('.claude', 'projects', slugOf(spec.cwd), `${sessionId}.jsonl`), sessionId, text: lines.join('\n') + '\n', lines: lines.length };
}

// ---------- the persona's week ----------
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
function ciLog() {
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

const sessions = [];
const expected = [];
function add(kind, spec, meta) {
  const made =
    kind === 'claude' ? claudeSession(spec) : kind === 'claude-command-only' ? commandOnlySession(spec) : codexSession({ ...spec, agentsMd: spec.cwd.endsWith('ledger-api') ? LEDGER_AGENTS : TILEMAP_AGENTS });
  sessions.push(made);
  expected.push({ file: made.file, source: kind === 'codex' ? 'codex' : 'claude-code', sessionId: made.sessionId, project: spec.cwd, lines: made.lines, ...meta });
}

// 1. Commit message; corrected to the imperative mood without a trailing period; praised.
add('claude', { start: '2026-03-02T08:12:40.000Z', cwd: PROJECTS.ledger.cwd, branch: 'feat/invoice-export', turns: [
  { user: 'write a commit message for the staged changes', steps: [{ tool: 'Bash', input: { command: 'git diff --staged', description: 'Show staged changes' }, result: STAGED_LEDGER }], answer: 'Added CSV export for invoices.\n\nThe new /invoices/export.csv route streams invoices in the requested date range as CSV.' },
  { user: 'no, use the imperative mood and no trailing period', answer: 'Add CSV export for invoices\n\nThe new /invoices/export.csv route streams invoices in the requested date range as CSV.' },
  { user: 'perfect, thanks', answer: 'You\u2019re welcome! Want me to commit it?' },
] }, { families: ['commit-message', 'commit-message', 'ack'], feedback: ['correction', 'praise'] });

// 2. Test status; answered without running the tests; corrected twice.
add('claude', { start: '2026-03-02T13:40:05.000Z', cwd: PROJECTS.ledger.cwd, branch: 'feat/invoice-export', turns: [
  { user: 'are the tests passing on this branch?', answer: 'They should be: the last commits only added the CSV exporter and its route, and the existing suites do not touch that code.' },
  { user: 'you forgot to run the tests', steps: [{ tool: 'Bash', input: { command: 'pnpm test', description: 'Run the test suite' }, result: FAILING_JEST, isError: true, seconds: 6 }], answer: 'I ran `pnpm test`: 2 of 77 tests fail, both in test/export/csv.test.ts. invoicesToCsv does not quote customer names that contain commas, and it prints totals without two decimals.' },
  { user: 'no, use a bullet list for the failures', answer: '`pnpm test`: 2 failed, 75 passed.\n\n- test/export/csv.test.ts > quotes customer names with commas: got `ACME, Inc.`, expected `"ACME, Inc."`\n- test/export/csv.test.ts > formats totals with two decimals: got `1200`, expected `1200.00`' },
] }, { families: ['test-status', 'test-status', 'test-status'], feedback: ['correction', 'correction'], toolErrors: 1 });

// 3. PR metadata as JSON; corrected to JSON only.
add('codex', { start: '2026-03-03T09:05:11.000Z', cwd: PROJECTS.ledger.cwd, branch: 'feat/invoice-export', repo: PROJECTS.ledger.repo, turns: [
  { user: 'give me the PR title and description for this branch as JSON', steps: [{ cmd: 'git log --oneline main..HEAD', output: 'c01e3b8 Add CSV export for invoices\n7aa91d0 Quote customer names in CSV export\n51f02c4 Format invoice totals with two decimals', think: 'Reading the branch history' }], answer: 'Here is the PR metadata for `feat/invoice-export`:\n\n```json\n{\n  "title": "Add CSV export for invoices",\n  "body": "Adds GET /invoices/export.csv with date filters. Customer names are quoted and totals use two decimals.",\n  "labels": ["feature", "export"]\n}\n```\n\nLet me know if you want a longer description.' },
  { user: 'no, only JSON please, no prose around it', answer: '{"title":"Add CSV export for invoices","body":"Adds GET /invoices/export.csv with date filters. Customer names are quoted and totals use two decimals.","labels":["feature","export"]}' },
] }, { families: ['pr-metadata', 'pr-metadata'], feedback: ['correction'] });

// 4. Code review through a custom slash command; corrected to a bullet list; praised.
add('claude', { start: '2026-03-03T15:20:44.000Z', cwd: PROJECTS.tilemap.cwd, branch: 'fix/render-clipping', turns: [
  { command: '/review', user: 'look at the changes in src/render.rs', commandBody: 'Review the pending changes the user names. Point out bugs, risky code and missing tests. Be specific about file and line.', steps: [{ tool: 'Bash', input: { command: 'git diff main -- src/render.rs', description: 'Diff render.rs against main' }, result: 'diff --git a/src/render.rs b/src/render.rs\n@@ -71,9 +71,14 @@ pub fn render(map: &TileMap, view: Rect) -> Image {\n-    for y in view.top..=view.bottom {\n+    for y in view.top..view.bottom {\n+        let row = map.row(y).unwrap();\n' }], answer: 'The loop bound change in render() fixes the off-by-one at the bottom edge, which looks right. The new map.row(y).unwrap() will panic when the view extends past the map; consider returning early or clamping the view first. There is no test for a view larger than the map, so I would add one.' },
  { user: 'no, use a bullet list, one finding per line', answer: '- src/render.rs:71 the exclusive bound fixes the bottom-edge off-by-one (good)\n- src/render.rs:73 map.row(y).unwrap() panics when the view is larger than the map; clamp the view or skip missing rows\n- tests: add a case for a view larger than the map' },
  { user: "great, that's exactly it, thanks", answer: 'Glad it helps. Want me to add the clamping and the test?' },
] }, { families: ['code-review', 'code-review', 'ack'], feedback: ['correction', 'praise'] });

// 5. Commit message (paraphrase, other project); a skill is invoked; corrected again.
add('claude', { start: '2026-03-04T08:30:02.000Z', cwd: PROJECTS.tilemap.cwd, branch: 'fix/bounds', turns: [
  { user: 'can you draft a commit msg for what I just staged?', steps: [{ tool: 'Skill', input: { skill: 'commit-conventions' }, result: 'Launching skill: commit-conventions' }, { tool: 'Bash', input: { command: 'git diff --cached', description: 'Show staged diff' }, result: STAGED_TILEMAP }], answer: 'Fixed off-by-one in the tile bounds check.' },
  { user: 'no, imperative mood please. Fix, not Fixed. And drop the period', answer: 'Fix off-by-one in the tile bounds check' },
] }, { families: ['commit-message', 'commit-message'], feedback: ['correction'], skills: ['commit-conventions'] });

// 6. Test status in Codex; corrected to a bullet list.
add('codex', { start: '2026-03-04T12:10:30.000Z', cwd: PROJECTS.tilemap.cwd, branch: 'fix/bounds', repo: PROJECTS.tilemap.repo, turns: [
  { user: 'run cargo test and tell me what fails', steps: [{ cmd: 'cargo test', output: CARGO_FAIL, exitCode: 101, seconds: 6.3, think: 'Running the test suite' }], answer: 'Two of 27 tests fail. tiles::bounds::tests::contains_edge still expects the old inclusive bound, and tiles::cache::tests::reload_after_invalidate panics on an unwrap of a missing tile after invalidation.' },
  { user: 'use a bullet list', answer: '`cargo test`: 25 passed, 2 failed.\n\n- tiles::bounds::tests::contains_edge: asserts the old inclusive bound (src/tiles/bounds.rs:44)\n- tiles::cache::tests::reload_after_invalidate: unwrap on None after invalidation (src/tiles/cache.rs:112)' },
] }, { families: ['test-status', 'test-status'], feedback: [], unflaggedInstructions: ['use a bullet list'], toolErrors: 1 });

// 7. A pasted CI log of about 100 KB; answered, then abandoned.
add('claude', { start: '2026-03-05T09:00:12.000Z', cwd: PROJECTS.ledger.cwd, branch: 'main', turns: [
  { user: `CI is failing on main, here's the log. what's wrong?\n\n${ciLog()}`, answer: 'One test fails: test/migrations/0042-invoice-currency.test.ts. Migration 0042 adds invoices.currency, but the column already exists in the CI database because migration 0039 added it too. Make 0042 use ADD COLUMN IF NOT EXISTS, or drop the duplicate from 0039.', think: 9 },
] }, { families: ['ci-log'], pastedLog: true });

// 8. PR metadata (paraphrase); fenced JSON corrected; praised.
add('claude', { start: '2026-03-05T10:45:50.000Z', cwd: PROJECTS.ledger.cwd, branch: 'fix/migration-0042', turns: [
  { user: 'PR metadata for this branch as JSON please: title, body, labels', steps: [{ tool: 'Bash', input: { command: 'git log --oneline main..HEAD', description: 'Commits on this branch' }, result: 'e4d7a10 Make migration 0042 idempotent' }], answer: '```json\n{\n  "title": "Make migration 0042 idempotent",\n  "body": "Use ADD COLUMN IF NOT EXISTS so CI databases that already have invoices.currency migrate cleanly.",\n  "labels": ["bug", "database"]\n}\n```' },
  { user: 'I said only JSON, no markdown fences', answer: '{"title":"Make migration 0042 idempotent","body":"Use ADD COLUMN IF NOT EXISTS so CI databases that already have invoices.currency migrate cleanly.","labels":["bug","database"]}' },
  { user: 'thanks!', answer: 'Any time.' },
] }, { families: ['pr-metadata', 'pr-metadata', 'ack'], feedback: ['correction', 'praise'] });

// 9. Commit message in German (Codex); corrected; praised.
add('codex', { start: '2026-03-05T16:30:03.000Z', cwd: PROJECTS.ledger.cwd, branch: 'fix/migration-0042', repo: PROJECTS.ledger.repo, turns: [
  { user: 'Schreib mir bitte eine Commit-Nachricht für die gestagten Änderungen', steps: [{ cmd: 'git diff --staged --stat', output: ' src/db/migrations/0042-invoice-currency.sql | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)', think: 'Checking staged changes' }], answer: 'Migration 0042 idempotent gemacht.' },
  { user: 'Nein, bitte im Imperativ und ohne Punkt am Ende', answer: 'Mache Migration 0042 idempotent' },
  { user: 'Danke, passt so', answer: 'Gern!' },
] }, { families: ['commit-message', 'commit-message', 'ack'], feedback: ['correction', 'praise'], language: 'de' });

// 10. Our own replay (claude -p in a skillopt-sleep workspace): must never be mined.
add('claude', { start: '2026-03-06T02:12:00.000Z', cwd: '/tmp/skillopt-sleep-replay-7c1e9a', branch: '', entrypoint: 'sdk-cli', turns: [
  { user: 'Write a commit message for the staged changes.', wait: 0.2, answer: 'Add CSV export for invoices' },
] }, { families: ['own-replay'], ownReplay: true });

// 11. Code review (paraphrase); the correction was typed while the agent was still busy (queued).
add('claude', { start: '2026-03-06T08:50:31.000Z', cwd: PROJECTS.tilemap.cwd, branch: 'feat/tile-cache', turns: [
  { user: 'review my diff against main before I open the PR', steps: [{ tool: 'Bash', input: { command: 'git diff main --stat && git diff main -- src/tiles/cache.rs', description: 'Diff against main' }, result: ' src/tiles/cache.rs | 48 ++++++++++++++++++++-----\n 1 file changed, 39 insertions(+), 9 deletions(-)\n@@ -88,6 +88,18 @@ impl TileCache {\n+    pub fn invalidate(&mut self, key: TileKey) {\n+        self.entries.remove(&key);\n+    }\n' }], answer: 'Overall the cache change reads well. invalidate() removes the entry but leaves its key in the LRU order list, so a later eviction can pop a key that is no longer present and unwrap on None, which matches the failing reload test. I would also document the eviction policy on TileCache.' },
  { user: 'bullet list please', queued: true, wait: 3, answer: '- src/tiles/cache.rs:90 invalidate() leaves the key in the LRU list; eviction later unwraps None\n- src/tiles/cache.rs: document the eviction policy on TileCache\n- tests: reload_after_invalidate covers the bug once fixed' },
] }, { families: ['code-review', 'code-review'], feedback: [], unflaggedInstructions: ['bullet list please'] });

// 12. A one-off refactor (edits files); not a recurring task.
add('claude', { start: '2026-03-06T14:05:09.000Z', cwd: PROJECTS.ledger.cwd, branch: 'chore/account-id', turns: [
  { user: 'rename userId to accountId everywhere in src/billing', steps: [
    { tool: 'Bash', input: { command: 'grep -rn "userId" src/billing', description: 'Find userId in src/billing' }, result: 'src/billing/charge.ts:12:  userId: string;\nsrc/billing/charge.ts:31:  return db.charges.byUser(charge.userId);\nsrc/billing/refund.ts:8:export function refund(userId: string, amount: number) {' },
    { tool: 'Edit', input: { file_path: `${PROJECTS.ledger.cwd}/src/billing/charge.ts`, old_string: 'userId', new_string: 'accountId', replace_all: true }, result: `The file ${PROJECTS.ledger.cwd}/src/billing/charge.ts has been updated. All occurrences of 'userId' were successfully replaced with 'accountId'.` },
    { tool: 'Edit', input: { file_path: `${PROJECTS.ledger.cwd}/src/billing/refund.ts`, old_string: 'userId', new_string: 'accountId', replace_all: true }, result: `The file ${PROJECTS.ledger.cwd}/src/billing/refund.ts has been updated. All occurrences of 'userId' were successfully replaced with 'accountId'.` },
  ], answer: 'Renamed userId to accountId in src/billing/charge.ts and src/billing/refund.ts (3 occurrences). db.charges.byUser keeps its name; rename it too?' },
] }, { families: ['one-off'] });

// 13. Commit message in Codex with a re-ask after the first answer.
add('codex', { start: '2026-03-07T10:20:40.000Z', cwd: PROJECTS.tilemap.cwd, branch: 'feat/tile-cache', repo: PROJECTS.tilemap.repo, turns: [
  { user: 'write the commit message for the staged diff', steps: [{ cmd: 'git diff --staged', output: 'diff --git a/src/tiles/cache.rs b/src/tiles/cache.rs\n@@ -90,6 +90,7 @@ impl TileCache {\n     pub fn invalidate(&mut self, key: TileKey) {\n         self.entries.remove(&key);\n+        self.order.retain(|k| *k != key);\n     }', think: 'Reading the staged diff' }], answer: 'Refactored the tile cache so that invalidate() also removes the key from the LRU order list, which fixes the panic in reload_after_invalidate.' },
  { user: 'write the commit message for the staged diff, shorter please', answer: 'Remove invalidated keys from the LRU order' },
] }, { families: ['commit-message', 'commit-message'], feedback: ['re-ask'] });

// 14. Test status (paraphrase); the agent runs them this time; praised.
add('claude', { start: '2026-03-08T09:30:15.000Z', cwd: PROJECTS.ledger.cwd, branch: 'fix/migration-0042', turns: [
  { user: 'check whether the test suite is green before I push', steps: [{ tool: 'Bash', input: { command: 'pnpm test', description: 'Run the test suite' }, result: PASSING_JEST, seconds: 5 }], answer: '`pnpm test`: all 85 tests in 5 files pass.\n\n- test/migrations/0042-invoice-currency.test.ts now passes (4 tests)' },
  { user: 'nice', answer: 'Good to push.' },
] }, { families: ['test-status', 'ack'], feedback: ['praise'] });

// 15. Only a housekeeping slash command: no user prompt at all.
add('claude-command-only', { start: '2026-03-08T09:42:00.000Z', cwd: PROJECTS.ledger.cwd, branch: 'fix/migration-0042' }, { families: [], noPrompt: true });

// 16. PR metadata (paraphrase) in Codex; answered as bare JSON; abandoned.
add('codex', { start: '2026-03-09T08:15:27.000Z', cwd: PROJECTS.ledger.cwd, branch: 'feat/reminder-emails', repo: PROJECTS.ledger.repo, turns: [
  { user: 'generate the pull request title + body for this branch, JSON output', steps: [{ cmd: 'git log --oneline main..HEAD', output: '9f1c2aa Send reminder emails for overdue invoices\n0b7d3e1 Add reminder schedule to settings', think: 'Reading the branch history' }], answer: '{"title":"Send reminder emails for overdue invoices","body":"Adds a daily job that emails customers about invoices overdue by 7, 14 and 30 days, with the schedule in settings.","labels":["feature","email"]}' },
] }, { families: ['pr-metadata'] });

// 17. Code review (paraphrase) with one deliberately torn line in the file; praised.
add('claude', { start: '2026-03-09T13:00:58.000Z', cwd: PROJECTS.tilemap.cwd, branch: 'feat/tile-cache', turns: [
  { user: 'can you do a code review of src/tiles/cache.rs? focus on error handling', broken: true, blocks: true, steps: [{ tool: 'Read', input: { file_path: `${PROJECTS.tilemap.cwd}/src/tiles/cache.rs` }, result: 'pub struct TileCache {\n    entries: HashMap<TileKey, Tile>,\n    order: VecDeque<TileKey>,\n}\n\nimpl TileCache {\n    pub fn get(&mut self, key: TileKey) -> &Tile {\n        self.entries.get(&key).unwrap()\n    }\n}' }], answer: '- src/tiles/cache.rs:8 get() unwraps a missing entry; return Option<&Tile> or load on miss\n- src/tiles/cache.rs: load errors from disk are swallowed; propagate io::Error to the caller\n- no test covers a missing key' },
  { user: 'thanks, good catch on the unwrap', answer: 'Happy to help. Want me to change get() to return an Option?' },
] }, { families: ['code-review', 'ack'], feedback: ['praise'], brokenLines: 1 });

// 18. A one-off question in Codex.
add('codex', { start: '2026-03-09T15:45:06.000Z', cwd: PROJECTS.tilemap.cwd, branch: 'main', repo: PROJECTS.tilemap.repo, turns: [
  { user: 'explain what this regex does: ^(?:[a-z0-9-]+\\.)+[a-z]{2,}$', answer: 'It matches a lower-case domain name: one or more labels of letters, digits or hyphens, each followed by a dot, then a top-level domain of at least two letters, e.g. tiles.example.org.' },
] }, { families: ['one-off'] });

// ---------- write ----------
rmSync(join(OUT, '.claude'), { recursive: true, force: true });
rmSync(join(OUT, '.codex'), { recursive: true, force: true });
for (const s of sessions) {
  const path = join(OUT, s.file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, s.text);
}
const manifest = {
  persona: 'programmer',
  note: 'Synthetic transcripts written by scripts/make-persona-transcripts.mjs (not real user data). Use the folder as HOME. feedback lists the signals the harvester finds; unflaggedInstructions are bare follow-up instructions it does not flag as corrections.',
  home: HOME,
  families: {
    'commit-message': 'write a commit message for staged changes (imperative mood, no trailing period)',
    'pr-metadata': 'PR title/body/labels as JSON only',
    'test-status': 'run the tests and report failures as a bullet list',
    'code-review': 'review a diff or file, findings as a bullet list',
    ack: 'a short acknowledgement or praise, not a task',
    'ci-log': 'a pasted CI log (~100 KB) to diagnose',
    'one-off': 'a request that does not recur',
    'own-replay': 'a session skillopt-sleep started itself: must be skipped',
  },
  sessions: expected.map((e) => ({ ...e, file: e.file.split('\\').join('/') })),
};
writeFileSync(join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`wrote ${sessions.length} sessions to ${OUT}`);
