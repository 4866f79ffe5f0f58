/** The agents a managed skill can be rendered for. */
export const AGENTS = ['claude-code', 'codex', 'copilot'] as const;
export type AgentName = (typeof AGENTS)[number];
