import type { SessionDigest, SourceName } from '../../types.js';
import { addUnique, asCount, asRecord, asString, createDigest, recordAnswer, recordInterrupt, recordPrompt, toUtcIso, widenTimeRange } from '../../digest.js';
import { isOwnReplayCwd } from '../../../core/own-replay.js';
import { skillFromPath } from '../copilot-chat/uri.js';

/**
 * `SourceName` in src/harvest/types.ts does not list Gemini CLI yet (that file is shared and not ours to edit).
 * This one cast goes away when 'gemini-cli' is added there.
 */
export const GEMINI_SOURCE: SourceName = 'gemini-cli';

/** One chat message reduced to what the digest reads; plain JSON so parser state can be checkpointed. */
export interface GeminiMessage {
  id: string;
  type: string;
  at?: string;
  text: string;
  model?: string;
  tools: string[];
  files: string[];
  skills: string[];
  tokens: { input: number; output: number; cachedInput: number };
}

/** Session-level facts: the header line of a `.jsonl` file, or the top of an old `.json` document. */
export interface GeminiSessionMeta {
  sessionId: string;
  startedAt?: string;
  lastUpdated?: string;
  /** `main` or `subagent`; a sub-agent's chat is model-to-model and is not harvested. */
  kind?: string;
  cwd?: string;
}

// Tools that write a file named in their arguments (Gemini CLI built-ins).
const WRITE_TOOLS = new Set(['write_file', 'replace']);
const READ_TOOLS = new Set(['read_file', 'read_many_files']);

/** Content is a string or a list of parts with `text`. */
export function textOfContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === 'string' ? part : (asString(asRecord(part)?.text) ?? '')))
      .filter(Boolean)
      .join('\n');
  }
  return asString(asRecord(content)?.text) ?? '';
}

function pathArg(args: Record<string, unknown> | undefined): string | undefined {
  return asString(args?.file_path) ?? asString(args?.absolute_path) ?? asString(args?.path);
}

/** Reduce one raw message record; undefined when it is not a message (no `type`). */
export function normaliseMessage(raw: Record<string, unknown>, fallbackId: string): GeminiMessage | undefined {
  const type = asString(raw.type);
  if (!type) return undefined;
  // What the user saw and typed (`displayContent`) wins over the model-facing content with expanded @files.
  const text = textOfContent(raw.displayContent ?? raw.content);
  const message: GeminiMessage = { id: asString(raw.id) ?? fallbackId, type, text, tools: [], files: [], skills: [], tokens: { input: 0, output: 0, cachedInput: 0 } };
  const at = toUtcIso(raw.timestamp);
  if (at) message.at = at;
  const model = asString(raw.model);
  if (model) message.model = model;
  if (Array.isArray(raw.toolCalls)) {
    for (const item of raw.toolCalls) {
      const call = asRecord(item);
      const name = asString(call?.name);
      if (!call || !name) continue;
      addUnique(message.tools, name);
      const args = asRecord(call.args);
      const path = pathArg(args);
      if (WRITE_TOOLS.has(name)) addUnique(message.files, path);
      if (READ_TOOLS.has(name)) addUnique(message.skills, skillFromPath(path));
      if (name === 'activate_skill') addUnique(message.skills, asString(args?.name) ?? asString(args?.skill));
    }
  }
  const tokens = asRecord(raw.tokens);
  if (tokens) {
    // Gemini's prompt count already includes cached tokens; thinking is billed as output, as in the other sources.
    message.tokens = { input: asCount(tokens.input), output: asCount(tokens.output) + asCount(tokens.thoughts), cachedInput: asCount(tokens.cached) };
  }
  return message;
}

/** Build a digest from the session's messages in order; undefined when there is no user prompt (or a sub-agent). */
export function digestGeminiSession(meta: GeminiSessionMeta, messages: readonly GeminiMessage[]): SessionDigest | undefined {
  if (meta.kind === 'subagent') return undefined;
  const digest = createDigest(GEMINI_SOURCE, meta.sessionId);
  if (meta.cwd) digest.project = { cwd: meta.cwd };
  digest.ownReplay = isOwnReplayCwd(meta.cwd);
  widenTimeRange(digest, meta.startedAt);
  widenTimeRange(digest, meta.lastUpdated);
  for (const message of messages) {
    widenTimeRange(digest, message.at);
    if (message.type === 'user') {
      if (!message.text.trim()) continue;
      const command = /^\/([\w:.-]+)/.exec(message.text.trim())?.[1];
      recordPrompt(digest, { text: message.text, ...(message.at ? { at: message.at } : {}), ...(command ? { command } : {}) });
    } else if (message.type === 'gemini' || message.type === 'model') {
      if (message.text.trim()) recordAnswer(digest, message.text.trim(), 'replace');
      addUnique(digest.models, message.model);
      for (const tool of message.tools) addUnique(digest.tools, tool);
      for (const file of message.files) addUnique(digest.filesTouched, file);
      for (const skill of message.skills) addUnique(digest.skills, skill);
      digest.tokens.input += message.tokens.input;
      digest.tokens.output += message.tokens.output;
      digest.tokens.cachedInput += message.tokens.cachedInput;
    } else if (message.type === 'info' && /\bcancel/i.test(message.text)) {
      // The CLI notes an Esc press as an info line ("Request cancelled.").
      recordInterrupt(digest, message.text);
    }
  }
  return digest.prompts.length > 0 ? digest : undefined;
}
