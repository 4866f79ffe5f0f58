import type { SessionDigest, SkipReason } from '../../types.js';
import { addUnique, asRecord, asString, createDigest, recordAnswer, recordPrompt, widenTimeRange } from '../../digest.js';
import { isOwnReplayCwd } from '../../../core/own-replay.js';
import type { CliSessionContext } from './events.js';
import { filesFromToolCall, isBookkeepingTool, skillFromToolCall } from './tools.js';

/** Message content is a string or a list of `{type:'text', text}` parts (OpenAI chat shape). */
function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts = content.map((part) => asString(asRecord(part)?.text)).filter((t): t is string => t !== undefined);
  return texts.length > 0 ? texts.join('\n') : undefined;
}

/**
 * Digest an early Copilot CLI session: one pretty-printed JSON per session in
 * `history-session-state/<id>.json` with `{sessionId, startTime, chatMessages[], timeline[]}` and no tokens.
 * Pure; never throws.
 */
export function digestLegacyCliSession(doc: unknown, context: CliSessionContext): { digest?: SessionDigest; skips: Array<{ reason: SkipReason; detail?: string }> } {
  const session = asRecord(doc);
  if (!session) return { skips: [{ reason: 'not_a_session', detail: 'not an object' }] };
  if (!Array.isArray(session.chatMessages)) return { skips: [{ reason: 'missing_field', detail: 'chatMessages' }] };
  const skips: Array<{ reason: SkipReason; detail?: string }> = [];
  const digest = createDigest('copilot-cli', asString(session.sessionId)?.trim() || context.fallbackId);
  const cwd = asString(session.cwd) ?? context.project?.cwd;
  if (cwd || context.project) digest.project = { ...context.project, ...(cwd ? { cwd } : {}) };
  digest.ownReplay = isOwnReplayCwd(cwd);
  widenTimeRange(digest, session.startTime);
  addUnique(digest.models, asString(session.selectedModel) ?? asString(session.model));
  if (Array.isArray(session.timeline)) for (const item of session.timeline) widenTimeRange(digest, asRecord(item)?.timestamp);

  for (const raw of session.chatMessages) {
    const message = asRecord(raw);
    const role = asString(message?.role);
    if (!message || !role) {
      skips.push({ reason: 'missing_field', detail: 'chatMessages[].role' });
      continue;
    }
    if (role === 'user') {
      const text = textOf(message.content);
      if (text?.trim()) recordPrompt(digest, { text });
    } else if (role === 'assistant') {
      const text = textOf(message.content);
      if (text?.trim()) recordAnswer(digest, text.trim(), 'replace');
      if (Array.isArray(message.tool_calls)) {
        for (const call of message.tool_calls) {
          const fn = asRecord(asRecord(call)?.function);
          const name = asString(fn?.name);
          if (!name) continue;
          if (!isBookkeepingTool(name)) addUnique(digest.tools, name);
          addUnique(digest.skills, skillFromToolCall(name, fn?.arguments));
          for (const file of filesFromToolCall(name, fn?.arguments)) addUnique(digest.filesTouched, file);
        }
      }
    }
    // `system` and `tool` messages are harness prompt and tool output: not the user's words.
  }
  if (digest.prompts.length === 0) return { skips: [...skips, { reason: 'not_a_session', detail: 'no user messages' }] };
  return { digest, skips };
}
