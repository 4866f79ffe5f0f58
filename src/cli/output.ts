import type { Clock } from '../core/clock.js';
import type { Output } from '../app/deps.js';

/** Print a command's data: JSON when asked (what scripts read), else the text a person reads. */
export function emit<T>(output: Output, json: boolean | undefined, data: T, render: (data: T) => string): void {
  output.out(json ? JSON.stringify(data, null, 2) : render(data));
}

/** Progress on stderr for a person at a terminal: a self-erasing status line and persistent lines. */
export interface Progress {
  /** Redraw the one status line (throttled to 10 a second unless `force`). */
  status(text: string, force?: boolean): void;
  /** A line that stays (erases the status line first). */
  line(text: string): void;
  /** Erase the status line. */
  done(): void;
}

const SILENT: Progress = { status: () => {}, line: () => {}, done: () => {} };

/**
 * The one progress reporter: on a terminal, status lines overwrite each other and lines stay; when stderr is
 * piped, or when the command prints JSON, nothing is written (stdout stays data, logs stay clean).
 */
export function createProgress(output: Output, clock: Clock, opts: { quiet?: boolean } = {}): Progress {
  if (!output.interactive || opts.quiet) return SILENT;
  const rewrite = (text: string) => output.rewrite?.(text);
  let lastDraw = -Infinity;
  let showing = false;
  return {
    status(text, force = false) {
      const now = clock.now().getTime();
      if (!force && now - lastDraw < 100) return;
      lastDraw = now;
      showing = true;
      rewrite(`\r\x1b[K${text}`);
    },
    line(text) {
      if (showing) rewrite('\r\x1b[K');
      showing = false;
      output.err(text);
    },
    done() {
      if (showing) rewrite('\r\x1b[K');
      showing = false;
    },
  };
}
