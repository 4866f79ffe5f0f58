import { asRecord, asString } from '../../digest.js';
import { skillFromPath } from '../copilot-chat/uri.js';

// Tools the harness calls for its own bookkeeping (the status line), not for the user's task.
const BOOKKEEPING_TOOLS = new Set(['report_intent']);

// Copilot CLI write tools (current names and the older `str_replace_editor` family).
const WRITE_TOOLS = new Set(['edit', 'create', 'str_replace', 'write', 'write_file', 'edit_file', 'replace', 'multi_edit', 'insert']);
const READ_TOOLS = new Set(['view', 'read', 'read_file']);

/** True for harness bookkeeping calls that say nothing about the user's work. */
export function isBookkeepingTool(name: string): boolean {
  return BOOKKEEPING_TOOLS.has(name);
}

/** Tool arguments arrive as an object (events.jsonl) or a JSON string (older OpenAI-style messages). */
export function toolArguments(raw: unknown): Record<string, unknown> | undefined {
  if (typeof raw === 'string') {
    try {
      return asRecord(JSON.parse(raw));
    } catch {
      return undefined;
    }
  }
  return asRecord(raw);
}

function pathArg(args: Record<string, unknown>): string | undefined {
  return asString(args.path) ?? asString(args.file_path) ?? asString(args.filePath);
}

/** Files a tool call writes: the `path` of write tools, or the file headers of an `apply_patch` body. */
export function filesFromToolCall(name: string, rawArgs: unknown): string[] {
  const args = toolArguments(rawArgs);
  if (name === 'apply_patch') {
    const patch = typeof rawArgs === 'string' && !args ? rawArgs : (asString(args?.input) ?? asString(args?.patch) ?? '');
    return [...patch.matchAll(/^\*\*\* (?:Add|Update|Delete) File: (.+)$/gm)].map((m) => (m[1] ?? '').trim()).filter(Boolean);
  }
  if (!args) return [];
  const path = pathArg(args);
  if (!path) return [];
  if (WRITE_TOOLS.has(name)) return [path];
  if (name === 'str_replace_editor' && asString(args.command) !== 'view') return [path];
  return [];
}

/** The skill a tool call invokes: the `skill` tool, or reading a skill's `SKILL.md`. */
export function skillFromToolCall(name: string, rawArgs: unknown): string | undefined {
  const args = toolArguments(rawArgs);
  if (!args) return undefined;
  if (name === 'skill') return asString(args.skill) ?? asString(args.name);
  const reads = READ_TOOLS.has(name) || (name === 'str_replace_editor' && asString(args.command) === 'view');
  return reads ? skillFromPath(pathArg(args)) : undefined;
}
