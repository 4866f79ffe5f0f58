import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SkillOptError } from '../core/errors.js';
import { resolveStateHome, type Environment } from '../core/paths.js';
import { installPlan, uninstallAgent, type IntegrationResult } from './installer.js';
import { AGENTS, planAgent, type AgentName, type SourceFile } from './plan.js';

/** The package's top folder (dist/integrations/ or src/integrations/ -> ../..). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What `plugins install|uninstall` needs from the composition root. */
export interface IntegrationDeps {
  environment: Environment;
  stateHome: string;
  /** The node executable and the built CLI the agent should start. */
  node: string;
  cliPath: string;
  /** Where `plugins/` is (the package root). */
  packageRoot?: string;
}

/** Check an agent name from the command line. */
export function parseAgent(value: string): AgentName {
  if ((AGENTS as readonly string[]).includes(value)) return value as AgentName;
  throw new SkillOptError('INPUT', `unknown agent "${value}"`, { hint: `choose one of: ${AGENTS.join(', ')}` });
}

function readSourceTree(root: string): SourceFile[] {
  if (!existsSync(root)) throw new SkillOptError('INTERNAL', `the package has no plugin folder ${root}`, { hint: 'reinstall skillopt-sleep (`npm i -g skillopt-sleep`)' });
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name !== 'install.env') files.push({ relPath: relative(root, path), content: readFileSync(path, 'utf8'), mode: statSync(path).mode & 0o111 ? 0o755 : 0o644 });
    }
  };
  walk(root);
  return files;
}

function listDir(path: string): string[] | undefined {
  try {
    return readdirSync(path);
  } catch {
    return undefined;
  }
}

/** Put an agent's integration where the agent looks (or, with dryRun, say what would change). */
export function installIntegration(deps: IntegrationDeps, agent: AgentName, options: { dryRun: boolean }): IntegrationResult {
  const defaultHome = resolveStateHome({ ...deps.environment, env: { ...deps.environment.env, SKILLOPT_SLEEP_HOME: undefined } });
  const plan = planAgent(agent, {
    environment: deps.environment,
    stateHome: deps.stateHome,
    cli: { node: deps.node, cliPath: deps.cliPath, ...(deps.stateHome !== defaultHome ? { customStateHome: deps.stateHome } : {}) },
    source: readSourceTree(join(deps.packageRoot ?? PACKAGE_ROOT, 'plugins', agent)),
    listDir,
  });
  return installPlan(plan, deps.stateHome, options);
}

/** Remove an agent's integration: every file the install touched back as it was. */
export function uninstallIntegration(deps: Pick<IntegrationDeps, 'stateHome'>, agent: AgentName, options: { dryRun: boolean }): IntegrationResult {
  return uninstallAgent(agent, deps.stateHome, options);
}
