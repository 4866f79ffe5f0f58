import { readFileSync, existsSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { SkillOptError } from '../core/errors.js';
import { decodeSkillBytes, parseSkill, skillName } from '../skills/document.js';
import { loadTaskFile, formatTaskFileProblems } from '../tasks/task-file.js';
import type { Task } from '../tasks/types.js';
import type { Output } from '../app/deps.js';

/** Read a skill file: must exist, be UTF-8 and have parseable frontmatter. */
export function readSkillFile(path: string): { text: string; name: string } {
  if (!existsSync(path)) throw new SkillOptError('INPUT', `skill file ${path} does not exist`, { hint: 'pass the path of a Markdown skill file with --skill' });
  if (!statSync(path).isFile()) throw new SkillOptError('INPUT', `skill file ${path} is a folder`, { hint: 'pass the Markdown file itself, e.g. SKILL.md inside it' });
  const text = decodeSkillBytes(readFileSync(path), path);
  const doc = parseSkill(text, path);
  const fallback = basename(path).toLowerCase() === 'skill.md' ? basename(dirname(path)) : basename(path).replace(/\.md$/i, '');
  return { text, name: skillName(doc) ?? fallback };
}

/** Load a task file; report bad lines on stderr and keep the good ones; no good line at all is an error. */
export function readTasks(path: string, output: Output): Task[] {
  const result = loadTaskFile(path);
  const lines = formatTaskFileProblems(path, result);
  // A binary or wrong file would print one line per line of it; the first 20 say enough.
  const shown = lines.length > 20 ? [...lines.slice(0, 20), `... and ${lines.length - 20} more problems in ${path}`] : lines;
  if (shown.length > 0) output.err(shown.join('\n'));
  if (result.tasks.length === 0) {
    throw new SkillOptError('INPUT', `${path} has no valid task`, { hint: 'each line must be a JSON task: {"id","prompt","judge":{...}} (see README, "Task files")' });
  }
  return result.tasks;
}
