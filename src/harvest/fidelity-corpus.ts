/**
 * Test support: the transcript material harvest fidelity is checked on, and a fingerprint of what every parser makes
 * of it. The fixture files (real and synthetic) and a seeded corpus of damaged lines are fed to every source's parser
 * (whole, and cut in two with the saved state carried across); per file, the line outcomes, the redacted digests and
 * the saved state are hashed. A speed-up that changes any byte of any of these changes a hash
 * (`digest-fidelity.test.ts` holds the hashes the code before the speed-ups produced).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { createRng, type Rng } from '../core/rng.js';
import type { SourceAdapter } from './types.js';
import { ALL_SOURCES } from './sources/index.js';
import { createRedactor, redactDigest } from './digest.js';

/** Every file below a folder, sorted (so hashes do not depend on directory order). */
export function filesBelow(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesBelow(path) : [path];
    });
}

/** A random JSON value of the kinds parsers trip over (wrong types, NUL, lone surrogates, long strings). */
export function randomValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 2 ? 6 : 8)) {
    case 0: return null;
    case 1: return rng.int(3) === 0 ? -1 : rng.next() * 1e12;
    case 2: return rng.int(2) === 0;
    case 3: return '';
    case 4: return ['user', 'assistant', 'event_msg', 'response_item', '<command-name>/x</command-name>', '[Request interrupted by user]', 'x'.repeat(rng.int(3000))][rng.int(7)];
    case 5: return '\u0000\uFFFD\uD800';
    case 6: return [randomValue(rng, depth + 1), randomValue(rng, depth + 1)];
    default: return { type: randomValue(rng, depth + 1), content: randomValue(rng, depth + 1), text: randomValue(rng, depth + 1) };
  }
}

/** Replace one random node of a JSON tree (or delete a key) to keep the shape almost valid. */
export function mutateTree(value: unknown, rng: Rng): unknown {
  if (value === null || typeof value !== 'object') return rng.int(3) === 0 ? value : randomValue(rng);
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return randomValue(rng);
  const [key, child] = entries[rng.int(entries.length)] ?? ['', null];
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  const roll = rng.int(4);
  if (roll === 0 && !Array.isArray(copy)) delete copy[key];
  else if (roll === 1) (copy as Record<string, unknown>)[key] = randomValue(rng);
  else (copy as Record<string, unknown>)[key] = mutateTree(child, rng);
  return copy;
}

/** A damaged copy of one line or document: truncated, a character replaced, spliced, garbage, or a mutated tree. */
export function mutateText(text: string, rng: Rng): string {
  switch (rng.int(6)) {
    case 0: return text.slice(0, rng.int(text.length + 1)); // truncated
    case 1: { const at = rng.int(text.length + 1); return text.slice(0, at) + String.fromCharCode(rng.int(65536)) + text.slice(at + 1); }
    case 2: { const at = rng.int(text.length + 1); return text.slice(0, at) + text.slice(rng.int(text.length + 1)); } // spliced
    case 3: return Buffer.from(Array.from({ length: rng.int(200) }, () => rng.int(256))).toString('latin1'); // garbage
    default:
      try {
        return JSON.stringify(mutateTree(mutateTree(JSON.parse(text), rng), rng)) ?? 'null';
      } catch {
        return text;
      }
  }
}

/** The JSONL lines and JSON documents of the fixtures, the seed of the damaged corpus. */
export interface FixtureSeed {
  files: Array<{ key: string; path: string; lines: string[] }>;
  documents: Array<{ key: string; path: string; text: string }>;
  lines: string[];
}

export function loadFixtureSeed(fixturesDir: string): FixtureSeed {
  const all = filesBelow(fixturesDir);
  const files = all.filter((f) => f.endsWith('.jsonl')).map((path) => ({ key: relative(fixturesDir, path), path, lines: readFileSync(path, 'utf8').split('\n') }));
  const documents = all.filter((f) => f.endsWith('.json')).map((path) => ({ key: relative(fixturesDir, path), path, text: readFileSync(path, 'utf8') }));
  return { files, documents, lines: files.flatMap((f) => f.lines.filter(Boolean)) };
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

/** What one parser made of a stream of lines, fed whole and (when `cut` is given) resumed from a saved state at `cut`. */
function parseStream(adapter: SourceAdapter, path: string, lines: readonly string[], cut?: number): unknown {
  const outcomes: unknown[] = [];
  let parser = adapter.openParser(path);
  for (const [i, line] of lines.entries()) {
    if (cut !== undefined && i === cut) parser = adapter.openParser(path, JSON.parse(JSON.stringify(parser.saveState())) as unknown);
    outcomes.push(parser.feedLine(line));
  }
  const redactor = createRedactor();
  const digests = parser.digests().map((d) => redactDigest(d, redactor).digest);
  return { outcomes, digests, state: parser.saveState() };
}

/**
 * Per key (`<source> <fixture>`, `<source> <fixture> resumed`, `<source> fuzz <n>`, `<source> document <fixture>`), a hash
 * of the line outcomes, redacted digests and saved state the parsers produce.
 */
export function fidelityHashes(fixturesDir: string, fuzzFiles = 40, linesPerFuzzFile = 150): Record<string, string> {
  const seed = loadFixtureSeed(fixturesDir);
  const out: Record<string, string> = {};
  for (const adapter of ALL_SOURCES) {
    for (const file of seed.files) {
      const path = `/fidelity/${basename(file.path)}`;
      out[`${adapter.name} ${file.key}`] = hashOf(parseStream(adapter, path, file.lines));
      out[`${adapter.name} ${file.key} resumed`] = hashOf(parseStream(adapter, path, file.lines, Math.floor(file.lines.length / 2)));
    }
    for (const doc of seed.documents) {
      let parsed: unknown;
      try {
        parsed = adapter.parseDocument(`/fidelity/${basename(doc.path)}`, doc.text);
      } catch (error) {
        parsed = { threw: String(error) };
      }
      out[`${adapter.name} document ${doc.key}`] = hashOf(parsed);
    }
    const rng = createRng(20261201);
    for (let n = 0; n < fuzzFiles; n++) {
      // A damaged file: mostly intact lines of one real shape or another, a third of them damaged.
      const lines = Array.from({ length: linesPerFuzzFile }, () => {
        const line = seed.lines[rng.int(seed.lines.length)] ?? '';
        return rng.int(3) === 0 ? mutateText(line, rng) : line;
      });
      out[`${adapter.name} fuzz ${n}`] = hashOf(parseStream(adapter, `/fuzz/${adapter.name}/rollout-${n}-0000.jsonl`, lines, rng.int(linesPerFuzzFile)));
    }
  }
  return out;
}
