import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'mine', 'persona');

/** A HOME holding the persona's Claude Code and Codex transcripts where the agents write them. */
export function personaHome(home: string): string {
  mkdirSync(join(home, '.claude'), { recursive: true });
  cpSync(join(FIXTURES, 'claude-code', 'projects'), join(home, '.claude', 'projects'), { recursive: true });
  const codex = join(home, '.codex', 'sessions', '2026', '02', '12');
  mkdirSync(codex, { recursive: true });
  for (const f of readdirSync(join(FIXTURES, 'codex')).filter((x) => x.endsWith('.jsonl'))) cpSync(join(FIXTURES, 'codex', f), join(codex, f));
  return home;
}
