import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One Claude Code JSONL record of a user prompt (the shape Claude Code 2.x writes). */
export function claudeUserLine(session: string, uuid: string, text: string, at: string): string {
  return JSON.stringify({ type: 'user', sessionId: session, uuid, parentUuid: null, timestamp: at, cwd: '/home/dev/shop', gitBranch: 'main', version: '2.1.150', userType: 'external', isSidechain: false, message: { role: 'user', content: text } });
}

/** One assistant answer record. */
export function claudeAssistantLine(session: string, uuid: string, text: string, at: string): string {
  return JSON.stringify({ type: 'assistant', sessionId: session, uuid, timestamp: at, cwd: '/home/dev/shop', version: '2.1.150', isSidechain: false, requestId: `r-${uuid}`, message: { id: `m-${uuid}`, role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text }], usage: { input_tokens: 10, output_tokens: 10 } } });
}

/** A session id that is a valid UUID, from a number. */
export function sessionId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** Write a Claude Code session file under `<home>/.claude/projects/<slug>/`; returns its path. */
export function writeClaudeSession(home: string, n: number, options: { turns?: number; answerBytes?: number; slug?: string } = {}): string {
  const dir = join(home, '.claude', 'projects', options.slug ?? '-home-dev-shop');
  mkdirSync(dir, { recursive: true });
  const session = sessionId(n);
  const lines: string[] = [];
  const filler = 'the cart total rounding test fails when a discount applies twice '.repeat(Math.ceil((options.answerBytes ?? 200) / 64));
  for (let t = 0; t < (options.turns ?? 2); t++) {
    const at = new Date(Date.UTC(2026, 2, 1, 9, t, n % 60)).toISOString();
    lines.push(claudeUserLine(session, `u${n}-${t}`, `please fix the rounding of the cart total, case ${n}.${t}`, at));
    lines.push(claudeAssistantLine(session, `a${n}-${t}`, filler, at));
  }
  const path = join(dir, `${session}.jsonl`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Append one user prompt to a session file. */
export function appendPrompt(path: string, n: number, uuid: string, text: string): void {
  appendFileSync(path, `${claudeUserLine(sessionId(n), uuid, text, '2026-03-01T10:00:00.000Z')}\n`);
}
