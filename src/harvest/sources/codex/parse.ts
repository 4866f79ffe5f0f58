import { basename } from 'node:path';
import type { ParseOutcome, SessionDigest, TranscriptParser } from '../../types.js';
import {
  addUnique,
  asCount,
  asRecord,
  asString,
  createDigest,
  INTERRUPT_PATTERN,
  isUnansweredRepeat,
  recordAnswer,
  recordInterrupt,
  recordPrompt,
  recordToolError,
  restoreDigest,
  widenTimeRange,
} from '../../digest.js';
import { codexInjectedKind, codexSkillNames, cwdFromEnvironmentContext, filesInPatch } from './injected.js';
import { parseJsonObjectLine } from '../../json-line.js';

/** Envelope item types that carry nothing a digest needs. */
const IGNORED_ITEMS: ReadonlySet<string> = new Set([
  'compacted', 'world_state', 'inter_agent_communication', 'inter_agent_communication_metadata',
]);

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
  return restored;
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

/** Parser for one Codex rollout; resumable from its saved state. */
export class CodexParser implements TranscriptParser {
  private readonly state: CodexState;

  constructor(path: string, saved?: unknown) {
    this.state = restoreState(saved, path);
  }

  feedLine(line: string): ParseOutcome {
    const parsed = parseJsonObjectLine(line);
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
    return this.state.seen ? [this.state.digest] : [];
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
        return IGNORED_ITEMS.has(type) ? { ok: true } : { ok: false, reason: 'unknown_record', detail: type };
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
    if (!RESPONSE_ITEM_TYPES.has(type)) return { ok: false, reason: 'unknown_record', detail: type };
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
    if (asRecord(source)?.subagent !== undefined) this.state.subagent = true;
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
  private acceptPrompt(text: string, at?: string): void {
    const digest = this.state.digest;
    if (this.state.subagent) return;
    const trimmed = text.trim();
    if (!trimmed) return;
    if (INTERRUPT_PATTERN.test(trimmed)) {
      recordInterrupt(digest, trimmed);
      return;
    }
    if (codexInjectedKind(trimmed) !== undefined || isUnansweredRepeat(digest, trimmed)) return;
    const prompt: { text: string; at?: string } = { text: trimmed };
    if (at) prompt.at = at;
    recordPrompt(digest, prompt);
  }

  private onEvent(payload: Record<string, unknown>): ParseOutcome {
    const digest = this.state.digest;
    this.state.seen = true;
    switch (asString(payload.type)) {
      case 'user_message': {
        const message = asString(payload.message);
        if (message === undefined) return { ok: false, reason: 'missing_field', detail: 'user_message.message' };
        this.acceptPrompt(message, digest.endedAt);
        return { ok: true };
      }
      case 'agent_message':
        recordAnswer(digest, asString(payload.message) ?? '', 'replace');
        return { ok: true };
      case 'task_complete':
        recordAnswer(digest, asString(payload.last_agent_message) ?? '', 'replace');
        return { ok: true };
      case 'turn_aborted':
        if (asString(payload.reason) === 'interrupted') recordInterrupt(digest, '[turn aborted: interrupted]');
        return { ok: true };
      case 'token_count': {
        const total = asRecord(asRecord(payload.info)?.total_token_usage);
        if (total) {
          // Cumulative per session; duplicated events must not move it backwards.
          digest.tokens.input = Math.max(digest.tokens.input, asCount(total.input_tokens));
          digest.tokens.output = Math.max(digest.tokens.output, asCount(total.output_tokens));
          digest.tokens.cachedInput = Math.max(digest.tokens.cachedInput, asCount(total.cached_input_tokens));
        }
        return { ok: true };
      }
      case 'exec_command_end': {
        const code = payload.exit_code;
        if (typeof code === 'number' && code !== 0) {
          const output = asString(payload.stderr) || asString(payload.aggregated_output) || asString(payload.formatted_output) || '';
          recordToolError(digest, 'exec_command', `exit code ${code}: ${output}`);
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
