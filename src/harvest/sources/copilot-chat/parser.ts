import type { ParseOutcome, SessionDigest, TranscriptParser } from '../../types.js';
import { applyMutation, type ReplayedState } from './mutation-log.js';
import { feedJsonLine } from '../../json-line.js';
import { digestChatSession, type ChatSessionContext } from './session.js';

/** What a `.jsonl` chat log parser stores with its checkpoint. */
export interface ChatLogState {
  version: 1;
  /** The session replayed so far, with bulky fields the digest never reads removed. */
  session: ReplayedState;
}

// Bulky fields of a request that the digest never reads: model-facing prompts, tool outputs, attachments.
const HEAVY_REQUEST_FIELDS = ['variableData', 'contentReferences', 'codeCitations', 'followups', 'responseMarkdownInfo'];
const HEAVY_METADATA_FIELDS = ['renderedUserMessage', 'renderedGlobalContext', 'toolCallResults', 'toolCallRounds', 'codeBlocks'];
const HEAVY_PART_FIELDS = ['resultDetails'];

function emptyOut(record: Record<string, unknown>, keys: readonly string[]): void {
  // Replace rather than delete: later log lines may append into these paths, and a null target is recreated.
  for (const key of keys) if (key in record) record[key] = null;
}

/**
 * A copy of the replayed session small enough to store with a checkpoint. Array lengths are kept so that
 * later `kind:2` appends with a truncation index still line up; only fields inside elements are dropped.
 */
export function compactSession(session: ReplayedState): ReplayedState {
  if (session === null || typeof session !== 'object') return session;
  const copy = structuredClone(session) as Record<string, unknown>;
  emptyOut(copy, ['inputState']);
  for (const key of ['requests', 'pendingRequests']) {
    const requests = copy[key];
    if (!Array.isArray(requests)) continue;
    for (const raw of requests) {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) continue;
      const request = raw as Record<string, unknown>;
      emptyOut(request, HEAVY_REQUEST_FIELDS);
      const result = request.result;
      if (result && typeof result === 'object' && !Array.isArray(result)) {
        const metadata = (result as Record<string, unknown>).metadata;
        if (metadata && typeof metadata === 'object' && !Array.isArray(metadata)) emptyOut(metadata as Record<string, unknown>, HEAVY_METADATA_FIELDS);
      }
      if (Array.isArray(request.response)) {
        for (const part of request.response) {
          if (part && typeof part === 'object' && !Array.isArray(part)) emptyOut(part as Record<string, unknown>, HEAVY_PART_FIELDS);
        }
      }
    }
  }
  return copy;
}

function readSaved(saved: unknown): ReplayedState {
  if (saved && typeof saved === 'object' && (saved as ChatLogState).version === 1 && 'session' in saved) {
    try {
      return structuredClone((saved as ChatLogState).session);
    } catch {
      return null;
    }
  }
  return null;
}

/** A resumable parser for a VS Code `chatSessions/*.jsonl` mutation log; its state is the replayed session. */
export function openChatLogParser(context: ChatSessionContext, saved?: unknown): TranscriptParser {
  let session: ReplayedState = readSaved(saved);
  return {
    feedLine: (line: string): ParseOutcome =>
      feedJsonLine(line, (record) => {
        const next = applyMutation(session, record);
        session = next.state;
        return next.outcome;
      }),
    saveState(): ChatLogState {
      return { version: 1, session: compactSession(session) };
    },
    digests(): SessionDigest[] {
      const { digest } = digestChatSession(session, context);
      return digest ? [digest] : [];
    },
  };
}
