/**
 * VS Code stores locations as URIs (strings like `file:///c%3A/x` or serialized objects
 * `{scheme, authority, path}`); mining wants plain paths. Remote windows (SSH, WSL, containers)
 * use `vscode-remote://<authority>/<path>`: the path is on the remote machine, which is still the
 * project the user worked in.
 */

const PATH_SCHEMES = new Set(['file', 'vscode-remote']);

/** `/c:/Users/x` -> `c:\Users\x` (VS Code writes Windows paths with a leading slash and forward slashes). */
function fixWindowsDrive(path: string): string {
  const m = /^\/([A-Za-z]):(\/.*)?$/.exec(path);
  if (!m) return path;
  return `${m[1]}:${(m[2] ?? '/').replace(/\//g, '\\')}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A filesystem path from a VS Code URI (string or serialized object), or undefined for other schemes. */
export function uriToPath(value: unknown): string | undefined {
  if (typeof value === 'string') return uriStringToPath(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const uri = value as Record<string, unknown>;
  // `{uri, range}` locations wrap the URI one level down.
  if ('uri' in uri && !('scheme' in uri)) return uriToPath(uri.uri);
  const scheme = typeof uri.scheme === 'string' ? uri.scheme : undefined;
  const path = typeof uri.path === 'string' ? uri.path : undefined;
  if (!scheme || !path || !PATH_SCHEMES.has(scheme)) return undefined;
  const authority = typeof uri.authority === 'string' ? uri.authority : '';
  if (scheme === 'file' && authority) return `\\\\${authority}${path.replace(/\//g, '\\')}`;
  return fixWindowsDrive(path);
}

function uriStringToPath(text: string): string | undefined {
  const m = /^([a-zA-Z][\w+.-]*):\/\/([^/]*)(\/[^?#]*)?/.exec(text);
  if (!m) {
    // A bare absolute path (POSIX or Windows) is already a path.
    if (text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text)) return text;
    return undefined;
  }
  const scheme = (m[1] ?? '').toLowerCase();
  if (!PATH_SCHEMES.has(scheme)) return undefined;
  const authority = safeDecode(m[2] ?? '');
  const path = safeDecode(m[3] ?? '/');
  if (scheme === 'file' && authority && authority !== 'localhost') return `\\\\${authority}${path.replace(/\//g, '\\')}`;
  return fixWindowsDrive(path);
}

/** The folder that holds a file path (works for `/` and `\` separators). */
export function parentFolder(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (cut <= 0) return path.slice(0, cut + 1) || path;
  // Keep `c:\` rather than `c:` for a file at a drive root.
  if (/^[A-Za-z]:$/.test(path.slice(0, cut))) return path.slice(0, cut + 1);
  return path.slice(0, cut);
}

/** The skill a path belongs to when it is a skill's `SKILL.md` (agents load skills by reading that file). */
export function skillFromPath(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const m = /[\\/]skills[\\/]([^\\/]+)[\\/]SKILL\.md$/i.exec(path);
  return m?.[1];
}

/** The project a workspace's `workspace.json` points to: `folder`, else the folder of the `workspace` file. */
export function projectFromWorkspaceJson(text: string): { cwd: string } | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const record = doc as Record<string, unknown>;
  const folder = uriToPath(record.folder);
  if (folder) return { cwd: folder };
  // Multi-root workspaces: the `.code-workspace` file sits in the folder people think of as the project.
  const workspace = record.workspace;
  const configUri =
    workspace !== null && typeof workspace === 'object' && !Array.isArray(workspace) && 'configPath' in workspace
      ? (workspace as Record<string, unknown>).configPath
      : workspace;
  const file = uriToPath(configUri);
  return file ? { cwd: parentFolder(file) } : undefined;
}
