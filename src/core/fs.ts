import { mkdirSync, writeFileSync, renameSync, rmSync, openSync, fsyncSync, closeSync, chmodSync, statSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SkillOptError } from './errors.js';

/** What a path is for, so the hint can name the fix (`--home` for the state folder, a file path for an export). */
export type PathRole = 'state folder' | 'output folder' | 'output file' | 'folder';

const STATE_FIX = 'or point --home (or SKILLOPT_SLEEP_HOME) at a folder you can write';

/**
 * Turn a raw file-system error (EACCES, EPERM, EROFS, EISDIR, EEXIST, ENOTDIR, ENOSPC) into one that names the path
 * and says what to do; other errors pass through unchanged.
 */
export function describeFsError(error: unknown, path: string, role: PathRole): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const where = role === 'state folder' ? `${STATE_FIX}` : role === 'output folder' ? 'or choose another folder with --out' : 'or choose another path';
  const make = (message: string, hint: string) => new SkillOptError('INPUT', message, { hint, cause: error });
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return make(`no permission to write the ${role} ${path}`, `give yourself write access (chmod u+w on it or its parent folder), ${where}`);
    case 'EROFS':
      return make(`the ${role} ${path} is on a read-only file system`, role === 'state folder' ? STATE_FIX.replace(/^or /, '') : `${where.replace(/^or /, '')}`);
    case 'EISDIR':
      return make(`${path} is a folder, but a file path is needed here`, `give a file path, e.g. ${join(path, 'tasks.jsonl')}`);
    case 'EEXIST':
    case 'ENOTDIR':
      return make(`${path} (or a folder above it) is a file, but the ${role} must be a folder`, role === 'output folder' ? 'give a folder path to --out (it is created if missing), or remove the file' : `remove or rename the file, ${where}`);
    case 'ENOSPC':
      return make(`no space left on the device to write the ${role} ${path}`, 'free some disk space and run again');
    default:
      return error;
  }
}

/**
 * Create a folder (and parents) readable only by the user, and tighten an existing one to 0700 (state holds
 * transcript text). Returns a warning when the mode could not be tightened (not our folder, a file system without modes).
 */
export function ensurePrivateDir(path: string, role: PathRole = 'state folder'): { warning?: string } {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw describeFsError(error, path, role);
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return {};
  try {
    chmodSync(path, 0o700);
    return {};
  } catch {
    return { warning: `the ${role} ${path} has mode ${mode.toString(8)} (others can read it) and could not be tightened to 700; run chmod 700 ${path}` };
  }
}

/** Make sure a folder can be written before a long run writes into it at the end (a file in its way, no permission). */
export function ensureWritableDir(path: string, role: PathRole = 'output folder'): void {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    const probe = join(path, `.write-probe.${process.pid}.${randomBytes(4).toString('hex')}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (error) {
    throw describeFsError(error, path, role);
  }
}

/**
 * Write a file so a crash never leaves it torn: temp file in the same folder, fsync, rename.
 * Mode defaults to 0600 (state files hold transcript-derived text).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): void {
  const dir = dirname(path);
  // Renaming the temp file onto a folder would fail with a raw EISDIR that names the temp file, not the path given.
  if (isDirectory(path)) throw describeFsError(Object.assign(new Error(`EISDIR: ${path}`), { code: 'EISDIR' }), path, 'output file');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw describeFsError(error, dir, 'folder');
  }
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, data, { mode });
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw describeFsError(error, path, 'output file');
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
