import type { SessionDigest, SourceName } from './types.js';

/**
 * What a format change looks like from the harvester's side, per source: which agent versions wrote the
 * sessions, how many records of types the parser does not know it met, and why sessions hold no prompt.
 * A new agent release that moves the prompts shows up here as a number instead of as silence.
 */
export interface SourceDrift {
  /** Sessions per agent version (a session written by two versions counts for both). */
  versions: Record<string, number>;
  /** Records of unknown types, per type. */
  unknownRecords: Record<string, number>;
  /** Sessions without a prompt, per reason (`answers_without_prompt` is the tell-tale of a moved format). */
  emptySessions: Record<string, number>;
}

/** An empty drift tally. */
export function emptyDrift(): SourceDrift {
  return { versions: {}, unknownRecords: {}, emptySessions: {} };
}

function bump(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

/** Add one session digest to a drift tally (its versions, unknown records and empty reason). */
export function addDigestToDrift(drift: SourceDrift, digest: Pick<SessionDigest, 'prompts' | 'agentVersions' | 'unknownRecords' | 'emptyReason'>): void {
  for (const version of Array.isArray(digest.agentVersions) ? digest.agentVersions : []) if (typeof version === 'string') bump(drift.versions, version);
  if (digest.unknownRecords && typeof digest.unknownRecords === 'object') {
    for (const [type, n] of Object.entries(digest.unknownRecords)) if (typeof n === 'number' && n > 0) bump(drift.unknownRecords, type, n);
  }
  if (Array.isArray(digest.prompts) && digest.prompts.length === 0) bump(drift.emptySessions, digest.emptyReason ?? 'no_prompt');
}

/** Per source drift of stored sessions (for `doctor`): every source listed, even with no session. */
export function driftBySource(sessions: Iterable<{ source: SourceName; digest: SessionDigest }>, sources: readonly SourceName[]): Array<{ source: SourceName; sessions: number } & SourceDrift> {
  const out = new Map<SourceName, { source: SourceName; sessions: number } & SourceDrift>();
  for (const source of sources) out.set(source, { source, sessions: 0, ...emptyDrift() });
  for (const { source, digest } of sessions) {
    let entry = out.get(source);
    if (!entry) {
      entry = { source, sessions: 0, ...emptyDrift() };
      out.set(source, entry);
    }
    entry.sessions++;
    addDigestToDrift(entry, digest);
  }
  return [...out.values()];
}

/** One line per source: `codex  12 sessions  versions 0.171.0×10 0.104.0×2  unknown records 0  no prompt 1 (subagent_thread 1)`. */
export function renderDrift(rows: ReadonlyArray<{ source: string; sessions: number } & SourceDrift>): string {
  const width = Math.max(...rows.map((r) => r.source.length), 6);
  const counts = (c: Record<string, number>) =>
    Object.entries(c)
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(([k, n]) => `${k}×${n}`)
      .join(' ');
  const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
  return rows
    .map((r) => {
      const parts = [`${r.source.padEnd(width)}  ${r.sessions} session(s)`, `versions ${counts(r.versions) || '-'}`];
      const unknown = total(r.unknownRecords);
      parts.push(`unknown records ${unknown}${unknown ? ` (${counts(r.unknownRecords)})` : ''}`);
      const empty = total(r.emptySessions);
      parts.push(`no prompt ${empty}${empty ? ` (${counts(r.emptySessions)})` : ''}`);
      return parts.join('  ');
    })
    .join('\n');
}

/** The `harvest drift` section of `doctor`: the per-source lines and, when a format looks moved, what to do. */
export function renderDriftSection(rows: ReadonlyArray<{ source: string; sessions: number } & SourceDrift>): string {
  const lines = ['harvest drift (stored sessions)', renderDrift(rows)];
  const moved = rows.filter((r) => Object.keys(r.unknownRecords).length > 0 || (r.emptySessions.answers_without_prompt ?? 0) > 0);
  if (moved.length > 0) {
    lines.push(
      `warning: ${moved.map((r) => r.source).join(', ')} wrote records this version of skillopt-sleep does not know, or answers without a prompt: ` +
        'the agent may have changed its transcript format; update skillopt-sleep, and if that does not help report the versions and record types above',
    );
  }
  return lines.join('\n');
}
