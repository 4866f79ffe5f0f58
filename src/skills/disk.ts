// The edge between skill files on disk and their versions in the store: read, record, write.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { SkillOptError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import { sha256 } from '../core/hash.js';
import type { Db } from '../store/db.js';
import { addVersion, getSkill, lastWrittenVersion, latestVersion, listLocations, upsertSkill, type LocationRecord, type SkillRecord, type VersionRecord } from '../store/skills-repo.js';
import { decideProposal, listProposals } from '../store/proposals-repo.js';
import { decodeSkillBytes, parseSkill } from './document.js';
import { canonicalFromLocation, managedBaseline, renderForLocation, type SkillTarget } from './targets.js';

/** Read a skill file: null when it does not exist; a clear INPUT error for a folder, non-UTF-8 bytes or broken frontmatter. */
export function readSkillText(path: string): string | null {
  if (!existsSync(path)) return null;
  if (!statSync(path).isFile()) throw new SkillOptError('INPUT', `skill path ${path} is a folder`, { hint: 'name the Markdown file itself, e.g. SKILL.md inside that folder' });
  const text = decodeSkillBytes(readFileSync(path), path);
  parseSkill(text, path);
  return text;
}

/** A skill as the night sees it after reconciling disk and store. */
export interface SyncedSkill {
  skill: SkillRecord;
  locations: LocationRecord[];
  latest: VersionRecord;
  /** The canonical text on disk now (primary location); null when the file is not there. */
  onDisk: string | null;
  /** installed: on disk and recorded; not-installed: a managed skill nothing was adopted into yet; deleted: removed by hand. */
  state: 'installed' | 'not-installed' | 'deleted';
  /** What this sync recorded (baseline, external edit, an interrupted adoption completed). */
  recorded: string[];
  /** Texts a secondary copy may hold without being a hand edit: the newest version and the last one the tool wrote. */
  known: string[];
}

/**
 * Register a target and reconcile it with the store: the first sight records a baseline; a file whose
 * bytes differ from the newest version is recorded as an external edit before anything else touches it;
 * a file holding a pending proposal's bytes, or the re-applied text its adopt recorded before writing (an adopt
 * killed after its write), completes that adoption.
 */
export function syncSkill(db: Db, target: SkillTarget, now: string): SyncedSkill {
  const first = target.locations.find((l) => l.primary) ?? target.locations[0]!;
  // Read (and validate) before registering, so a broken file changes nothing in the store.
  const raw = readSkillText(first.path);
  if (target.kind === 'user' && raw === null && !getSkill(db, target.name)) {
    throw new SkillOptError('NOT_FOUND', `skill file ${first.path} does not exist`, { hint: 'check the path (skills are Markdown files such as ~/.claude/skills/NAME/SKILL.md), or remove it from night.skills in config.json' });
  }
  const skill = upsertSkill(db, { name: target.name, kind: target.kind, locations: target.locations }, now);
  const locations = listLocations(db, skill.id);
  const primary = locations.find((l) => l.primary) ?? locations[0]!;
  const recorded: string[] = [];
  let latest = latestVersion(db, skill.id);
  if (!latest) {
    const content = raw === null ? managedBaseline(skill.name) : canonicalFromLocation(primary.format, raw, managedBaseline(skill.name));
    latest = addVersion(db, skill.id, { content, sha256: sha256(content), source: 'baseline', note: raw === null ? 'managed skill before any adoption: frontmatter and an empty body' : `read from ${primary.path}` }, now);
    recorded.push(`v${latest.version} baseline`);
  }
  const onDisk = raw === null ? null : canonicalFromLocation(primary.format, raw, latest.content);
  if (onDisk !== null && sha256(onDisk) !== latest.sha256) {
    const sha = sha256(onDisk);
    // The proposal's own bytes, or the re-applied text an adopt recorded (write-ahead) just before it wrote the file.
    const pending = listProposals(db, { status: 'pending', skillName: skill.name }).find((p) => p.sha256 === sha || p.reappliedSha256 === sha);
    db.transaction(() => {
      if (pending) {
        const reapplied = pending.sha256 !== sha;
        latest = addVersion(db, skill.id, { content: onDisk, sha256: sha, source: 'adopted', nightId: pending.nightId, note: `adoption of night ${pending.nightId} completed after an interruption${reapplied ? ' (edits re-applied to a hand-edited file)' : ''}` }, now);
        decideProposal(db, pending.id, { status: 'adopted', adoptedVersion: latest.version, note: 'completed after an interrupted adopt' }, now);
        recorded.push(`v${latest.version} adopted (night ${pending.nightId}, interrupted adopt completed)`);
      } else {
        latest = addVersion(db, skill.id, { content: onDisk, sha256: sha, source: 'external-edit', note: `changed on disk outside skillopt-sleep (${primary.path})` }, now);
        recorded.push(`v${latest.version} external-edit`);
      }
    })();
  }
  const written = lastWrittenVersion(db, skill.id);
  const everWritten = written !== undefined && written.source !== 'baseline';
  const state = onDisk !== null ? 'installed' : skill.kind === 'managed' && !everWritten ? 'not-installed' : 'deleted';
  return { skill, locations, latest: latest!, onDisk, state, recorded, known: [latest!.content, ...(written ? [written.content] : [])] };
}

/**
 * Write a canonical document to every location, each atomically (temp file, fsync, rename), keeping a
 * file's mode. A secondary location holding text that is none of the versions the tool wrote or recorded
 * (previous) nor the new one is someone's hand edit: refuse before writing anything.
 */
export function writeSkillLocations(locations: readonly LocationRecord[], content: string, previous: readonly string[]): string[] {
  for (const l of locations.filter((x) => !x.primary)) {
    const now = readSkillText(l.path);
    if (now !== null && ![...previous, content].some((text) => now === renderForLocation(l.format, text))) {
      throw new SkillOptError('CONFLICT', `${l.path} (the ${l.agent} copy) was changed by hand`, { hint: `move your change into the primary copy ${locations.find((x) => x.primary)?.path ?? ''} (or delete ${l.path}), then run the command again` });
    }
  }
  const written: string[] = [];
  for (const l of locations) {
    const mode = existsSync(l.path) ? statSync(l.path).mode & 0o777 : 0o644;
    writeFileAtomic(l.path, renderForLocation(l.format, content), mode);
    written.push(l.path);
  }
  return written;
}
