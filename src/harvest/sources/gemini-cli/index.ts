import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Environment } from '../../../core/paths.js';
import type { SessionDigest, SkipReason, SourceAdapter } from '../../types.js';
import { asRecord } from '../../digest.js';
import { internalDetail, parseJsonDocument } from '../../json-line.js';
import { GEMINI_SOURCE } from './messages.js';
import { digestGeminiDocument, openGeminiLogParser, type GeminiFileContext } from './parser.js';
import { discoverGeminiSessions, geminiCliRoots } from './paths.js';

export { digestGeminiSession, normaliseMessage, GEMINI_SOURCE } from './messages.js';
export { applyGeminiRecord, digestGeminiDocument, openGeminiLogParser } from './parser.js';
export { discoverGeminiSessions, geminiCliRoots } from './paths.js';

/** File reads besides the transcript (`.project_root`, `projects.json`); undefined when unreadable. */
export interface GeminiSourceIo {
  readText(path: string): string | undefined;
}

/** Reads a small file, or undefined when it is missing or unreadable. */
export const nodeGeminiSourceIo: GeminiSourceIo = {
  readText(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** The project folder for `tmp/<project>/`: its `.project_root`, else the entry naming it in `projects.json`. */
export function geminiProjectFolder(projectDir: string, io: GeminiSourceIo): string | undefined {
  const root = io.readText(join(projectDir, '.project_root'))?.trim();
  if (root) return root;
  const text = io.readText(join(dirname(dirname(projectDir)), 'projects.json'));
  if (text === undefined) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  // `{ "projects": { "/abs/path": "short-id" } }` (or the map itself at the top level).
  const record = asRecord(doc);
  const map = asRecord(record?.projects) ?? record;
  const name = basename(projectDir);
  for (const [path, id] of Object.entries(map ?? {})) if (id === name) return path;
  return undefined;
}

/** Session context from a chat file path `<home>/.gemini/tmp/<project>/chats/session-<time>-<id8>.json[l]`. */
export function geminiFileContext(path: string, io: GeminiSourceIo): GeminiFileContext {
  const context: GeminiFileContext = { fallbackId: basename(path).replace(/\.jsonl?$/i, '') };
  const chats = dirname(path);
  if (basename(chats) !== 'chats') return context;
  const cwd = geminiProjectFolder(dirname(chats), io);
  if (cwd) context.cwd = cwd;
  return context;
}

/** Build the Gemini CLI source with the given file reader (tests pass a fake). */
export function createGeminiCliSource(io: GeminiSourceIo = nodeGeminiSourceIo): SourceAdapter {
  return {
    name: GEMINI_SOURCE,
    defaultRoots: (environment: Environment) => geminiCliRoots(environment),
    discover: (roots) => discoverGeminiSessions(roots),
    fileKind: (path) => (path.toLowerCase().endsWith('.jsonl') ? 'jsonl' : 'json'),
    openParser: (path, saved) => openGeminiLogParser(geminiFileContext(path, io), saved),
    parseDocument(path: string, text: string): { digests: SessionDigest[]; skips: Array<{ reason: SkipReason; detail?: string }> } {
      try {
        const parsed = parseJsonDocument(text);
        if (!parsed.ok) return { digests: [], skips: [{ reason: parsed.reason, ...(parsed.detail ? { detail: parsed.detail } : {}) }] };
        const { digest, skips } = digestGeminiDocument(parsed.value, geminiFileContext(path, io));
        return { digests: digest ? [digest] : [], skips };
      } catch (error) {
        return { digests: [], skips: [{ reason: 'read_error', detail: internalDetail(error) }] };
      }
    },
  };
}

/** Gemini CLI chats under `~/.gemini/tmp/<project>/chats/` (JSONL logs and older JSON documents). */
export const geminiCliSource: SourceAdapter = createGeminiCliSource();
