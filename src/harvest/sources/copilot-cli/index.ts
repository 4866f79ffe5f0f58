import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Environment } from '../../../core/paths.js';
import type { ParseOutcome, SessionDigest, SkipReason, SourceAdapter, TranscriptParser } from '../../types.js';
import { internalDetail, parseJsonDocument } from '../../json-line.js';
import { createCliEventsState, digestFromCliState, feedCliLine, type CliEventsState, type CliSessionContext } from './events.js';
import { digestLegacyCliSession } from './legacy.js';
import { copilotCliRoots, discoverCliSessions } from './paths.js';
import { projectFromWorkspaceYaml } from './workspace-yaml.js';

export { applyCliEvent, createCliEventsState, digestFromCliState, feedCliLine } from './events.js';
export type { CliEventsState, CliSessionContext } from './events.js';
export { digestLegacyCliSession } from './legacy.js';
export { copilotCliRoots, discoverCliSessions } from './paths.js';
export { projectFromWorkspaceYaml } from './workspace-yaml.js';

/** File reads the adapter needs besides the transcript (workspace.yaml); undefined when unreadable. */
export interface CliSourceIo {
  readText(path: string): string | undefined;
}

/** Reads a small file, or undefined when it is missing or unreadable. */
export const nodeCliSourceIo: CliSourceIo = {
  readText(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/**
 * Session id and project from where the file sits: `session-state/<id>/events.jsonl` (with its
 * `workspace.yaml`), flat `session-state/<id>.jsonl`, or `history-session-state/<id>.json`.
 */
export function cliSessionContext(path: string, io: CliSourceIo): CliSessionContext {
  if (basename(path) === 'events.jsonl') {
    const folder = dirname(path);
    const context: CliSessionContext = { fallbackId: basename(folder) };
    const text = io.readText(join(folder, 'workspace.yaml'));
    const project = text === undefined ? undefined : projectFromWorkspaceYaml(text);
    if (project) context.project = project;
    return context;
  }
  return { fallbackId: basename(path).replace(/\.jsonl?$/i, '') };
}

function isCliState(value: unknown): value is CliEventsState {
  if (!value || typeof value !== 'object') return false;
  const state = value as Partial<CliEventsState>;
  const digest = state.digest as Partial<SessionDigest> | undefined;
  return (
    state.version === 1 &&
    Array.isArray(state.messageModels) &&
    typeof state.streamedOutput === 'number' &&
    !!digest &&
    typeof digest.sessionId === 'string' &&
    Array.isArray(digest.prompts) &&
    Array.isArray(digest.finalAnswers) &&
    Array.isArray(digest.feedback) &&
    Array.isArray(digest.tools) &&
    Array.isArray(digest.skills) &&
    Array.isArray(digest.filesTouched) &&
    !!digest.tokens
  );
}

/** A resumable parser for one `events.jsonl` (or flat `<id>.jsonl`) event log. */
export function openCliEventsParser(context: CliSessionContext, saved?: unknown): TranscriptParser {
  // A checkpoint from another version of this parser is ignored rather than trusted.
  const state: CliEventsState = isCliState(saved) ? structuredClone(saved) : createCliEventsState(context);
  return {
    feedLine: (line: string): ParseOutcome => feedCliLine(state, line),
    saveState: (): CliEventsState => structuredClone(state),
    digests(): SessionDigest[] {
      const digest = digestFromCliState(state);
      return digest ? [digest] : [];
    },
  };
}

/** Build the Copilot CLI source with the given file reader (tests pass a fake). */
export function createCopilotCliSource(io: CliSourceIo = nodeCliSourceIo): SourceAdapter {
  return {
    name: 'copilot-cli',
    defaultRoots: (environment: Environment) => copilotCliRoots(environment),
    discover: (roots) => discoverCliSessions(roots),
    fileKind: (path) => (path.toLowerCase().endsWith('.jsonl') ? 'jsonl' : 'json'),
    openParser: (path, saved) => openCliEventsParser(cliSessionContext(path, io), saved),
    parseDocument(path: string, text: string): { digests: SessionDigest[]; skips: Array<{ reason: SkipReason; detail?: string }> } {
      try {
        const parsed = parseJsonDocument(text);
        if (!parsed.ok) return { digests: [], skips: [{ reason: parsed.reason, ...(parsed.detail ? { detail: parsed.detail } : {}) }] };
        const { digest, skips } = digestLegacyCliSession(parsed.value, cliSessionContext(path, io));
        return { digests: digest ? [digest] : [], skips };
      } catch (error) {
        // The digest code is written not to throw; this keeps the adapter's promise if it ever does.
        return { digests: [], skips: [{ reason: 'read_error', detail: internalDetail(error) }] };
      }
    },
  };
}

/** GitHub Copilot CLI sessions under `$COPILOT_HOME` (default `~/.copilot`), all three on-disk layouts. */
export const copilotCliSource: SourceAdapter = createCopilotCliSource();
