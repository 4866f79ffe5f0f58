import { readFileSync } from 'node:fs';
import type { SourceAdapter } from '../../src/harvest/types.js';

/**
 * Feed a `.jsonl` transcript to a source's parser line by line, as the harvester does (lines `from` to `to`,
 * resuming from `saved` state when given); returns the parser, skip counts by reason, and the line count.
 */
export function feedTranscript(source: SourceAdapter, path: string, from = 0, to?: number, saved?: unknown) {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const parser = source.openParser(path, saved);
  const skips: Record<string, number> = {};
  for (const line of lines.slice(from, to)) {
    const outcome = parser.feedLine(line);
    if (!outcome.ok) skips[outcome.reason] = (skips[outcome.reason] ?? 0) + 1;
  }
  return { parser, skips, lineCount: lines.length };
}
