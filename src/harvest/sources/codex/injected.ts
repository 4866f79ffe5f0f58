/**
 * Context Codex injects as user-role messages (reference 2.3): environment, AGENTS.md instructions,
 * skills, aborted-turn notes, sub-agent notifications, user shell commands. Never a typed prompt.
 */
export const CODEX_INJECTED_PREFIXES: readonly string[] = [
  '<environment_context>',
  '<user_instructions>',
  '<INSTRUCTIONS>',
  '# AGENTS.md instructions for',
  '<turn_aborted>',
  '<subagent_notification>',
  '<context_update>',
  '<skill>',
  '<skill ',
  '<user_shell_command>',
  '<codex_internal_context',
  '<collaboration_mode>',
  '<permissions instructions>',
];

/** The kind of injected context a user-role text is, or undefined when it reads as a real prompt. */
export function codexInjectedKind(text: string): string | undefined {
  const trimmed = text.trimStart();
  for (const prefix of CODEX_INJECTED_PREFIXES) {
    if (trimmed.startsWith(prefix)) return prefix.replace(/[<>#]/g, '').trim().split(/\s/)[0];
  }
  return undefined;
}

/** Skill names from `<skill><name>…</name>…</skill>` blocks Codex injects when a skill is used. */
export function codexSkillNames(text: string): string[] {
  const names: string[] = [];
  const pattern = /<skill\b[^>]*>[\s\S]*?<name>([^<]{1,200})<\/name>/g;
  for (const match of text.matchAll(pattern)) {
    const name = match[1]?.trim();
    if (name) names.push(name);
  }
  return names;
}

/** The working directory named in an `<environment_context>` block (legacy rollouts have no cwd field). */
export function cwdFromEnvironmentContext(text: string): string | undefined {
  return /<cwd>([^<]{1,4096})<\/cwd>/.exec(text)?.[1]?.trim() || undefined;
}

/** Files named in an apply_patch body (`*** Add|Update|Delete File: path`). */
export function filesInPatch(patch: string): string[] {
  const files: string[] = [];
  for (const match of patch.matchAll(/^\*\*\* (?:Add|Update|Delete) File: (.+)$/gm)) {
    const file = match[1]?.trim();
    if (file) files.push(file);
  }
  return files;
}
