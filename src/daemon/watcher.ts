import { watch, type FSWatcher } from 'chokidar';
import { readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, sep } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

/** What the watcher reports. */
export interface WatcherEvents {
  /** A transcript-like file (.jsonl / .json) under a root was added or changed. */
  onFile(path: string): void;
  /** A root that did not exist now does (or came back): its files may predate the watch. */
  onRootAppeared(root: string): void;
}

/** Watch options from the config. */
export interface WatchOptions {
  usePolling: boolean;
  pollIntervalMs: number;
}

/** The roots and what is watched for them, for `status`. */
export interface WatchState {
  watching: string[];
  waitingFor: Array<{ root: string; watchingParent: string }>;
}

const TRANSCRIPT_FILE = /\.jsonl?$/i;

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function nearestExistingAncestor(path: string): Promise<string> {
  let dir = dirname(path);
  while (!(await isDirectory(dir))) {
    const up = dirname(dir);
    if (up === dir) return dir;
    dir = up;
  }
  return dir;
}

function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

/**
 * chokidar over the transcript roots (folders, never globs). A root that does not exist yet is waited for by
 * watching its nearest existing parent (depth 0), and picked up when it appears; a root that disappears (a removed
 * disk) goes back to waiting. Only `.jsonl` / `.json` files are reported: the tools' other files (VS Code's
 * state databases) change all day and are no transcripts.
 */
export class TranscriptWatcher {
  private main: FSWatcher | undefined;
  private parents: FSWatcher | undefined;
  private watched = new Set<string>();
  private parentOf = new Map<string, string>();
  private reconciling: Promise<void> | undefined;
  private again = false;
  private closed = false;
  /** Last time a transcript changed (an agent session is active). */
  lastActivityAt: Date | null = null;

  constructor(
    private roots: string[],
    private readonly events: WatcherEvents,
    private readonly options: WatchOptions,
    private readonly deps: { clock: Clock; logger: Logger },
  ) {}

  /** Start watching; resolves once every present root is being watched. */
  async start(): Promise<void> {
    const common = { ignoreInitial: true, persistent: true, usePolling: this.options.usePolling, interval: this.options.pollIntervalMs, binaryInterval: this.options.pollIntervalMs };
    const onFile = (path: string) => {
      if (!TRANSCRIPT_FILE.test(path) || !this.covers(path)) return;
      this.lastActivityAt = this.deps.clock.now();
      this.events.onFile(path);
    };
    if (this.options.usePolling) {
      // Polling sees a file's own size and mtime only: every transcript file is polled.
      this.main = watch([], { ...common, ignored: (path, stats) => Boolean(stats?.isFile()) && !TRANSCRIPT_FILE.test(path) });
      this.main.on('add', onFile).on('change', onFile);
    } else {
      // Events: only folders are watched (one inotify / kqueue watch per folder, not per file: 10,000 transcripts
      // cost ~50 MB less); a folder's raw event names the child file that was written.
      this.main = watch([], { ...common, ignored: (_path, stats) => Boolean(stats?.isFile()) });
      this.main.on('raw', (_event, path, details) => {
        const watchedPath = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
        if (typeof path !== 'string' || !path) return;
        onFile(isAbsolute(path) ? path : typeof watchedPath === 'string' ? join(watchedPath, path) : path);
      });
    }
    this.parents = watch([], { ...common, depth: 0, ignored: (_path, stats) => Boolean(stats?.isFile()) });
    // A file written into a new folder before its watch was set is found by listing the folder once.
    this.main.on('addDir', (dir) => {
      readdir(dir).then(
        (names) => names.forEach((name) => onFile(join(dir, name))),
        () => undefined,
      );
    });
    this.main.on('unlinkDir', (path) => {
      if (this.watched.has(path)) void this.reconcile();
    });
    this.main.on('error', (error) => this.deps.logger.warn({ err: error }, 'transcript watcher error (the watch goes on; a removed disk is waited for)'));
    this.parents.on('addDir', () => void this.reconcile());
    this.parents.on('error', (error) => this.deps.logger.warn({ err: error }, 'parent-folder watcher error'));
    await this.reconcile();
  }

  /** Replace the roots (reload-config). */
  async setRoots(roots: string[]): Promise<void> {
    this.roots = roots;
    await this.reconcile();
  }

  /** What is watched now. */
  state(): WatchState {
    return { watching: [...this.watched].sort(), waitingFor: [...this.parentOf].map(([root, watchingParent]) => ({ root, watchingParent })).sort((a, b) => a.root.localeCompare(b.root)) };
  }

  /** True when the path is under a watched root. */
  covers(path: string): boolean {
    return [...this.watched].some((root) => isUnder(path, root));
  }

  /** Bring the watches in line with the roots on disk; concurrent calls coalesce. Also run hourly. */
  reconcile(): Promise<void> {
    if (this.reconciling) {
      this.again = true;
      return this.reconciling;
    }
    this.reconciling = (async () => {
      do {
        this.again = false;
        await this.reconcileOnce();
      } while (this.again && !this.closed);
    })().finally(() => {
      this.reconciling = undefined;
    });
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<void> {
    if (this.closed || !this.main || !this.parents) return;
    const wanted = new Set(this.roots);
    for (const root of [...this.watched]) {
      if (!wanted.has(root) || !(await isDirectory(root))) {
        this.main.unwatch(root);
        this.watched.delete(root);
        if (wanted.has(root)) this.deps.logger.warn({ root }, 'transcript root disappeared; waiting for it to come back');
      }
    }
    const neededParents = new Set<string>();
    for (const root of wanted) {
      if (this.watched.has(root)) continue;
      if (await isDirectory(root)) {
        const wasWaiting = this.parentOf.delete(root);
        this.watched.add(root);
        this.main.add(root);
        this.deps.logger.info({ root }, 'watching transcript root');
        if (wasWaiting) this.events.onRootAppeared(root);
        continue;
      }
      const parent = await nearestExistingAncestor(root);
      if (this.parentOf.get(root) !== parent) this.deps.logger.info({ root, parent }, 'transcript root does not exist yet; watching its parent');
      this.parentOf.set(root, parent);
      neededParents.add(parent);
    }
    for (const root of [...this.parentOf.keys()]) if (!wanted.has(root)) this.parentOf.delete(root);
    const current = new Set(this.parentWatches);
    for (const p of neededParents) if (!current.has(p)) this.parents.add(p);
    for (const p of current) if (!neededParents.has(p)) this.parents.unwatch(p);
    this.parentWatches = [...neededParents];
  }

  private parentWatches: string[] = [];

  /** Stop every watch. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.main?.close(), this.parents?.close()]);
  }
}
