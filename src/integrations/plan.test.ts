import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Environment } from '../core/paths.js';
import { mcpArgs, planClaudeCode, planCodex, planCopilot, renderInstallEnv, renderUserSkill, vscodeUserDir, type PlanInputs } from './plan.js';

const env = (vars: Record<string, string> = {}, platform: NodeJS.Platform = 'linux'): Environment => ({ env: vars, platform, homeDir: '/home/p' });

function inputs(overrides: Partial<PlanInputs> = {}, dirs: Record<string, string[]> = {}): PlanInputs {
  return {
    environment: env(),
    stateHome: '/home/p/.local/state/skillopt-sleep',
    cli: { node: '/usr/bin/node', cliPath: '/opt/sos/dist/cli/main.js' },
    source: [
      { relPath: '.claude-plugin/plugin.json', content: '{"name":"skillopt-sleep","version":"1.2.3"}', mode: 0o644 },
      { relPath: 'commands/skillopt-sleep.md', content: '---\ndescription: "Run a night"\nallowed-tools: Bash\n---\nsh "${CLAUDE_PLUGIN_ROOT}/scripts/night.sh" $ARGUMENTS\n', mode: 0o644 },
      { relPath: 'scripts/night.sh', content: '#!/bin/sh\n', mode: 0o755 },
      { relPath: 'skillopt-sleep/SKILL.md', content: '---\nname: skillopt-sleep\ndescription: d\n---\nbody\n', mode: 0o644 },
    ],
    listDir: (path) => dirs[path],
    ...overrides,
  };
}

describe('renderInstallEnv', () => {
  it('quotes paths so sh reads them back exactly, quotes and spaces included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'install-env-'));
    try {
      const cli = { node: "/Users/o'brien/my node/bin/node", cliPath: '/a b/$HOME/`x`/main.js', customStateHome: '/s"t' };
      writeFileSync(join(dir, 'install.env'), renderInstallEnv(cli));
      const out = spawnSync('sh', ['-c', `. '${join(dir, 'install.env')}'; printf '%s\\n%s\\n%s' "$SKILLOPT_SLEEP_NODE" "$SKILLOPT_SLEEP_CLI" "$SKILLOPT_SLEEP_STATE"`], { encoding: 'utf8' });
      expect(out.stdout).toBe(`${cli.node}\n${cli.cliPath}\n${cli.customStateHome}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('agent locations', () => {
  it('finds VS Code user settings per platform', () => {
    expect(vscodeUserDir(env())).toBe('/home/p/.config/Code/User');
    expect(vscodeUserDir(env({ XDG_CONFIG_HOME: '/x' }))).toBe('/x/Code/User');
    expect(vscodeUserDir(env({ XDG_CONFIG_HOME: 'relative' }))).toBe('/home/p/.config/Code/User');
    expect(vscodeUserDir(env({}, 'darwin'))).toBe('/home/p/Library/Application Support/Code/User');
    expect(vscodeUserDir(env({ APPDATA: 'C:/Users/p/AppData/Roaming' }, 'win32'))).toBe('C:/Users/p/AppData/Roaming/Code/User');
  });

  it('honours CLAUDE_CONFIG_DIR and COPILOT_HOME', () => {
    const claude = planClaudeCode(inputs({ environment: env({ CLAUDE_CONFIG_DIR: '/cfg/claude' }) }));
    expect(claude.desired.filter((d) => d.path.startsWith('/cfg/claude')).map((d) => d.path)).toEqual(['/cfg/claude/settings.json', '/cfg/claude/skills/skillopt-sleep/SKILL.md']);
    const four = planClaudeCode(inputs({ source: [...inputs().source, { relPath: 'commands/skillopt-sleep-report.md', content: '---\ndescription: "r"\n---\nx\n', mode: 0o644 }] }));
    expect(four.desired.filter((d) => d.path.includes('/.claude/skills/')).map((d) => d.path)).toEqual(['/home/p/.claude/skills/skillopt-sleep/SKILL.md', '/home/p/.claude/skills/skillopt-sleep-report/SKILL.md']);
    const copilot = planCopilot(inputs({ environment: env({ COPILOT_HOME: '/cfg/copilot' }) }));
    expect(copilot.desired.map((d) => d.path)).toEqual(['/cfg/copilot/mcp-config.json']);
  });
});

describe('planCodex', () => {
  const codexSkills = '/home/p/.codex/skills';
  const agentsSkills = '/home/p/.agents/skills';
  it.each([
    ['neither has skills', {}, agentsSkills],
    ['only Codex bundled skills', { [codexSkills]: ['.system'] }, agentsSkills],
    ['the person keeps skills in $CODEX_HOME', { [codexSkills]: ['.system', 'mine'] }, codexSkills],
    ['both have skills', { [codexSkills]: ['mine'], [agentsSkills]: ['theirs'] }, agentsSkills],
  ])('%s', (_case, dirs, root) => {
    const plan = planCodex(inputs({}, dirs));
    expect(plan.desired.map((d) => d.path)).toEqual([`${root}/skillopt-sleep/SKILL.md`]);
  });
});

describe('what the plans write', () => {
  it('the Claude Code marketplace lists the plugin at its version, and the user skill runs the copied script', () => {
    const plan = planClaudeCode(inputs());
    const market = plan.desired.find((d) => d.path.endsWith('.claude-plugin/marketplace.json'));
    expect(market?.kind === 'file' && JSON.parse(market.content)).toMatchObject({ name: 'skillopt-sleep', plugins: [{ name: 'skillopt-sleep', source: './plugins/skillopt-sleep', version: '1.2.3' }] });
    const skill = renderUserSkill('skillopt-sleep', inputs().source[1]!.content, '/m/plugins/skillopt-sleep');
    expect(skill).toBe('---\nname: skillopt-sleep\ndescription: "Run a night"\nallowed-tools: Bash\ndisable-model-invocation: true\n---\n<!-- Installed by `skillopt-sleep plugins install claude-code`; removed by `plugins uninstall claude-code`. -->\nsh "/m/plugins/skillopt-sleep/scripts/night.sh" $ARGUMENTS\n');
  });

  it('starts the MCP server with absolute paths, and --home only for a custom state folder', () => {
    expect(mcpArgs({ node: 'n', cliPath: '/c.js' })).toEqual(['/c.js', 'mcp']);
    expect(mcpArgs({ node: 'n', cliPath: '/c.js', customStateHome: '/s' })).toEqual(['/c.js', '--home', '/s', 'mcp']);
    const plan = planCopilot(inputs({}, { '/home/p/.config/Code/User': ['settings.json'] }));
    expect(plan.desired).toEqual([
      { kind: 'json', path: '/home/p/.copilot/mcp-config.json', entries: [{ keyPath: ['mcpServers', 'skillopt-sleep'], value: { type: 'local', command: '/usr/bin/node', args: ['/opt/sos/dist/cli/main.js', 'mcp'], tools: ['*'] } }] },
      { kind: 'json', path: '/home/p/.config/Code/User/mcp.json', entries: [{ keyPath: ['servers', 'skillopt-sleep'], value: { type: 'stdio', command: '/usr/bin/node', args: ['/opt/sos/dist/cli/main.js', 'mcp'] } }] },
    ]);
  });
});
