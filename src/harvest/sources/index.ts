import type { SourceAdapter, SourceName } from '../types.js';
import { claudeCodeSource } from './claude-code/index.js';
import { codexSource } from './codex/index.js';
import { copilotChatSource } from './copilot-chat/index.js';
import { copilotCliSource } from './copilot-cli/index.js';
import { geminiCliSource } from './gemini-cli/index.js';

/** Every transcript source skillopt-sleep can harvest, in report order. */
export const ALL_SOURCES: readonly SourceAdapter[] = [claudeCodeSource, codexSource, copilotChatSource, copilotCliSource, geminiCliSource];

/** The adapter with this name, or undefined. */
export function findSource(name: string): SourceAdapter | undefined {
  return ALL_SOURCES.find((source) => source.name === name);
}

/** Names accepted by `--source`. */
export const SOURCE_NAMES: readonly SourceName[] = ALL_SOURCES.map((source) => source.name);
