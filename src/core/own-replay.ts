/**
 * Replays that skillopt-sleep starts (claude -p, codex exec) run in a temp workspace whose folder name
 * starts with this prefix. Agents record their cwd in the transcript, so harvest can recognise and
 * skip our own sessions without trusting anything the model wrote.
 */
export const OWN_REPLAY_DIR_PREFIX = 'skillopt-sleep-replay-';

/** Environment variable set on every replay child process (belt and braces for tools that record env). */
export const OWN_REPLAY_ENV = 'SKILLOPT_SLEEP_REPLAY';

/** True when a session's working directory is one of our replay workspaces. */
export function isOwnReplayCwd(cwd: string | undefined): boolean {
  if (!cwd) return false;
  return cwd.split(/[\\/]/).some((part) => part.startsWith(OWN_REPLAY_DIR_PREFIX));
}
