import { createRequire } from 'node:module';
import { asRecord, asString } from '../../digest.js';

const require = createRequire(import.meta.url);
let parse: (typeof import('yaml'))['parse'] | undefined;

/** The YAML parser, loaded on first use: most harvests read no `workspace.yaml`, and the module is 3 MB resident. */
function parseYaml(text: string): unknown {
  parse ??= (require('yaml') as typeof import('yaml')).parse;
  return parse(text, { maxAliasCount: 10 });
}

/** The project a session's `workspace.yaml` names (`cwd`, `git_root`, `branch`, `repository`), or undefined. */
export function projectFromWorkspaceYaml(text: string): { cwd?: string; gitBranch?: string; gitRepo?: string } | undefined {
  let doc: unknown;
  try {
    // The file is a few lines; anything huge is not ours to parse.
    if (text.length > 1_000_000) return undefined;
    doc = parseYaml(text);
  } catch {
    return undefined;
  }
  const record = asRecord(doc);
  if (!record) return undefined;
  const project: { cwd?: string; gitBranch?: string; gitRepo?: string } = {};
  const cwd = asString(record.cwd) ?? asString(record.git_root) ?? asString(record.gitRoot);
  const branch = asString(record.branch);
  const repo = asString(record.repository);
  if (cwd) project.cwd = cwd;
  if (branch) project.gitBranch = branch;
  if (repo) project.gitRepo = repo;
  return cwd || branch || repo ? project : undefined;
}
