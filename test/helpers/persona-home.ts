import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'mine', 'persona');

/**
 * The persona is a small history (16 sessions, families of 3-4 requests): it holds instances out from three, as
 * the demo does, so a night has val tasks; the default (mine.minInstancesToHoldOut 5) would keep it all in train.
 */
export const PERSONA_CONFIG = { mine: { minInstancesToHoldOut: 3 } } as const;

/** `<home>/state/config.json` for the persona, with any other settings a test needs. */
export function writePersonaConfig(home: string, extra: Record<string, unknown> = {}): void {
  mkdirSync(join(home, 'state'), { recursive: true });
  writeFileSync(join(home, 'state', 'config.json'), JSON.stringify({ ...PERSONA_CONFIG, ...extra }));
}

/** A HOME holding the persona's Claude Code and Codex transcripts where the agents write them (and its config). */
export function personaHome(home: string): string {
  writePersonaConfig(home);
  mkdirSync(join(home, '.claude'), { recursive: true });
  cpSync(join(FIXTURES, 'claude-code', 'projects'), join(home, '.claude', 'projects'), { recursive: true });
  const codex = join(home, '.codex', 'sessions', '2026', '02', '12');
  mkdirSync(codex, { recursive: true });
  for (const f of readdirSync(join(FIXTURES, 'codex')).filter((x) => x.endsWith('.jsonl'))) cpSync(join(FIXTURES, 'codex', f), join(codex, f));
  return home;
}
