import type { SessionDigest, SkipReason } from '../../types.js';
import { addUnique, asCount, asRecord, asString, createDigest, recordAnswer, recordPrompt, toUtcIso, widenTimeRange } from '../../digest.js';
import { isOwnReplayCwd } from '../../../core/own-replay.js';
import { skillFromPath, uriToPath } from './uri.js';

/** What the file's location tells us about a session (its JSON does not carry the project). */
export interface ChatSessionContext {
  /** Used when the document has no `sessionId` (exports, old versions): the file name without extension. */
  fallbackId: string;
  project?: { cwd?: string };
}

/** One skipped record inside a session document. */
export interface ChatSkip {
  reason: SkipReason;
  detail?: string;
}

/** The text VS Code writes for the "Try Again" button: a retry of the previous request, not a new prompt. */
export const TRY_AGAIN_PATTERN = /^\s*@agent\s+try\s+again\s*$/i;

const COPILOT_EXTENSION = 'github.copilot-chat';

// ResponseModelState.Cancelled in VS Code's chat model (Pending=0, Complete=1, Cancelled=2, Failed=3).
const MODEL_STATE_CANCELLED = 2;

// Edit tools whose input names the file they change (VS Code's built-in agent tools).
const EDIT_TOOL_PATTERN = /(replace_?string|multi_?replace|create_?file|insert_?edit|apply_?patch|edit_?file|editFiles)/i;

/**
 * Digest one VS Code chat session object (a `chatSessions/*.json` document, the replayed `.jsonl` log,
 * or a "Chat: Export Chat" file). Pure; never throws. No digest when the session has no real prompt.
 */
export function digestChatSession(session: unknown, context: ChatSessionContext): { digest?: SessionDigest; skips: ChatSkip[] } {
  const skips: ChatSkip[] = [];
  const doc = asRecord(session);
  if (!doc) return { skips: [{ reason: 'not_a_session', detail: 'session is not an object' }] };
  if (!Array.isArray(doc.requests)) return { skips: [{ reason: 'missing_field', detail: 'requests' }] };
  const sessionId = asString(doc.sessionId)?.trim() || context.fallbackId;
  const digest = createDigest('copilot-chat', sessionId);
  const cwd = context.project?.cwd;
  if (cwd) digest.project = { cwd };
  digest.ownReplay = isOwnReplayCwd(cwd);
  widenTimeRange(digest, doc.creationDate);
  widenTimeRange(digest, doc.lastMessageDate);

  for (const raw of doc.requests) {
    const request = asRecord(raw);
    if (!request) {
      skips.push({ reason: 'unknown_record', detail: 'request is not an object' });
      continue;
    }
    // Requests VS Code made on its own, or that another extension's participant answered, are not Copilot work.
    if (request.isSystemInitiated === true || !isCopilotRequest(request)) continue;
    const message = asRecord(request.message);
    const text = asString(message?.text) ?? asString(request.message);
    if (text === undefined || !text.trim()) {
      skips.push({ reason: 'missing_field', detail: 'request.message.text' });
      continue;
    }
    const at = toUtcIso(request.timestamp);
    widenTimeRange(digest, request.timestamp);
    widenTimeRange(digest, asRecord(request.modelState)?.completedAt);

    const retry = TRY_AGAIN_PATTERN.test(text) && digest.prompts.length > 0;
    if (retry) {
      // "Try Again" re-runs the previous request: its answer replaces the old one, and it says the old one missed.
      digest.feedback.push({ kind: 're-ask', text: text.trim(), promptIndex: digest.prompts.length - 1 });
    } else {
      const prompt: { text: string; at?: string; command?: string } = { text };
      if (at) prompt.at = at;
      const command = commandOf(message);
      if (command) prompt.command = command;
      recordPrompt(digest, prompt);
    }
    addUnique(digest.models, asString(request.modelId));
    readResponse(digest, request.response);
    readEditedFiles(digest, request.editedFileEvents);
    readTokens(digest, asRecord(request.result));
    if (wasCancelled(request)) {
      digest.feedback.push({ kind: 'interrupt', text: text.trim().slice(0, 200), promptIndex: digest.prompts.length - 1 });
    }
  }
  if (digest.prompts.length === 0) {
    skips.push({ reason: 'not_a_session', detail: 'no user requests' });
    return { skips };
  }
  return { digest, skips };
}

function isCopilotRequest(request: Record<string, unknown>): boolean {
  const agent = asRecord(request.agent);
  if (!agent) return true;
  const ext = asRecord(agent.extensionId);
  const id = asString(ext?._lower) ?? asString(ext?.value) ?? asString(agent.extensionId);
  // Older files have no extension id; only an explicit other extension is excluded.
  return id === undefined || id.toLowerCase() === COPILOT_EXTENSION;
}

function commandOf(message: Record<string, unknown> | undefined): string | undefined {
  if (!message || !Array.isArray(message.parts)) return undefined;
  for (const raw of message.parts) {
    const part = asRecord(raw);
    if (!part) continue;
    const kind = asString(part.kind);
    if (kind === 'slash') return asString(asRecord(part.slashCommand)?.name) ?? asString(part.name);
    if (kind === 'prompt' || kind === 'promptFile') return asString(part.name) ?? asString(asRecord(part.slashPromptCommand)?.command);
  }
  return undefined;
}

function wasCancelled(request: Record<string, unknown>): boolean {
  if (request.isCanceled === true) return true;
  return asRecord(request.modelState)?.value === MODEL_STATE_CANCELLED;
}

function markdownOf(part: Record<string, unknown>): string | undefined {
  const kind = asString(part.kind);
  if (kind === undefined) return asString(part.value);
  if (kind === 'markdownContent') return asString(asRecord(part.content)?.value) ?? asString(part.value);
  if (kind === 'inlineReference') {
    const name = asString(part.name);
    if (name) return name;
    const path = uriToPath(part.inlineReference);
    return path ? path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1) : undefined;
  }
  return undefined;
}

/**
 * The final answer is the text after the last tool call (the text before it narrates the work);
 * when the response ends with a tool call, the last text written.
 */
function readResponse(digest: SessionDigest, raw: unknown): void {
  if (!Array.isArray(raw)) return;
  let current = '';
  let lastNonEmpty = '';
  let pendingToolName: string | undefined;
  for (const item of raw) {
    const part = asRecord(item);
    if (!part) continue;
    const text = markdownOf(part);
    if (text !== undefined) {
      current += text;
      continue;
    }
    const kind = asString(part.kind);
    if (kind === 'prepareToolInvocation') {
      pendingToolName = asString(part.toolName);
    } else if (kind === 'toolInvocationSerialized' || kind === 'toolInvocation') {
      const tool = asString(part.toolId) ?? pendingToolName;
      addUnique(digest.tools, tool);
      pendingToolName = undefined;
      readToolFiles(digest, tool, part);
      if (current.trim()) lastNonEmpty = current;
      current = '';
    } else if (kind === 'textEditGroup') {
      addUnique(digest.filesTouched, uriToPath(part.uri));
    } else if (kind === 'codeblockUri' && part.isEdit === true) {
      addUnique(digest.filesTouched, uriToPath(part.uri));
    }
  }
  // A retry without text keeps the previous answer: recordAnswer ignores empty text.
  const answer = current.trim() ? current : lastNonEmpty;
  recordAnswer(digest, answer.trim(), 'replace');
}

function readToolFiles(digest: SessionDigest, tool: string | undefined, part: Record<string, unknown>): void {
  const input = asRecord(asRecord(part.toolSpecificData)?.rawInput);
  const path = asString(input?.filePath) ?? asString(input?.path);
  if (path) {
    addUnique(digest.skills, skillFromPath(path));
    if (tool && EDIT_TOOL_PATTERN.test(tool)) addUnique(digest.filesTouched, path);
  }
  // Read tools announce the file as a markdown link in their message: `Reading [SKILL.md](file:///...)`.
  for (const key of ['invocationMessage', 'pastTenseMessage']) {
    const message = part[key];
    const text = asString(message) ?? asString(asRecord(message)?.value);
    if (!text) continue;
    for (const m of text.matchAll(/\((file:\/\/[^)\s]+|vscode-remote:\/\/[^)\s]+)\)/g)) {
      addUnique(digest.skills, skillFromPath(uriToPath(m[1])));
    }
  }
}

function readEditedFiles(digest: SessionDigest, raw: unknown): void {
  if (!Array.isArray(raw)) return;
  for (const item of raw) addUnique(digest.filesTouched, uriToPath(asRecord(item)?.uri ?? item));
}

/** Oct-2025 files store no token counts; later ones may, under `result.usage` or `result.metadata`. */
function readTokens(digest: SessionDigest, result: Record<string, unknown> | undefined): void {
  if (!result) return;
  const usage = asRecord(result.usage) ?? asRecord(asRecord(result.metadata)?.usage) ?? asRecord(result.metadata);
  if (!usage) return;
  digest.tokens.input += asCount(usage.promptTokens) || asCount(usage.prompt_tokens) || asCount(usage.inputTokens);
  digest.tokens.output += asCount(usage.completionTokens) || asCount(usage.completion_tokens) || asCount(usage.outputTokens);
  digest.tokens.cachedInput += asCount(usage.cachedTokens) || asCount(asRecord(usage.prompt_tokens_details)?.cached_tokens);
}
