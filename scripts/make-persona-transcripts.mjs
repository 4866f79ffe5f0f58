#!/usr/bin/env node
// Writes fixtures/transcripts/personas/programmer/: a fake HOME holding the Claude Code and Codex session files
// of one persona (Dana, a programmer working on two projects over eight days). The files follow the record
// shapes of real Claude Code 2.1.x and Codex 0.11x transcripts (reference: transcript-formats.md sections 1-2)
// so the real harvester reads them. Deterministic: ids come from a seeded generator, so rerunning the script
// reproduces the same bytes. Usage: node scripts/make-persona-transcripts.mjs [outDir]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOME, describeProgrammerWeek } from './persona-programmer.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = process.argv[2] ?? join(here, '..', 'fixtures', 'transcripts', 'personas', 'programmer');
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
const rand = mulberry32(seedOf('programmer'));
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

// ---------- the week, then write ----------
const sessions = [];
const expected = [];
function add(kind, spec, meta) {
  const made =
    kind === 'claude' ? claudeSession(spec) : kind === 'claude-command-only' ? commandOnlySession(spec) : codexSession(spec);
  sessions.push(made);
  expected.push({ file: made.file, source: kind === 'codex' ? 'codex' : 'claude-code', sessionId: made.sessionId, project: spec.cwd, lines: made.lines, ...meta });
}

describeProgrammerWeek(add, { rand, pick });

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
