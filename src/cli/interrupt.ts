import { setMaxListeners } from 'node:events';

/**
 * An AbortSignal tied to Ctrl-C / SIGTERM: the first one stops the run at the next safe point (calls in
 * flight are cancelled, the report is still written); a second one exits at once.
 */
export function interruptSignal(onFirst: (signal: string) => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  // Every call in flight (and the SDKs under them) listens on this one signal.
  setMaxListeners(0, controller.signal);
  const handler = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      // Second signal: restore the default handling and re-raise it, so the process ends as the user asked.
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      process.kill(process.pid, name);
      return;
    }
    onFirst(name);
    controller.abort(new Error(`interrupted by ${name}`));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
