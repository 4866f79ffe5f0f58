import { join } from 'node:path';
import type { Environment } from '../core/paths.js';

/** The agents `plugins install` knows. */
export const AGENTS = ['claude-code', 'codex', 'copilot'] as const;
export type AgentName = (typeof AGENTS)[number];

/** A whole file that belongs to skillopt-sleep (created at install, removed at uninstall). */
export interface OwnedFile {
  kind: 'file';
  path: string;
  content: string;
  mode: number;
}

/** Entries skillopt-sleep sets inside an agent's own JSON config file (merged in, taken out again). */
export interface JsonEntries {
  kind: 'json';
  path: string;
  entries: Array<{ keyPath: readonly string[]; value: unknown }>;
}

export type Desired = OwnedFile | JsonEntries;

/** A file of the package's `plugins/<agent>/` folder. */
export interface SourceFile {
  relPath: string;
  content: string;
  mode: number;
}

/** How the agent reaches the CLI: absolute paths, so nothing depends on the agent's PATH. */
export interface CliLocation {
  node: string;
  cliPath: string;
  /** The state folder when it is not the platform default (passed on as --home / SKILLOPT_SLEEP_HOME). */
  customStateHome?: string;
}

/** What planning reads; all of it gathered by the caller, so planning is pure. */
export interface PlanInputs {
  environment: Environment;
  stateHome: string;
  cli: CliLocation;
  /** The files of `plugins/<agent>/` in the installed package. */
  source: readonly SourceFile[];
  /** The entries of a folder (names), or undefined when it does not exist. */
  listDir(path: string): string[] | undefined;
}

/** The plan for one agent, with what the person should know about it. */
export interface AgentPlan {
  agent: AgentName;
  desired: Desired[];
  notes: string[];
}

export const PLUGIN_NAME = 'skillopt-sleep';
export const MARKETPLACE_NAME = 'skillopt-sleep';

/** Claude Code's config folder: CLAUDE_CONFIG_DIR, else ~/.claude. */
export function claudeHome(environment: Environment): string {
  return environment.env.CLAUDE_CONFIG_DIR || join(environment.homeDir, '.claude');
}

/** Copilot CLI's config folder: COPILOT_HOME, else ~/.copilot. */
export function copilotHome(environment: Environment): string {
  return environment.env.COPILOT_HOME || join(environment.homeDir, '.copilot');
}

/** Codex's config folder: CODEX_HOME, else ~/.codex. */
export function codexHome(environment: Environment): string {
  return environment.env.CODEX_HOME || join(environment.homeDir, '.codex');
}

/** VS Code's user settings folder on this platform (stable channel). */
export function vscodeUserDir(environment: Environment): string {
  const { env, homeDir, platform } = environment;
  if (platform === 'darwin') return join(homeDir, 'Library', 'Application Support', 'Code', 'User');
  if (platform === 'win32') return join(env.APPDATA || join(homeDir, 'AppData', 'Roaming'), 'Code', 'User');
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homeDir, '.config'), 'Code', 'User');
}

/** Where the Claude Code marketplace copy lives: our own folder, outside Claude Code's plugin cache. */
export function claudeMarketplaceDir(stateHome: string): string {
  return join(stateHome, 'claude-code-marketplace');
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** install.env: the paths the plugin's scripts fall back to when `skillopt-sleep` is not on PATH. */
export function renderInstallEnv(cli: CliLocation): string {
  const lines = [
    '# Written by `skillopt-sleep plugins install claude-code`; read by scripts/skillopt-sleep.sh and hooks/run-hook.sh.',
    `export SKILLOPT_SLEEP_NODE=${shellQuote(cli.node)}`,
    `export SKILLOPT_SLEEP_CLI=${shellQuote(cli.cliPath)}`,
  ];
  if (cli.customStateHome) lines.push(`export SKILLOPT_SLEEP_STATE=${shellQuote(cli.customStateHome)}`);
  return `${lines.join('\n')}\n`;
}

/** The argv that starts the MCP server. */
export function mcpArgs(cli: CliLocation): string[] {
  return [cli.cliPath, ...(cli.customStateHome ? ['--home', cli.customStateHome] : []), 'mcp'];
}

/** A user skill answering to a bare `/NAME` (plugin commands are only `/skillopt-sleep:NAME`), made from the plugin's command with absolute paths. */
export function renderUserSkill(name: string, commandMarkdown: string, pluginDir: string): string {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(commandMarkdown);
  const front = match?.[1] ?? '';
  const body = (match?.[2] ?? commandMarkdown).replaceAll('${CLAUDE_PLUGIN_ROOT}', pluginDir);
  const rest = front.split('\n').filter((line) => !line.startsWith('name:') && !line.startsWith('disable-model-invocation:'));
  return `---\nname: ${name}\n${rest.join('\n')}\ndisable-model-invocation: true\n---\n<!-- Installed by \`skillopt-sleep plugins install claude-code\`; removed by \`plugins uninstall claude-code\`. -->\n${body}`;
}

function sourceFile(source: readonly SourceFile[], relPath: string): SourceFile {
  const file = source.find((f) => f.relPath === relPath);
  if (!file) throw new Error(`the package's plugin folder has no ${relPath}`);
  return file;
}

/** Claude Code: a local marketplace holding a copy of the plugin, registered and enabled in settings.json. */
export function planClaudeCode(inputs: PlanInputs): AgentPlan {
  const market = claudeMarketplaceDir(inputs.stateHome);
  const pluginDir = join(market, 'plugins', PLUGIN_NAME);
  const desired: Desired[] = inputs.source.map((file) => ({ kind: 'file', path: join(pluginDir, file.relPath), content: file.content, mode: file.mode }));
  desired.push({ kind: 'file', path: join(pluginDir, 'install.env'), content: renderInstallEnv(inputs.cli), mode: 0o644 });
  const version = (JSON.parse(sourceFile(inputs.source, '.claude-plugin/plugin.json').content) as { version?: string }).version ?? '0.0.0';
  const marketplace = {
    name: MARKETPLACE_NAME,
    owner: { name: 'skillopt-sleep' },
    description: 'The skillopt-sleep plugin, installed by `skillopt-sleep plugins install claude-code`.',
    plugins: [{ name: PLUGIN_NAME, source: `./plugins/${PLUGIN_NAME}`, description: 'Run a skillopt-sleep night, read its report, adopt or roll back, from inside Claude Code.', version, category: 'productivity' }],
  };
  desired.push({ kind: 'file', path: join(market, '.claude-plugin', 'marketplace.json'), content: `${JSON.stringify(marketplace, null, 2)}\n`, mode: 0o644 });
  const home = claudeHome(inputs.environment);
  desired.push({
    kind: 'json',
    path: join(home, 'settings.json'),
    entries: [
      { keyPath: ['extraKnownMarketplaces', MARKETPLACE_NAME], value: { source: { source: 'directory', path: market } } },
      { keyPath: ['enabledPlugins', `${PLUGIN_NAME}@${MARKETPLACE_NAME}`], value: true },
    ],
  });
  for (const command of inputs.source.filter((f) => /^commands\/[a-z0-9-]+\.md$/.test(f.relPath))) {
    const name = command.relPath.slice('commands/'.length, -'.md'.length);
    desired.push({ kind: 'file', path: join(home, 'skills', name, 'SKILL.md'), content: renderUserSkill(name, command.content, pluginDir), mode: 0o644 });
  }
  return {
    agent: 'claude-code',
    desired,
    notes: [
      `restart Claude Code: it registers the "${MARKETPLACE_NAME}" marketplace (${market}) and installs the enabled plugin at start-up`,
      'commands: /skillopt-sleep, /skillopt-sleep-report, /skillopt-sleep-adopt, /skillopt-sleep-rollback (user skills), and the same as /skillopt-sleep:NAME from the plugin',
    ],
  };
}

function hasUserSkills(entries: string[] | undefined): boolean {
  return (entries ?? []).some((name) => !name.startsWith('.') && name !== PLUGIN_NAME);
}

/** Codex: the skill in ~/.agents/skills, or in $CODEX_HOME/skills when the person's skills live there. */
export function planCodex(inputs: PlanInputs): AgentPlan {
  const agentsDir = join(inputs.environment.homeDir, '.agents', 'skills');
  const codexDir = join(codexHome(inputs.environment), 'skills');
  const useCodexHome = hasUserSkills(inputs.listDir(codexDir)) && !hasUserSkills(inputs.listDir(agentsDir));
  const root = useCodexHome ? codexDir : agentsDir;
  const skill = sourceFile(inputs.source, `${PLUGIN_NAME}/SKILL.md`).content;
  const args = mcpArgs(inputs.cli).slice(0, -1);
  const here = [
    '',
    '## On this machine',
    '',
    'When `skillopt-sleep` is not on PATH, run it as:',
    '',
    '```sh',
    [inputs.cli.node, ...args].map((a) => JSON.stringify(a)).join(' ') + ' <command> [flags]',
    '```',
    '',
  ].join('\n');
  return {
    agent: 'codex',
    desired: [{ kind: 'file', path: join(root, PLUGIN_NAME, 'SKILL.md'), content: `${skill.trimEnd()}\n${here}`, mode: 0o644 }],
    notes: [`Codex lists it as $${PLUGIN_NAME} (in ${root}); start a new Codex session to pick it up`],
  };
}

/** Copilot: the MCP server in Copilot CLI's mcp-config.json, and in VS Code's user mcp.json when VS Code is there. */
export function planCopilot(inputs: PlanInputs): AgentPlan {
  const args = mcpArgs(inputs.cli);
  const desired: Desired[] = [
    {
      kind: 'json',
      path: join(copilotHome(inputs.environment), 'mcp-config.json'),
      entries: [{ keyPath: ['mcpServers', PLUGIN_NAME], value: { type: 'local', command: inputs.cli.node, args, tools: ['*'] } }],
    },
  ];
  const notes = ['Copilot CLI: the sleep_* tools appear in /mcp after a restart'];
  const vscode = vscodeUserDir(inputs.environment);
  if (inputs.listDir(vscode) !== undefined) {
    desired.push({ kind: 'json', path: join(vscode, 'mcp.json'), entries: [{ keyPath: ['servers', PLUGIN_NAME], value: { type: 'stdio', command: inputs.cli.node, args } }] });
    notes.push('VS Code: start the server from the MCP view (or "MCP: List Servers") and allow its tools in Copilot Chat agent mode');
  } else {
    notes.push(`VS Code user settings not found (${vscode}); for a workspace, copy plugins/copilot/vscode-mcp.json to .vscode/mcp.json`);
  }
  return { agent: 'copilot', desired, notes };
}

/** The plan for an agent. */
export function planAgent(agent: AgentName, inputs: PlanInputs): AgentPlan {
  switch (agent) {
    case 'claude-code':
      return planClaudeCode(inputs);
    case 'codex':
      return planCodex(inputs);
    case 'copilot':
      return planCopilot(inputs);
    default:
      agent satisfies never;
      throw new Error('unreachable');
  }
}
