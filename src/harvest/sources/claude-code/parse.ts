import { basename } from 'node:path';
import type { ParseOutcome, SessionDigest, TranscriptParser } from '../../types.js';
import {
  addUnique,
  asCount,
  asRecord,
  asString,
  countUnknownRecord,
  createDigest,
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
import { classifyUserText } from './prompt-rules.js';
import { parseRecordLine, recordAt, type DroppedPath } from '../../skeleton.js';

/**
 * Record types Claude Code writes that carry nothing a digest needs (reference 1.4); not counted as unknown.
 * 2.1.3xx adds request bookkeeping: `api-request` (parameters), `api-request-shape` (system prompt and tool
 * schemas), `api-request-blob` (content-addressed copies of the messages sent, whose role-user content is
 * injected context and earlier prompts: never a prompt), `atis-latch`, `cost-state` (running cost).
 */
const IGNORED_TYPES: ReadonlySet<string> = new Set([
  'summary', 'system', 'progress', 'custom-title', 'ai-title', 'agent-name', 'agent-setting', 'mode',
  'permission-mode', 'pr-link', 'bridge-session', 'last-prompt', 'tag', 'worktree-state',
  'api-request', 'api-request-shape', 'api-request-blob', 'atis-latch', 'cost-state',
]);

/** Tools whose input names a file the agent changed. */
const EDIT_TOOLS: ReadonlySet<string> = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

/** Bounded memories inside the saved state: enough for interleaving, never growing with the file. */
const USAGE_GROUPS_KEPT = 64;
const RECENT_KEPT = 32;

interface Usage {
  input: number;
  output: number;
  cached: number;
}

/** What the Claude Code parser saves with a checkpoint. */
interface ClaudeState {
  v: 1;
  digest: SessionDigest;
  seenConversation: boolean;
  usage: Array<[string, Usage]>;
  lastAnswerKey?: string | undefined;
  promptUuids: string[];
  /** tool_use id -> tool name, so an error result can name its tool (bounded). */
  toolNames?: Array<[string, string]>;
  /** The rule that dropped the latest non-prompt user text, so a session without prompts can say why. */
  droppedRule?: string | undefined;
  /** An assistant answer was seen (a session with answers and no prompt is format drift, not silence). */
  sawAnswer?: boolean;
}

/** Saved state back to a valid state; anything damaged falls back to empty parts, never a throw later. */
function restoreState(saved: unknown, path: string): ClaudeState {
  const state = asRecord(saved);
  const sessionId = sessionIdFromPath(path);
  if (state?.v !== 1) {
    return { v: 1, digest: createDigest('claude-code', sessionId), seenConversation: false, usage: [], promptUuids: [] };
  }
  const usage: Array<[string, Usage]> = [];
  if (Array.isArray(state.usage)) {
    for (const entry of state.usage) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
      const u = asRecord(entry[1]);
      usage.push([entry[0], { input: asCount(u?.input), output: asCount(u?.output), cached: asCount(u?.cached) }]);
    }
  }
  return {
    v: 1,
    digest: restoreDigest(state.digest, 'claude-code', sessionId),
    seenConversation: state.seenConversation === true,
    usage,
    lastAnswerKey: asString(state.lastAnswerKey),
    promptUuids: Array.isArray(state.promptUuids) ? state.promptUuids.filter((u): u is string => typeof u === 'string') : [],
    toolNames: Array.isArray(state.toolNames)
      ? state.toolNames.filter((e): e is [string, string] => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string')
      : [],
    droppedRule: asString(state.droppedRule),
    sawAnswer: state.sawAnswer === true,
  };
}

/** The session id of a Claude Code transcript: its file name without `.jsonl`. */
export function sessionIdFromPath(path: string): string {
  return basename(path).replace(/\.jsonl$/i, '');
}

function pushBounded(list: string[], value: string, max = RECENT_KEPT): void {
  list.push(value);
  if (list.length > max) list.splice(0, list.length - max);
}

function usageOf(raw: unknown): Usage | undefined {
  const usage = asRecord(raw);
  if (!usage) return undefined;
  const cached = asCount(usage.cache_read_input_tokens);
  // Input counts every prompt token, cached or not, so Claude and Codex totals mean the same thing.
  const input = asCount(usage.input_tokens) + asCount(usage.cache_creation_input_tokens) + cached;
  return { input, output: asCount(usage.output_tokens), cached };
}

/** What kind of front end an `entrypoint` names: `cli`, `sdk` (claude -p, the Agent SDK), `ide`, `desktop`. */
export function originOfEntrypoint(entrypoint: string): string {
  const e = entrypoint.toLowerCase();
  if (e.startsWith('sdk')) return 'sdk';
  if (e.includes('vscode') || e.includes('jetbrains') || e.includes('ide')) return 'ide';
  if (e.includes('desktop')) return 'desktop';
  if (e === 'cli') return 'cli';
  return e.slice(0, 40);
}

/** The `tool_use` input fields onToolUse reads (the edited file, the invoked skill). */
const READ_INPUT_FIELDS: ReadonlySet<string> = new Set(['file_path', 'notebook_path', 'skill', 'command']);

/** Record kinds whose long strings the parser never reads: tool results and calls, attachments, request bookkeeping. */
const WORTH_SCANNING = /"(?:tool_result|toolUseResult|tool_use|thinking|attachment|api-request[a-z-]*)"/;

function isQuietToolResult(block: unknown): boolean {
  const b = recordAt(block);
  return b?.type === 'tool_result' && b.is_error !== true;
}

/** A dropped string inside content block `index` of the message that the parser never reads. */
function unreadInBlock(record: Record<string, unknown>, p: DroppedPath): boolean {
  if (p[0] !== 'message' || p[1] !== 'content' || typeof p[2] !== 'number' || p.length < 4) return false;
  const content = recordAt(record.message)?.content;
  const block = Array.isArray(content) ? recordAt(content[p[2]]) : undefined;
  if (!block) return false;
  if (record.type === 'user') return p[3] === 'content' && isQuietToolResult(block); // an error's output is read
  if (record.type !== 'assistant') return false;
  if (block.type === 'tool_use') return p[3] === 'input' && p.length >= 5 && typeof p[4] === 'string' && !READ_INPUT_FIELDS.has(p[4]);
  return (block.type === 'thinking' || block.type === 'redacted_thinking') && p[3] !== 'type';
}

/**
 * Whether this parser, fed a skeleton (long strings left out), does exactly what it does with the whole record: an
 * allow-list mirroring what feedLine's branches read. Never read: `toolUseResult` (the tool's structured output),
 * a tool result's output unless it is an error, a tool call's input beyond the file and skill it names, thinking,
 * an attachment other than a queued prompt, and everything but `version` in the ignored bookkeeping records.
 */
export function claudeSkeletonSafe(record: Record<string, unknown>, dropped: readonly DroppedPath[]): boolean {
  const type = record.type;
  if (typeof type !== 'string') return false;
  if (IGNORED_TYPES.has(type)) return dropped.every((p) => p.length >= 2 || (p[0] !== 'type' && p[0] !== 'version'));
  if (type === 'user' || type === 'assistant') return dropped.every((p) => (p[0] === 'toolUseResult' && p.length >= 1) || unreadInBlock(record, p));
  if (type === 'attachment') {
    const attachment = recordAt(record.attachment);
    if (!attachment || attachment.type === 'queued_command') return false;
    return dropped.every((p) => p[0] === 'toolUseResult' || (p[0] === 'attachment' && p.length >= 2 && p[1] !== 'type'));
  }
  return false;
}

function worthScanning(line: string): boolean {
  return WORTH_SCANNING.test(line);
}

/** Parser for one Claude Code session file; resumable from its saved state. */
export class ClaudeCodeParser implements TranscriptParser {
  private readonly state: ClaudeState;

  constructor(path: string, saved?: unknown) {
    this.state = restoreState(saved, path);
  }

  feedLine(line: string): ParseOutcome {
    const parsed = parseRecordLine(line, worthScanning, claudeSkeletonSafe);
    if (!parsed.ok) return parsed;
    const record = parsed.value;
    const type = asString(record.type);
    if (!type) return { ok: false, reason: 'missing_field', detail: 'type' };
    switch (type) {
      case 'user':
        return this.onUser(record);
      case 'assistant':
        return this.onAssistant(record);
      case 'queue-operation':
        return this.onQueue(record);
      case 'attachment':
        return this.onAttachment(record);
      case 'file-history-snapshot':
        return this.onSnapshot(record);
      case 'tools-used':
        // 2.1.3xx: a running list of the tools this session used; the tool_use blocks already name them.
        if (Array.isArray(record.tools)) for (const tool of record.tools) addUnique(this.state.digest.tools, asString(tool));
        return { ok: true };
      default:
        if (IGNORED_TYPES.has(type)) {
          noteAgentVersion(this.state.digest, asString(record.version));
          return { ok: true };
        }
        countUnknownRecord(this.state.digest, type);
        return { ok: false, reason: 'unknown_record', detail: type };
    }
  }

  saveState(): unknown {
    return this.state;
  }

  digests(): SessionDigest[] {
    if (!this.state.seenConversation) return [];
    const reason = this.state.droppedRule ? `only_${this.state.droppedRule}` : this.state.sawAnswer ? 'answers_without_prompt' : 'no_user_turn';
    return [withEmptyReason(this.state.digest, reason)];
  }

  /** Envelope fields every conversation record carries: time, project, how the session was started. */
  private onEnvelope(record: Record<string, unknown>): void {
    const digest = this.state.digest;
    this.state.seenConversation = true;
    widenTimeRange(digest, record.timestamp);
    const cwd = asString(record.cwd);
    if (cwd && !digest.project?.cwd) digest.project = { ...digest.project, cwd };
    const branch = asString(record.gitBranch);
    if (branch && !digest.project?.gitBranch) digest.project = { ...digest.project, gitBranch: branch };
    noteAgentVersion(digest, asString(record.version));
    const entrypoint = asString(record.entrypoint);
    // `claude -p` and the Agent SDK write entrypoint sdk-*; the interactive CLI and IDE plugins do not.
    if (entrypoint?.startsWith('sdk')) digest.headless = true;
    if (entrypoint && !digest.origin) digest.origin = originOfEntrypoint(entrypoint);
  }

  private onUser(record: Record<string, unknown>): ParseOutcome {
    const message = asRecord(record.message);
    if (!message) return { ok: false, reason: 'missing_field', detail: 'message' };
    this.onEnvelope(record);
    // Sub-agent turns are the parent model's words; compact summaries are the harness's.
    if (record.isSidechain === true || record.isCompactSummary === true) {
      this.state.droppedRule ??= record.isSidechain === true ? 'sidechain' : 'compact_summary';
      return { ok: true };
    }
    const content = message.content;
    let text: string;
    if (typeof content === 'string') {
      text = content;
    } else if (Array.isArray(content)) {
      const texts: string[] = [];
      for (const block of content) {
        const b = asRecord(block);
        if (b?.type === 'text' && typeof b.text === 'string') texts.push(b.text);
        if (b?.type === 'tool_result' && b.is_error === true) this.onToolError(b);
      }
      text = texts.join('\n');
    } else {
      return { ok: false, reason: 'missing_field', detail: 'message.content' };
    }
    if (!text.trim()) return { ok: true }; // tool results only
    // 2.1.3xx says who wrote a turn: `origin.kind` "human" for typed prompts; any other kind is the harness's.
    const originKind = asString(asRecord(record.origin)?.kind);
    if (originKind !== undefined && originKind !== 'human') {
      this.state.droppedRule = `origin_${originKind.slice(0, 40)}`;
      return { ok: true };
    }
    const verdict = classifyUserText(text);
    if (verdict.kind === 'interrupt') {
      recordInterrupt(this.state.digest, verdict.text);
      return { ok: true };
    }
    // isMeta bodies (expanded slash commands, caveats) are written by the harness.
    if (record.isMeta === true || verdict.kind === 'injected') {
      if (verdict.kind === 'injected' && record.isMeta !== true) this.state.droppedRule = verdict.rule;
      return { ok: true };
    }
    const uuid = asString(record.uuid);
    if (uuid) {
      if (this.state.promptUuids.includes(uuid)) return { ok: true }; // the same record written twice
      pushBounded(this.state.promptUuids, uuid);
    }
    this.acceptPrompt(verdict.text, asString(record.timestamp), verdict.command);
    return { ok: true };
  }

  /**
   * Count a prompt once: a queued prompt can arrive both as a queued_command attachment and as a user
   * record. The same text again with no answer in between is that duplicate; after an answer it is a re-ask.
   */
  private acceptPrompt(text: string, at: string | undefined, command?: string): void {
    const digest = this.state.digest;
    if (isUnansweredRepeat(digest, text.trim())) return;
    const prompt: { text: string; at?: string; command?: string } = { text: text.trim() };
    const iso = widenTimeRange(digest, at);
    if (iso) prompt.at = iso;
    if (command) prompt.command = command;
    recordPrompt(digest, prompt);
    // A custom command or skill typed as `/name args`: the name is the skill this prompt invoked.
    if (command) recordPromptSkill(digest, command);
    this.state.lastAnswerKey = undefined;
  }

  private onAssistant(record: Record<string, unknown>): ParseOutcome {
    const message = asRecord(record.message);
    if (!message) return { ok: false, reason: 'missing_field', detail: 'message' };
    this.onEnvelope(record);
    const digest = this.state.digest;
    const model = asString(message.model);
    if (model && model !== '<synthetic>') addUnique(digest.models, model);
    const key = `${asString(message.id) ?? asString(record.uuid) ?? ''}:${asString(record.requestId) ?? ''}`;
    this.countUsage(key, usageOf(message.usage));
    const sidechain = record.isSidechain === true;
    const content = Array.isArray(message.content) ? message.content : [];
    for (const block of content) {
      const b = asRecord(block);
      if (!b) continue;
      if (b.type === 'tool_use') this.onToolUse(b);
      else if (b.type === 'text' && !sidechain && model !== '<synthetic>' && typeof b.text === 'string') {
        // One response is split into one record per block; its text blocks form one answer.
        recordAnswer(digest, b.text, this.state.lastAnswerKey === key ? 'append' : 'replace');
        this.state.lastAnswerKey = key;
        this.state.sawAnswer = true;
      }
    }
    return { ok: true };
  }

  /** Records of one response repeat a growing usage snapshot: count only the growth. */
  private countUsage(key: string, usage: Usage | undefined): void {
    if (!usage) return;
    const tokens = this.state.digest.tokens;
    const entry = this.state.usage.find(([k]) => k === key);
    const before = entry?.[1] ?? { input: 0, output: 0, cached: 0 };
    tokens.input += Math.max(0, usage.input - before.input);
    tokens.output += Math.max(0, usage.output - before.output);
    tokens.cachedInput += Math.max(0, usage.cached - before.cached);
    const merged = {
      input: Math.max(before.input, usage.input),
      output: Math.max(before.output, usage.output),
      cached: Math.max(before.cached, usage.cached),
    };
    if (entry) entry[1] = merged;
    else {
      this.state.usage.push([key, merged]);
      if (this.state.usage.length > USAGE_GROUPS_KEPT) this.state.usage.shift();
    }
  }

  private onToolError(block: Record<string, unknown>): void {
    const id = asString(block.tool_use_id);
    const tool = (id && this.state.toolNames?.find(([k]) => k === id)?.[1]) ?? 'unknown';
    const content = block.content;
    const text = typeof content === 'string' ? content : Array.isArray(content) ? content.map((c) => asString(asRecord(c)?.text) ?? '').join('\n') : '';
    recordToolError(this.state.digest, tool, text);
  }

  private onToolUse(block: Record<string, unknown>): void {
    const digest = this.state.digest;
    const name = asString(block.name);
    if (!name) return;
    addUnique(digest.tools, name);
    const id = asString(block.id);
    if (id) {
      const names = (this.state.toolNames ??= []);
      names.push([id, name]);
      if (names.length > 200) names.shift();
    }
    const input = asRecord(block.input);
    if (!input) return;
    // The model invoking a skill for the current prompt (the Skill tool) counts as that prompt's skill.
    if (name === 'Skill') recordPromptSkill(digest, asString(input.skill) ?? asString(input.command));
    if (EDIT_TOOLS.has(name)) addUnique(digest.filesTouched, asString(input.file_path) ?? asString(input.notebook_path));
  }

  /** Queue operations only announce a prompt; it is counted when delivered (user record or attachment). */
  private onQueue(record: Record<string, unknown>): ParseOutcome {
    widenTimeRange(this.state.digest, record.timestamp);
    return { ok: true };
  }

  private onAttachment(record: Record<string, unknown>): ParseOutcome {
    const attachment = asRecord(record.attachment);
    if (!attachment) return { ok: false, reason: 'missing_field', detail: 'attachment' };
    // A prompt typed while the agent was busy can be delivered mid-turn as a queued_command attachment.
    if (attachment.type === 'queued_command' && record.isSidechain !== true) {
      const prompt = asString(attachment.prompt) ?? asString(attachment.content);
      if (prompt) {
        const verdict = classifyUserText(prompt);
        if (verdict.kind === 'prompt') this.acceptPrompt(verdict.text, asString(record.timestamp), verdict.command);
      }
    }
    widenTimeRange(this.state.digest, record.timestamp);
    return { ok: true };
  }

  private onSnapshot(record: Record<string, unknown>): ParseOutcome {
    const snapshot = asRecord(record.snapshot);
    const tracked = asRecord(snapshot?.trackedFileBackups);
    if (tracked) for (const file of Object.keys(tracked)) addUnique(this.state.digest.filesTouched, file);
    return { ok: true };
  }
}
