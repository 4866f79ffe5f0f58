import { basename } from 'node:path';
import type { ParseOutcome, SessionDigest, TranscriptParser } from '../../types.js';
import {
  addUnique,
  asCount,
  asRecord,
  asString,
  countUnknownRecord,
  createDigest,
  INTERRUPT_PATTERN,
  isUnansweredRepeat,
  noteAgentVersion,
  recordAnswer,
  recordInterrupt,
  recordPrompt,
  recordPromptSkill,
  recordToolError,
  restoreDigest,
  widenTimeRange,
  withEmptyReason,
} from '../../digest.js';
import { codexInjectedKind, codexSkillNames, cwdFromEnvironmentContext, filesInPatch } from './injected.js';
import { parseRecordLine, recordAt, type DroppedPath } from '../../skeleton.js';

/**
 * Envelope item types that carry nothing a digest needs. 0.17x adds `world_state` (the harness context
 * snapshot) and `token_usage_record` (per-response usage; the cumulative `token_count` event is read instead).
 */
const IGNORED_ITEMS: ReadonlySet<string> = new Set([
  'compacted', 'world_state', 'inter_agent_communication', 'inter_agent_communication_metadata', 'token_usage_record',
]);

/**
 * The channels a rollout may carry the person's prompts on: `event_msg/user_message` (0.4x–0.16x) or
 * `event_msg/item_completed` with a `UserMessage` item (0.169+). A file uses the first one it shows, so a
 * build that writes both never counts a prompt twice.
 */
type PromptChannel = 'user_message' | 'item_completed';

/** Response item types (bare in legacy rollouts, wrapped in `response_item` since ~0.46). */
const RESPONSE_ITEM_TYPES: ReadonlySet<string> = new Set([
  'message', 'reasoning', 'function_call', 'function_call_output', 'custom_tool_call', 'custom_tool_call_output',
  'local_shell_call', 'web_search_call', 'tool_search_call', 'image_generation_call', 'compaction', 'other',
]);

/** Sources Codex itself treats as non-interactive (`codex exec`, Codex as an MCP server). */
const HEADLESS_SOURCES: ReadonlySet<string> = new Set(['exec', 'mcp']);

interface CodexState {
  v: 1;
  digest: SessionDigest;
  format?: 'envelope' | 'legacy';
  metaSeen: boolean;
  /** A sub-agent thread: its "user" messages were written by the parent model. */
  subagent: boolean;
  seen: boolean;
  promptChannel?: PromptChannel;
  /** Call ids whose failure was recorded (two event kinds can report one failed command). */
  failedCalls?: string[];
  /** Forked thread: the thread total of the first token_count includes the parent's usage, subtracted here. */
  forked?: boolean;
  tokenBase?: { input: number; output: number; cached: number };
  sawAnswer?: boolean;
}

/** Saved state back to a valid state; anything damaged falls back to empty parts. */
function restoreState(saved: unknown, path: string): CodexState {
  const state = asRecord(saved);
  const id = codexIdFromPath(path);
  if (state?.v !== 1) return { v: 1, digest: createDigest('codex', id), metaSeen: false, subagent: false, seen: false };
  const restored: CodexState = {
    v: 1,
    digest: restoreDigest(state.digest, 'codex', id),
    metaSeen: state.metaSeen === true,
    subagent: state.subagent === true,
    seen: state.seen === true,
  };
  if (state.format === 'envelope' || state.format === 'legacy') restored.format = state.format;
  if (state.promptChannel === 'user_message' || state.promptChannel === 'item_completed') restored.promptChannel = state.promptChannel;
  if (Array.isArray(state.failedCalls)) restored.failedCalls = state.failedCalls.filter((c): c is string => typeof c === 'string');
  if (state.forked === true) restored.forked = true;
  const base = asRecord(state.tokenBase);
  if (base) restored.tokenBase = { input: asCount(base.input), output: asCount(base.output), cached: asCount(base.cached) };
  if (state.sawAnswer === true) restored.sawAnswer = true;
  return restored;
}

/**
 * The front end a `session_meta` names. The originator decides (the 0.17x TUI says `codex-tui` with source
 * `vscode`, so the source alone would call it an IDE); the source is the fallback for older files.
 */
export function codexOrigin(originator: string | undefined, source: string | undefined): string | undefined {
  const o = originator?.toLowerCase() ?? '';
  if (o === 'codex_exec') return 'exec';
  if (o === 'codex-tui' || o === 'codex_cli_rs' || o === 'codex_tui') return 'cli';
  if (o.includes('vscode') || o.includes('ide') || o.includes('jetbrains')) return 'ide';
  if (o.includes('desktop')) return 'desktop';
  const s = source?.toLowerCase();
  if (s === 'exec' || s === 'mcp' || s === 'cli') return s;
  if (s === 'vscode') return 'ide';
  return o ? o.slice(0, 40) : s?.slice(0, 40);
}

/** The text parts of an `item_completed` item's content (`text` / `Text` parts). */
function itemText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const part of content) {
    const p = asRecord(part);
    const text = asString(p?.text);
    if (text !== undefined && (p?.type === 'text' || p?.type === 'Text' || p?.type === 'input_text' || p?.type === 'output_text')) parts.push(text);
  }
  return parts.join('\n');
}

/** The session id in a rollout file name (`rollout-<local time>-<uuid>.jsonl`), else the file stem. */
export function codexIdFromPath(path: string): string {
  const name = basename(path);
  const match = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i.exec(name);
  return match?.[1] ?? name.replace(/\.jsonl$/i, '');
}

function textOfContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const item of content) {
    const block = asRecord(item);
    const text = asString(block?.text);
    if (text && (block?.type === 'input_text' || block?.type === 'output_text' || block?.type === 'text')) parts.push(text);
  }
  return parts.join('\n');
}

/** Response item types whose payload the parser reads beyond its `type` (every other kind is only counted as seen). */
const READ_RESPONSE_ITEMS: ReadonlySet<string> = new Set(['message', 'function_call', 'custom_tool_call']);
/** The `session_meta` payload fields onMeta reads. */
const META_FIELDS: ReadonlySet<string> = new Set(['id', 'session_id', 'timestamp', 'git', 'cwd', 'source', 'originator', 'thread_source', 'cli_version', 'forked_from_id']);
/** The `CommandExecution` item fields read (its output only when it failed). */
const COMMAND_FIELDS: ReadonlySet<string> = new Set(['type', 'id', 'exit_code', 'status']);

/** Record kinds whose long strings the parser never reads: tool outputs, reasoning, successful commands, meta. */
const WORTH_SCANNING = /"(?:function_call_output|custom_tool_call_output|reasoning|exec_command_end|item_completed|session_meta|compacted|world_state)"/;

function succeeded(code: unknown, status?: unknown): boolean {
  return !(typeof code === 'number' && code !== 0) && status !== 'failed';
}

/**
 * Whether this parser, fed a skeleton (long strings left out), does exactly what it does with the whole record: an
 * allow-list of where long strings may be dropped, each mirroring what onEnvelope's branches read (every dropped
 * value lies inside the payload, below a field the branch never reads). Anything else parses the whole line.
 */
export function codexSkeletonSafe(record: Record<string, unknown>, dropped: readonly DroppedPath[]): boolean {
  const type = record.type;
  const payload = recordAt(record.payload);
  if (typeof type !== 'string' || !payload) return false;
  const inPayload = (p: DroppedPath, allowed: (field: string | number, p: DroppedPath) => boolean) => p[0] === 'payload' && p.length >= 2 && allowed(p[1] as string | number, p);
  const ptype = payload.type;
  if (type === 'response_item') {
    if (typeof ptype !== 'string' || READ_RESPONSE_ITEMS.has(ptype)) return false;
    return dropped.every((p) => inPayload(p, (field) => field !== 'type'));
  }
  if (type === 'session_meta') return dropped.every((p) => inPayload(p, (field) => typeof field === 'string' && !META_FIELDS.has(field)));
  if (type === 'event_msg' && ptype === 'exec_command_end') {
    if (!succeeded(payload.exit_code)) return false;
    return dropped.every((p) => inPayload(p, (field) => field !== 'type' && field !== 'exit_code'));
  }
  if (type === 'event_msg' && ptype === 'item_completed') {
    const item = recordAt(payload.item);
    if (item?.type !== 'CommandExecution' || !succeeded(item.exit_code, item.status)) return false;
    return dropped.every((p) => inPayload(p, (field, path) => field === 'item' && path.length >= 3 && typeof path[2] === 'string' && !COMMAND_FIELDS.has(path[2])));
  }
  if (IGNORED_ITEMS.has(type)) return dropped.every((p) => inPayload(p, () => true));
  return false;
}

function worthScanning(line: string): boolean {
  return WORTH_SCANNING.test(line);
}

/** Parser for one Codex rollout; resumable from its saved state. */
export class CodexParser implements TranscriptParser {
  private readonly state: CodexState;

  constructor(path: string, saved?: unknown) {
    this.state = restoreState(saved, path);
  }

  feedLine(line: string): ParseOutcome {
    const parsed = parseRecordLine(line, worthScanning, codexSkeletonSafe);
    if (!parsed.ok) return parsed;
    const record = parsed.value;
    const type = asString(record.type);
    const payload = asRecord(record.payload);
    if (type && payload) {
      this.state.format ??= 'envelope';
      widenTimeRange(this.state.digest, record.timestamp);
      return this.onEnvelope(type, payload);
    }
    return this.onLegacy(record, type);
  }

  saveState(): unknown {
    return this.state;
  }

  digests(): SessionDigest[] {
    if (!this.state.seen) return [];
    const t = this.state.digest.tokens;
    const reason = this.state.subagent
      ? 'subagent_thread'
      : this.state.sawAnswer || t.input + t.output > 0
        ? 'answers_without_prompt'
        : 'no_user_turn';
    return [withEmptyReason(this.state.digest, reason)];
  }

  private onEnvelope(type: string, payload: Record<string, unknown>): ParseOutcome {
    switch (type) {
      case 'session_meta':
        return this.onMeta(payload);
      case 'turn_context':
        return this.onTurnContext(payload);
      case 'response_item':
        return this.onResponseItem(payload, false);
      case 'event_msg':
        return this.onEvent(payload);
      default:
        if (IGNORED_ITEMS.has(type)) return { ok: true };
        countUnknownRecord(this.state.digest, type);
        return { ok: false, reason: 'unknown_record', detail: type };
    }
  }

  /** Rollouts before ~Sept 2025: a bare meta line, then bare response items and state markers. */
  private onLegacy(record: Record<string, unknown>, type: string | undefined): ParseOutcome {
    if (record.record_type !== undefined) return { ok: true };
    if (!type && !this.state.metaSeen && asString(record.id) && record.timestamp !== undefined) {
      this.state.format ??= 'legacy';
      return this.onMeta(record);
    }
    if (!type) return { ok: false, reason: 'missing_field', detail: 'type' };
    if (this.state.format === 'envelope') return { ok: false, reason: 'missing_field', detail: 'payload' };
    if (!RESPONSE_ITEM_TYPES.has(type)) {
      countUnknownRecord(this.state.digest, type);
      return { ok: false, reason: 'unknown_record', detail: type };
    }
    this.state.format ??= 'legacy';
    return this.onResponseItem(record, true);
  }

  private onMeta(meta: Record<string, unknown>): ParseOutcome {
    // Resumed and forked rollouts repeat session_meta; the first one names this session.
    if (this.state.metaSeen) return { ok: true };
    this.state.metaSeen = true;
    this.state.seen = true;
    const digest = this.state.digest;
    const id = asString(meta.id) ?? asString(meta.session_id);
    if (id) digest.sessionId = id;
    const started = widenTimeRange(digest, meta.timestamp);
    if (started) digest.startedAt = started;
    const git = asRecord(meta.git);
    const project: NonNullable<SessionDigest['project']> = { ...digest.project };
    const cwd = asString(meta.cwd);
    if (cwd) project.cwd = cwd;
    const branch = asString(git?.branch);
    if (branch) project.gitBranch = branch;
    const repo = asString(git?.repository_url);
    if (repo) project.gitRepo = repo;
    if (Object.keys(project).length > 0) digest.project = project;
    const source = meta.source;
    if (asString(meta.originator) === 'codex_exec') digest.headless = true;
    if (typeof source === 'string' && HEADLESS_SOURCES.has(source.toLowerCase())) digest.headless = true;
    if (asRecord(source)?.subagent !== undefined || asString(meta.thread_source) === 'subagent') this.state.subagent = true;
    const origin = codexOrigin(asString(meta.originator), asString(source));
    if (origin) digest.origin = origin;
    noteAgentVersion(digest, asString(meta.cli_version));
    const forkedFrom = asString(meta.forked_from_id);
    if (forkedFrom) {
      digest.forkedFrom = forkedFrom;
      this.state.forked = true;
    }
    return { ok: true };
  }

  private onTurnContext(payload: Record<string, unknown>): ParseOutcome {
    this.state.seen = true;
    addUnique(this.state.digest.models, asString(payload.model));
    const cwd = asString(payload.cwd);
    if (cwd && !this.state.digest.project?.cwd) this.state.digest.project = { ...this.state.digest.project, cwd };
    return { ok: true };
  }

  /** A user prompt from the one channel this rollout's format uses; injected context is dropped. */
  private acceptPrompt(text: string, at?: string, channel?: PromptChannel): boolean {
    const digest = this.state.digest;
    if (this.state.subagent) return false;
    if (channel) {
      this.state.promptChannel ??= channel;
      if (this.state.promptChannel !== channel) return false;
    }
    const trimmed = text.trim();
    if (!trimmed) return false;
    if (INTERRUPT_PATTERN.test(trimmed)) {
      recordInterrupt(digest, trimmed);
      return false;
    }
    if (codexInjectedKind(trimmed) !== undefined || isUnansweredRepeat(digest, trimmed)) return false;
    const prompt: { text: string; at?: string } = { text: trimmed };
    if (at) prompt.at = at;
    recordPrompt(digest, prompt);
    return true;
  }

  /** A failed tool call, once per call id. */
  private failCall(callId: string | undefined, tool: string, text: string): void {
    if (callId) {
      const seen = (this.state.failedCalls ??= []);
      if (seen.includes(callId)) return;
      seen.push(callId);
      if (seen.length > 64) seen.shift();
    }
    recordToolError(this.state.digest, tool, text);
  }

  /** 0.169+: `item_completed` events carry the person's messages, the answers and finished tool calls. */
  private onItemCompleted(payload: Record<string, unknown>): ParseOutcome {
    const digest = this.state.digest;
    const item = asRecord(payload.item);
    if (!item) return { ok: false, reason: 'missing_field', detail: 'item_completed.item' };
    switch (asString(item.type)) {
      case 'UserMessage': {
        const accepted = this.acceptPrompt(itemText(item.content), digest.endedAt, 'item_completed');
        // `$name` mentions arrive as skill parts beside the text: the skills this prompt invoked.
        if (accepted && Array.isArray(item.content)) {
          for (const part of item.content) {
            const p = asRecord(part);
            if (p?.type === 'skill') recordPromptSkill(digest, asString(p.name));
          }
        }
        return { ok: true };
      }
      case 'AgentMessage': {
        const text = itemText(item.content);
        if (text.trim()) this.state.sawAnswer = true;
        recordAnswer(digest, text, 'replace');
        return { ok: true };
      }
      case 'CommandExecution': {
        const code = item.exit_code;
        if ((typeof code === 'number' && code !== 0) || asString(item.status) === 'failed') {
          const output = asString(item.aggregated_output) ?? '';
          this.failCall(asString(item.id), 'exec_command', `exit code ${typeof code === 'number' ? code : '?'}: ${output}`);
        }
        return { ok: true };
      }
      case 'FileChange': {
        const changes = item.changes;
        if (Array.isArray(changes)) for (const change of changes) addUnique(digest.filesTouched, asString(asRecord(change)?.path));
        else if (asRecord(changes)) for (const file of Object.keys(changes as object)) addUnique(digest.filesTouched, file);
        if (asString(item.status) === 'failed') this.failCall(asString(item.id), 'apply_patch', 'patch failed');
        return { ok: true };
      }
      case 'McpToolCall': {
        const tool = asString(item.tool) ?? asString(item.name);
        const server = asString(item.server);
        const name = tool ? (server ? `mcp__${server}__${tool}` : tool) : undefined;
        addUnique(digest.tools, name);
        if (asString(item.status) === 'failed') this.failCall(asString(item.id), name ?? 'mcp', asString(asRecord(item.error)?.message) ?? 'MCP tool call failed');
        return { ok: true };
      }
      default:
        return { ok: true };
    }
  }

  private onEvent(payload: Record<string, unknown>): ParseOutcome {
    const digest = this.state.digest;
    this.state.seen = true;
    switch (asString(payload.type)) {
      case 'user_message': {
        const message = asString(payload.message);
        if (message === undefined) return { ok: false, reason: 'missing_field', detail: 'user_message.message' };
        this.acceptPrompt(message, digest.endedAt, 'user_message');
        return { ok: true };
      }
      case 'item_completed':
        return this.onItemCompleted(payload);
      case 'agent_message': {
        const text = asString(payload.message) ?? '';
        if (text.trim()) this.state.sawAnswer = true;
        recordAnswer(digest, text, 'replace');
        return { ok: true };
      }
      case 'task_complete':
        recordAnswer(digest, asString(payload.last_agent_message) ?? '', 'replace');
        return { ok: true };
      case 'turn_aborted':
        if (asString(payload.reason) === 'interrupted') recordInterrupt(digest, '[turn aborted: interrupted]');
        return { ok: true };
      case 'token_count': {
        const info = asRecord(payload.info);
        const total = asRecord(info?.total_token_usage);
        if (total) {
          if (this.state.forked && !this.state.tokenBase) {
            // A fork's thread total starts from the parent's; what came before its first request is the parent's.
            const last = asRecord(info?.last_token_usage);
            this.state.tokenBase = {
              input: Math.max(0, asCount(total.input_tokens) - asCount(last?.input_tokens)),
              output: Math.max(0, asCount(total.output_tokens) - asCount(last?.output_tokens)),
              cached: Math.max(0, asCount(total.cached_input_tokens) - asCount(last?.cached_input_tokens)),
            };
          }
          const base = this.state.tokenBase ?? { input: 0, output: 0, cached: 0 };
          // Cumulative per session; duplicated events must not move it backwards.
          digest.tokens.input = Math.max(digest.tokens.input, asCount(total.input_tokens) - base.input);
          digest.tokens.output = Math.max(digest.tokens.output, asCount(total.output_tokens) - base.output);
          digest.tokens.cachedInput = Math.max(digest.tokens.cachedInput, asCount(total.cached_input_tokens) - base.cached);
        }
        return { ok: true };
      }
      case 'exec_command_end': {
        const code = payload.exit_code;
        if (typeof code === 'number' && code !== 0) {
          const output = asString(payload.stderr) || asString(payload.aggregated_output) || asString(payload.formatted_output) || '';
          this.failCall(asString(payload.call_id), 'exec_command', `exit code ${code}: ${output}`);
        }
        return { ok: true };
      }
      case 'patch_apply_end': {
        const changes = asRecord(payload.changes);
        if (changes) for (const file of Object.keys(changes)) addUnique(digest.filesTouched, file);
        return { ok: true };
      }
      default:
        return { ok: true };
    }
  }

  private onResponseItem(item: Record<string, unknown>, legacy: boolean): ParseOutcome {
    const digest = this.state.digest;
    this.state.seen = true;
    const type = asString(item.type);
    switch (type) {
      case 'message': {
        const role = asString(item.role);
        const text = textOfContent(item.content);
        if (role === 'user') {
          for (const skill of codexSkillNames(text)) addUnique(digest.skills, skill);
          if (!digest.project?.cwd) {
            const cwd = cwdFromEnvironmentContext(text);
            if (cwd) digest.project = { ...digest.project, cwd };
          }
          // Envelope rollouts echo the prompt as event_msg/user_message: counting both would double it.
          if (legacy) this.acceptPrompt(text);
        } else if (role === 'assistant' && legacy) {
          recordAnswer(digest, text, 'replace');
        }
        return { ok: true };
      }
      case 'function_call':
      case 'custom_tool_call': {
        const name = asString(item.name);
        if (!name) return { ok: false, reason: 'missing_field', detail: `${type}.name` };
        addUnique(digest.tools, name);
        if (name === 'apply_patch') {
          const body = asString(item.input) ?? asString(item.arguments) ?? '';
          for (const file of filesInPatch(body.replace(/\\n/g, '\n'))) addUnique(digest.filesTouched, file);
        }
        return { ok: true };
      }
      case 'local_shell_call':
        addUnique(digest.tools, 'local_shell');
        return { ok: true };
      case 'web_search_call':
        addUnique(digest.tools, 'web_search');
        return { ok: true };
      case 'tool_search_call':
        addUnique(digest.tools, 'tool_search');
        return { ok: true };
      case undefined:
        return { ok: false, reason: 'missing_field', detail: 'response_item.type' };
      default:
        return { ok: true };
    }
  }
}
