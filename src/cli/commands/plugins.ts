import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import type { CliContext } from '../context.js';
import { AGENTS } from '../../integrations/plan.js';
import { renderIntegrationResult } from '../../integrations/installer.js';
import { installIntegration, parseAgent, uninstallIntegration } from '../../integrations/use-case.js';

const CLI_PATH = fileURLToPath(new URL('../main.js', import.meta.url));

/** `plugins install|uninstall AGENT`: the Claude Code plugin, the Codex skill, the Copilot MCP server. */
export function registerPlugins(program: Command, context: () => CliContext): void {
  const plugins = program.command('plugins').description(`put the agent integrations where each agent looks (${AGENTS.join(', ')}), or take them out again`);
  plugins
    .command('install <agent>')
    .description('claude-code: plugin + marketplace in settings.json and a /skillopt-sleep skill; codex: the skill; copilot: the MCP server in Copilot CLI and VS Code (idempotent)')
    .option('--dry-run', 'print what would change; write nothing')
    .option('--json', 'print the result as JSON')
    .action((agent: string, opts: { dryRun?: boolean; json?: boolean }) => {
      const ctx = context();
      const result = installIntegration({ environment: ctx.environment, stateHome: ctx.paths.home, node: process.execPath, cliPath: CLI_PATH }, parseAgent(agent), { dryRun: opts.dryRun ?? false });
      ctx.output.out(opts.json ? JSON.stringify(result, null, 2) : renderIntegrationResult(result));
    });
  plugins
    .command('uninstall <agent>')
    .description("remove an integration: every file it touched back byte for byte (or, when you edited a config since, only skillopt-sleep's entries out)")
    .option('--dry-run', 'print what would change; write nothing')
    .option('--json', 'print the result as JSON')
    .action((agent: string, opts: { dryRun?: boolean; json?: boolean }) => {
      const ctx = context();
      const result = uninstallIntegration({ stateHome: ctx.paths.home }, parseAgent(agent), { dryRun: opts.dryRun ?? false });
      ctx.output.out(opts.json ? JSON.stringify(result, null, 2) : renderIntegrationResult(result));
    });
}
