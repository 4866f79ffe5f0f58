import { spawn } from 'node:child_process';
import { SkillOptError } from '../core/errors.js';

/** The editor command a person chose: $VISUAL, then $EDITOR, then the platform's default. */
export function resolveEditorCommand(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): string {
  const chosen = [env.VISUAL, env.EDITOR].find((value) => value !== undefined && value.trim() !== '');
  return chosen?.trim() ?? (platform === 'win32' ? 'notepad' : 'vi');
}

/**
 * Split an editor command into program and arguments the way a shell would for the simple cases people put
 * in $EDITOR: whitespace separates words, single and double quotes group, a backslash escapes a quote, a
 * space or a backslash (other backslashes stay, so Windows paths survive). Returns [] for a blank command.
 */
export function splitCommandLine(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const ch = command.charAt(i);
    const next = command.charAt(i + 1);
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && (next === '"' || next === '\\')) {
        current += next;
        i++;
      } else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && (next === '"' || next === "'" || next === ' ' || next === '\\')) {
      current += next;
      inWord = true;
      i++;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** How the editor process is started: the terminal is handed over by default. */
export interface SpawnEditorOptions {
  stdio?: 'inherit' | 'ignore';
  env?: NodeJS.ProcessEnv;
}

/**
 * Run `command file` (e.g. EDITOR="code -w") and wait for the editor to exit. Without a shell, so a file name
 * is never interpreted. A missing program or a non-zero exit is a SkillOptError naming the command and the fix.
 */
export function spawnEditor(command: string, file: string, options: SpawnEditorOptions = {}): Promise<void> {
  const words = splitCommandLine(command);
  const program = words[0];
  if (program === undefined) {
    return Promise.reject(new SkillOptError('CONFIG', 'the editor command is empty', { hint: 'set EDITOR, e.g. EDITOR=nano or EDITOR="code -w"' }));
  }
  return new Promise<void>((resolve, reject) => {
    const child = spawn(program, [...words.slice(1), file], { stdio: options.stdio ?? 'inherit', ...(options.env ? { env: options.env } : {}) });
    child.once('error', (error: NodeJS.ErrnoException) => {
      const missing = error.code === 'ENOENT';
      reject(
        new SkillOptError('CONFIG', missing ? `editor "${program}" not found (from "${command}")` : `cannot start editor "${command}": ${error.message}`, {
          hint: 'set EDITOR (or VISUAL) to an installed editor; GUI editors need their wait flag, e.g. EDITOR="code -w"',
          cause: error,
        }),
      );
    });
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else {
        reject(
          new SkillOptError('INPUT', `editor "${command}" ${signal ? `was stopped by ${signal}` : `exited with status ${String(code)}`}; nothing was saved`, {
            hint: 'save and quit the editor normally to keep your changes (in vi: :wq)',
          }),
        );
      }
    });
  });
}
