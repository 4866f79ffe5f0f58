import type { ParseOutcome, SessionDigest } from '../../types.js';
import { addUnique, asCount, asRecord, asString, createDigest, recordAnswer, recordInterrupt, recordPrompt, toUtcIso, widenTimeRange } from '../../digest.js';
import { isOwnReplayCwd } from '../../../core/own-replay.js';
import { feedJsonLine } from '../../json-line.js';
import { filesFromToolCall, isBookkeepingTool, skillFromToolCall } from './tools.js';

/** Project facts known before reading events (from `workspace.yaml` beside `events.jsonl`). */
export interface CliSessionContext {
  /** Session id when no `session.start` says otherwise: the session folder or file name. */
  fallbackId: string;
  project?: { cwd?: string; gitBranch?: string; gitRepo?: string };
}

/** Everything an events parser keeps between lines; plain JSON so it can be stored with a checkpoint. */
export interface CliEventsState {
  version: 1;
  digest: SessionDigest;
  /** Model picked with `/model` (used when no main-agent message names one). */
  selectedModel?: string;
  /** Main-agent message models, in first-seen order. */
  messageModels: string[];
  /** Output tokens summed from messages, used until a `session.shutdown` gives the real totals. */
  streamedOutput: number;
  /**
   * Totals from the latest `session.shutdown`. Assumption (one real file has one shutdown): a later shutdown
   * after a resume reports the session's totals again, so the latest wins instead of summing twice.
   */
  shutdownTokens?: SessionDigest['tokens'];
}

// Event families the CLI writes; a type outside them is format drift worth counting.
const KNOWN_PREFIXES = ['session.', 'system.', 'user.', 'assistant.', 'tool.', 'hook.', 'subagent.', 'skill.', 'permission.', 'pending_messages.'];
const KNOWN_TYPES = new Set(['abort']);

// The CLI's system prompt says so when it runs as `copilot -p` (observed in 1.0.55).
const HEADLESS_MARKER = /non-interactive mode/i;

/** A fresh state for a session file. */
export function createCliEventsState(context: CliSessionContext): CliEventsState {
  const digest = createDigest('copilot-cli', context.fallbackId);
  const project = context.project;
  if (project && (project.cwd || project.gitBranch || project.gitRepo)) digest.project = { ...project };
  digest.ownReplay = isOwnReplayCwd(project?.cwd);
  return { version: 1, digest, messageModels: [], streamedOutput: 0 };
}

/** Sub-agent traffic is model-to-model: it carries an event-level `agentId` or a `parentToolCallId`. */
function isSubAgent(event: Record<string, unknown>, data: Record<string, unknown>): boolean {
  return asString(event.agentId) !== undefined || asString(data.parentToolCallId) !== undefined;
}

function applyContext(state: CliEventsState, data: Record<string, unknown>): void {
  const context = asRecord(data.context) ?? data;
  const cwd = asString(context.cwd) ?? asString(context.gitRoot);
  const branch = asString(context.branch);
  const repo = asString(context.repository) ?? asString(asRecord(context.repository)?.name);
  if (!cwd && !branch && !repo) return;
  const project = { ...state.digest.project };
  if (cwd) project.cwd = cwd;
  if (branch) project.gitBranch = branch;
  if (repo) project.gitRepo = repo;
  state.digest.project = project;
  state.digest.ownReplay = isOwnReplayCwd(project.cwd);
}

function readShutdown(state: CliEventsState, data: Record<string, unknown>): void {
  const metrics = asRecord(data.modelMetrics);
  if (!metrics) return;
  // `inputTokens` already includes cache reads and writes; `cachedInput` is the cache-read share of it.
  const tokens = { input: 0, output: 0, cachedInput: 0 };
  for (const value of Object.values(metrics)) {
    const usage = asRecord(asRecord(value)?.usage);
    if (!usage) continue;
    tokens.input += asCount(usage.inputTokens);
    tokens.output += asCount(usage.outputTokens);
    tokens.cachedInput += asCount(usage.cacheReadTokens);
  }
  state.shutdownTokens = tokens;
  const changes = asRecord(data.codeChanges);
  if (Array.isArray(changes?.filesModified)) for (const file of changes.filesModified) addUnique(state.digest.filesTouched, asString(file));
}

function readToolCall(state: CliEventsState, name: string | undefined, args: unknown): void {
  if (!name) return;
  if (!isBookkeepingTool(name)) addUnique(state.digest.tools, name);
  addUnique(state.digest.skills, skillFromToolCall(name, args));
  for (const file of filesFromToolCall(name, args)) addUnique(state.digest.filesTouched, file);
}

/** Apply one parsed event to the state. Never throws; unknown event families are reported as skips. */
export function applyCliEvent(state: CliEventsState, event: Record<string, unknown>): ParseOutcome {
  const type = asString(event.type);
  if (!type) return { ok: false, reason: 'missing_field', detail: 'type' };
  if (!KNOWN_TYPES.has(type) && !KNOWN_PREFIXES.some((prefix) => type.startsWith(prefix))) {
    return { ok: false, reason: 'unknown_record', detail: type.slice(0, 60) };
  }
  const data = asRecord(event.data) ?? {};
  const digest = state.digest;
  widenTimeRange(digest, event.timestamp);
  const sub = isSubAgent(event, data);
  switch (type) {
    case 'session.start':
    case 'session.resume': {
      const id = asString(data.sessionId);
      if (id && type === 'session.start') digest.sessionId = id;
      widenTimeRange(digest, data.startTime);
      applyContext(state, data);
      break;
    }
    case 'session.context_changed':
      applyContext(state, data);
      break;
    case 'session.model_change':
      state.selectedModel = asString(data.newModel) ?? state.selectedModel;
      break;
    case 'session.shutdown':
      readShutdown(state, data);
      break;
    case 'system.message':
      if (!sub && HEADLESS_MARKER.test(asString(data.content) ?? '')) digest.headless = true;
      break;
    case 'user.message': {
      if (sub) break;
      // `content` is what was typed; `transformedContent` adds the harness's injected context.
      const text = asString(data.content);
      if (text === undefined) return { ok: false, reason: 'missing_field', detail: 'user.message content' };
      if (!text.trim()) break;
      const at = toUtcIso(event.timestamp);
      recordPrompt(digest, at ? { text, at } : { text });
      break;
    }
    case 'assistant.message': {
      if (sub) {
        state.streamedOutput += asCount(data.outputTokens);
        break;
      }
      const model = asString(data.model);
      addUnique(state.messageModels, model);
      state.streamedOutput += asCount(data.outputTokens);
      const content = asString(data.content);
      if (content?.trim()) recordAnswer(digest, content.trim(), 'replace');
      if (Array.isArray(data.toolRequests)) {
        for (const raw of data.toolRequests) {
          const request = asRecord(raw);
          if (request) readToolCall(state, asString(request.name), request.arguments);
        }
      }
      break;
    }
    case 'tool.execution_start':
      if (sub) {
        // Edits a sub-agent made still changed the user's files.
        const name = asString(data.toolName);
        if (name) for (const file of filesFromToolCall(name, data.arguments)) addUnique(digest.filesTouched, file);
        break;
      }
      readToolCall(state, asString(data.toolName), data.arguments);
      break;
    case 'skill.invoked':
      if (!sub) addUnique(digest.skills, asString(data.name) ?? asString(data.skillName) ?? asString(data.skill));
      break;
    case 'abort':
      recordInterrupt(digest, asString(data.reason) ?? 'abort');
      break;
    default:
      break;
  }
  return { ok: true };
}

/** Feed one raw line: parse, then apply. Never throws. */
export function feedCliLine(state: CliEventsState, line: string): ParseOutcome {
  return feedJsonLine(line, (record) => applyCliEvent(state, record));
}

/** The digest as of now: models and token totals resolved from what the events said. */
export function digestFromCliState(state: CliEventsState): SessionDigest | undefined {
  const digest = structuredClone(state.digest);
  if (digest.prompts.length === 0) return undefined;
  digest.models = state.messageModels.length > 0 ? [...state.messageModels] : state.selectedModel ? [state.selectedModel] : [];
  digest.tokens = state.shutdownTokens ? { ...state.shutdownTokens } : { input: 0, output: state.streamedOutput, cachedInput: 0 };
  return digest;
}
