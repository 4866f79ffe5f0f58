import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Environment } from '../../../core/paths.js';
import type { SessionDigest, SkipReason, SourceAdapter, TranscriptParser } from '../../types.js';
import { internalDetail, parseJsonDocument } from '../../json-line.js';
import { openChatLogParser } from './parser.js';
import { copilotChatRoots, discoverChatSessions } from './paths.js';
import { digestChatSession, type ChatSessionContext } from './session.js';
import { projectFromWorkspaceJson } from './uri.js';

export { digestChatSession, TRY_AGAIN_PATTERN } from './session.js';
export { applyMutation } from './mutation-log.js';
export { openChatLogParser, compactSession } from './parser.js';
export { copilotChatRoots, discoverChatSessions } from './paths.js';
export { projectFromWorkspaceJson, uriToPath } from './uri.js';

/** File reads the adapter needs besides the transcript itself (workspace.json); undefined when unreadable. */
export interface ChatSourceIo {
  readText(path: string): string | undefined;
}

/** Reads a small file, or undefined when it is missing or unreadable. */
export const nodeChatSourceIo: ChatSourceIo = {
  readText(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** `<id>.json` / `<id>.jsonl` / `<name>.chat.json` -> the id part. */
function fileStem(path: string): string {
  return basename(path).replace(/\.jsonl?$/i, '');
}

/**
 * Where a session file sits decides its project: `workspaceStorage/<ws>/chatSessions/<id>` has the
 * workspace's `workspace.json` two levels up; empty-window sessions have none.
 */
export function chatSessionContext(path: string, io: ChatSourceIo): ChatSessionContext {
  const context: ChatSessionContext = { fallbackId: fileStem(path) };
  const folder = dirname(path);
  if (basename(folder) !== 'chatSessions') return context;
  const text = io.readText(join(dirname(folder), 'workspace.json'));
  const project = text === undefined ? undefined : projectFromWorkspaceJson(text);
  if (project) context.project = project;
  return context;
}

/** Build the VS Code Copilot Chat source with the given file reader (tests pass a fake). */
export function createCopilotChatSource(io: ChatSourceIo = nodeChatSourceIo): SourceAdapter {
  return {
    name: 'copilot-chat',
    // The log's first line is a snapshot of the whole session; the parser accepts up to 64 MiB.
    maxLineBytes: 64 * 1024 * 1024,
    defaultRoots: (environment: Environment) => copilotChatRoots(environment),
    discover: (roots) => discoverChatSessions(roots),
    fileKind: (path) => (path.toLowerCase().endsWith('.jsonl') ? 'jsonl' : 'json'),
    openParser(path: string, saved?: unknown): TranscriptParser {
      return openChatLogParser(chatSessionContext(path, io), saved);
    },
    parseDocument(path: string, text: string): { digests: SessionDigest[]; skips: Array<{ reason: SkipReason; detail?: string }> } {
      try {
        const parsed = parseJsonDocument(text);
        if (!parsed.ok) return { digests: [], skips: [{ reason: parsed.reason, ...(parsed.detail ? { detail: parsed.detail } : {}) }] };
        const { digest, skips } = digestChatSession(parsed.value, chatSessionContext(path, io));
        return { digests: digest ? [digest] : [], skips };
      } catch (error) {
        // The digest code is written not to throw; this keeps the adapter's promise if it ever does.
        return { digests: [], skips: [{ reason: 'read_error', detail: internalDetail(error) }] };
      }
    },
  };
}

/** VS Code Copilot Chat sessions (stable and Insiders): `chatSessions/*.json` documents and `*.jsonl` logs. */
export const copilotChatSource: SourceAdapter = createCopilotChatSource();
