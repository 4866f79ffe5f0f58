import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { SkillOptError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import { sha256 } from '../core/hash.js';
import type { AgentName, AgentPlan, Desired, JsonEntries } from './plan.js';

/** One file as it was before the first install, and what we last wrote to it. */
interface ManifestFile {
  path: string;
  kind: 'file' | 'json';
  /** The bytes before the first install (base64), or null when the file did not exist. */
  original: string | null;
  originalMode: number | null;
  /** sha256 of the bytes we last wrote. */
  written: string;
  /** For json files: the key paths we set. */
  keyPaths?: string[][];
}

/** What an install changed, kept in the state folder so uninstall can put everything back. */
interface Manifest {
  agent: AgentName;
  version: 1;
  files: ManifestFile[];
  /** Folders the install created, deepest last. */
  createdDirs: string[];
}

/** What happened (or, in a dry run, would happen) to one path. */
export interface FileAction {
  path: string;
  action: 'create' | 'update' | 'unchanged' | 'remove' | 'restore' | 'remove-entries' | 'keep-edited';
}

/** The result of install or uninstall. */
export interface IntegrationResult {
  agent: AgentName;
  operation: 'install' | 'uninstall';
  dryRun: boolean;
  actions: FileAction[];
  notes: string[];
}

/** The manifest's path for an agent. */
export function manifestPath(stateHome: string, agent: AgentName): string {
  return join(stateHome, 'integrations', `${agent}.json`);
}

function readManifest(path: string): Manifest | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (error) {
    throw new SkillOptError('CONFIG', `the install record ${path} is not readable JSON`, { hint: 'restore it from a backup, or delete it and remove the integration by hand', cause: error });
  }
}

function readBytes(path: string): Buffer | undefined {
  return existsSync(path) ? readFileSync(path) : undefined;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseJsonConfig(path: string, bytes: Buffer | undefined): JsonObject {
  if (bytes === undefined || bytes.toString('utf8').trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new SkillOptError('CONFLICT', `${path} is not plain JSON (comments or a syntax error), so skillopt-sleep will not rewrite it`, {
      hint: "add the entry by hand from the package's plugins/ folder, or fix the file and run the install again",
      cause: error,
    });
  }
  if (!isObject(parsed)) throw new SkillOptError('CONFLICT', `${path} does not hold a JSON object`, { hint: 'fix the file, then run the install again' });
  return parsed;
}

function setAt(root: JsonObject, keyPath: readonly string[], value: unknown, path: string): void {
  let node = root;
  for (const key of keyPath.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (!isObject(next)) throw new SkillOptError('CONFLICT', `${path}: "${key}" is not an object`, { hint: `fix "${keyPath.join('.')}" in ${path}, then run the install again` });
    node = node[key] as JsonObject;
  }
  node[keyPath.at(-1)!] = value;
}

/** Remove our key paths; parents left empty are removed when the original file did not have them. */
function removeAt(root: JsonObject, keyPaths: readonly string[][], original: JsonObject): void {
  for (const keyPath of keyPaths) {
    const parents: JsonObject[] = [root];
    let node: unknown = root;
    for (const key of keyPath.slice(0, -1)) {
      node = isObject(node) ? node[key] : undefined;
      if (!isObject(node)) break;
      parents.push(node);
    }
    if (parents.length !== keyPath.length) continue;
    delete parents.at(-1)![keyPath.at(-1)!];
    for (let depth = keyPath.length - 1; depth >= 1; depth -= 1) {
      const parent = parents[depth - 1]!;
      const key = keyPath[depth - 1]!;
      const child = parent[key];
      const originalHad = keyPath.slice(0, depth).reduce<unknown>((n, k) => (isObject(n) ? n[k] : undefined), original) !== undefined;
      if (isObject(child) && Object.keys(child).length === 0 && !originalHad) delete parent[key];
      else break;
    }
  }
}

function renderJson(value: JsonObject): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function contentFor(desired: Desired, current: Buffer | undefined): string {
  if (desired.kind === 'file') return desired.content;
  const config = parseJsonConfig(desired.path, current);
  for (const entry of desired.entries) setAt(config, entry.keyPath, entry.value, desired.path);
  return renderJson(config);
}

/** Folders from `path`'s parent up to (not including) the first that exists. */
function missingDirs(path: string): string[] {
  const dirs: string[] = [];
  let dir = dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) {
    dirs.unshift(dir);
    dir = dirname(dir);
  }
  return dirs;
}

/**
 * Install an agent's plan, idempotently: the first install records every touched file's original bytes;
 * a second install rewrites only what differs and removes files an older plan had and this one has not.
 * A file of ours that already exists with other content and was not written by us is a conflict: nothing
 * is written.
 */
export function installPlan(plan: AgentPlan, stateHome: string, options: { dryRun: boolean }): IntegrationResult {
  const recordPath = manifestPath(stateHome, plan.agent);
  const previous = readManifest(recordPath);
  const known = new Map((previous?.files ?? []).map((f) => [f.path, f] as const));
  const createdDirs = new Set(previous?.createdDirs ?? []);
  const actions: FileAction[] = [];
  const writes: Array<{ desired: Desired; content: string; mode: number; record: ManifestFile }> = [];
  for (const desired of plan.desired) {
    const current = readBytes(desired.path);
    const content = contentFor(desired, current);
    const prior = known.get(desired.path);
    if (desired.kind === 'file' && current !== undefined && !prior && !current.equals(Buffer.from(content))) {
      throw new SkillOptError('CONFLICT', `${desired.path} already exists and was not written by skillopt-sleep`, { hint: 'move it away (it is yours), then run the install again' });
    }
    const mode = desired.kind === 'file' ? desired.mode : current !== undefined ? statSync(desired.path).mode & 0o777 : 0o644;
    const record: ManifestFile = prior ?? {
      path: desired.path,
      kind: desired.kind,
      original: current === undefined ? null : current.toString('base64'),
      originalMode: current === undefined ? null : statSync(desired.path).mode & 0o777,
      written: '',
    };
    record.written = sha256(content);
    if (desired.kind === 'json') record.keyPaths = (desired as JsonEntries).entries.map((e) => [...e.keyPath]);
    const unchanged = current !== undefined && current.equals(Buffer.from(content));
    actions.push({ path: desired.path, action: unchanged ? 'unchanged' : current === undefined ? 'create' : 'update' });
    writes.push({ desired, content, mode, record });
  }
  const wanted = new Set(plan.desired.map((d) => d.path));
  const stale = (previous?.files ?? []).filter((f) => !wanted.has(f.path));
  for (const file of stale) actions.push({ path: file.path, action: file.original === null ? 'remove' : 'restore' });
  if (options.dryRun) return { agent: plan.agent, operation: 'install', dryRun: true, actions, notes: plan.notes };

  for (const write of writes) {
    for (const dir of missingDirs(write.desired.path)) createdDirs.add(dir);
    mkdirSync(dirname(write.desired.path), { recursive: true });
    const current = readBytes(write.desired.path);
    if (current === undefined || !current.equals(Buffer.from(write.content))) writeFileAtomic(write.desired.path, write.content, write.mode);
  }
  for (const file of stale) undoFile(file);
  const manifest: Manifest = { agent: plan.agent, version: 1, files: writes.map((w) => w.record), createdDirs: [...createdDirs].sort() };
  writeFileAtomic(recordPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { agent: plan.agent, operation: 'install', dryRun: false, actions, notes: plan.notes };
}

/** Put one file back: its original bytes when we have not been overtaken, else only our entries out. */
function undoFile(file: ManifestFile, dryRun = false): FileAction['action'] {
  const current = readBytes(file.path);
  const original = file.original === null ? undefined : Buffer.from(file.original, 'base64');
  const untouchedSince = current !== undefined && sha256(current) === file.written;
  // A file of ours the person edited since is theirs now: keep it rather than lose their change.
  if (file.kind === 'file' && current !== undefined && !untouchedSince) return 'keep-edited';
  if (file.kind === 'file' || untouchedSince || current === undefined) {
    if (original === undefined) {
      if (!dryRun && current !== undefined) rmSync(file.path, { force: true });
      return 'remove';
    }
    if (!dryRun) writeFileAtomic(file.path, original, file.originalMode ?? 0o644);
    return 'restore';
  }
  // The person (or the agent) changed the file since we wrote it: keep their change, take out only ours.
  const config = parseJsonConfig(file.path, current);
  removeAt(config, file.keyPaths ?? [], parseJsonConfig(file.path, original));
  if (!dryRun) writeFileAtomic(file.path, renderJson(config), statSync(file.path).mode & 0o777);
  return 'remove-entries';
}

/** Undo an install: every file back as it was before the first install; created folders removed when empty. */
export function uninstallAgent(agent: AgentName, stateHome: string, options: { dryRun: boolean }): IntegrationResult {
  const recordPath = manifestPath(stateHome, agent);
  const manifest = readManifest(recordPath);
  if (!manifest) return { agent, operation: 'uninstall', dryRun: options.dryRun, actions: [], notes: [`${agent} is not installed by skillopt-sleep (no record at ${recordPath}); nothing to do`] };
  const actions = manifest.files.map((file) => ({ path: file.path, action: undoFile(file, options.dryRun) }));
  const notes: string[] = [];
  if (actions.some((a) => a.action === 'remove-entries')) notes.push('a config file changed since the install; only the skillopt-sleep entries were taken out of it, the rest is as you left it');
  for (const kept of actions.filter((a) => a.action === 'keep-edited')) notes.push(`${kept.path} was edited since the install, so it stays; delete it yourself if you do not want it`);
  if (!options.dryRun) {
    for (const dir of [...manifest.createdDirs].sort((a, b) => b.length - a.length)) removeIfEmpty(dir);
    rmSync(recordPath, { force: true });
    removeIfEmpty(dirname(recordPath));
  }
  return { agent, operation: 'uninstall', dryRun: options.dryRun, actions, notes };
}

function removeIfEmpty(dir: string): void {
  try {
    if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // Not empty or not ours to remove: leave it.
  }
}

/** One line per action for a person. */
export function renderIntegrationResult(result: IntegrationResult, cwd?: string): string {
  const verb = result.dryRun ? 'would' : 'did';
  const lines = [`${result.operation} ${result.agent}${result.dryRun ? ' (dry run: nothing written)' : ''}`];
  for (const action of result.actions) lines.push(`  ${action.action.padEnd(14)} ${cwd ? relative(cwd, action.path) || action.path : action.path}`);
  if (result.actions.length === 0) lines.push(`  (${verb} change nothing)`);
  for (const note of result.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}
