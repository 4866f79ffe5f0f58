import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import type { CliContext } from '../../app/deps.js';
import { AGENTS } from '../../integrations/plan.js';
import { renderIntegrationResult, type IntegrationResult } from '../../integrations/installer.js';
import { installIntegration, parseAgent, uninstallIntegration } from '../../integrations/use-case.js';

const CLI_PATH = fileURLToPath(new URL('../main.js', import.meta.url));

function emit(ctx: CliContext, results: IntegrationResult[], json: boolean | undefined): void {
  ctx.output.out(json ? JSON.stringify(results, null, 2) : results.map((r) => renderIntegrationResult(r)).join('\n\n'));
}

/** `plugins install|uninstall AGENT...`: the Claude Code plugin, the Codex skill, the Copilot MCP server. */
export function registerPlugins(program: Command, context: () => CliContext): void {
  const plugins = program.command('plugins').description(`put the agent integrations where each agent looks (${AGENTS.join(', ')}), or take them out again`);
  plugins
    .command('install <agent...>')
    .description('claude-code: plugin + marketplace in settings.json and a /skillopt-sleep skill; codex: the skill; copilot: the MCP server in Copilot CLI and VS Code (idempotent)')
    .option('--dry-run', 'print what would change; write nothing')
    .option('--json', 'print the results as a JSON array, one per agent')
    .action((agents: string[], opts: { dryRun?: boolean; json?: boolean }) => {
      const ctx = context();
      const names = [...new Set(agents.map(parseAgent))];
      const deps = { environment: ctx.environment, stateHome: ctx.paths.home, node: process.execPath, cliPath: CLI_PATH };
      // Plan every agent first, so a conflict in one leaves all of them untouched.
      const planned = names.map((agent) => installIntegration(deps, agent, { dryRun: true }));
      emit(ctx, opts.dryRun ? planned : names.map((agent) => installIntegration(deps, agent, { dryRun: false })), opts.json);
    });
  plugins
    .command('uninstall <agent...>')
    .description("remove integrations: every file an install touched back byte for byte (or, when you edited a config since, only skillopt-sleep's entries out)")
    .option('--dry-run', 'print what would change; write nothing')
    .option('--json', 'print the results as a JSON array, one per agent')
    .action((agents: string[], opts: { dryRun?: boolean; json?: boolean }) => {
      const ctx = context();
      const names = [...new Set(agents.map(parseAgent))];
      emit(ctx, names.map((agent) => uninstallIntegration({ stateHome: ctx.paths.home }, agent, { dryRun: opts.dryRun ?? false })), opts.json);
    });
}
