// @ts-check
// The layering of ../shared/DESIGN.md ("Layout"), written as rules: imports run downward only.
//   cli, daemon, mcp, bench -> app -> config -> features -> store -> core
// Each folder lists the folders it may import (besides itself). Type-only imports into store/ are allowed:
// a repository maps rows to the feature's record types, which carry no code.
const MAY_IMPORT = {
  core: [],
  store: ['core'],
  models: ['core'],
  skills: ['core'],
  judges: ['core', 'models', 'skills'],
  harvest: ['core', 'store'],
  tasks: ['core', 'judges', 'skills', 'store'],
  train: ['core', 'judges', 'models', 'skills', 'tasks'],
  mine: ['core', 'harvest', 'judges', 'models', 'store', 'tasks'],
  simulated: ['core', 'harvest', 'judges', 'mine', 'models', 'skills', 'tasks', 'train'],
  report: ['core', 'judges', 'models', 'skills', 'tasks', 'train'],
  night: ['core', 'harvest', 'judges', 'mine', 'models', 'report', 'simulated', 'skills', 'store', 'tasks', 'train'],
  config: ['core', 'harvest', 'mine', 'models', 'tasks', 'train'],
  app: ['config', 'core', 'harvest', 'judges', 'mine', 'models', 'night', 'report', 'simulated', 'skills', 'store', 'tasks', 'train'],
  service: ['core'],
  daemon: ['app', 'config', 'core', 'harvest', 'night', 'service', 'store'],
  mcp: ['app', 'config', 'core', 'night', 'report', 'store', 'tasks'],
  integrations: ['core'],
  cli: ['app', 'config', 'core', 'daemon', 'harvest', 'integrations', 'judges', 'mcp', 'mine', 'models', 'night', 'report', 'service', 'skills', 'store', 'tasks', 'train'],
};
const ALL = Object.keys(MAY_IMPORT);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle between modules means neither can be understood or tested alone.',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    ...Object.entries(MAY_IMPORT).map(([layer, allowed]) => ({
      name: `layer-${layer}`,
      severity: /** @type {const} */ ('error'),
      comment: `src/${layer}/ may import only ${allowed.length ? allowed.map((a) => `src/${a}/`).join(', ') : 'nothing else of ours'} (DESIGN.md, Layout).`,
      from: { path: `^src/${layer}/`, pathNot: '\\.test\\.ts$' },
      to: {
        path: `^src/(${ALL.filter((f) => f !== layer && !allowed.includes(f)).join('|')})/`,
        ...(layer === 'store' ? { dependencyTypesNot: ['type-only'] } : {}),
      },
    })),
    {
      name: 'bench-and-tests-only-from-tests',
      severity: 'error',
      comment: 'Production code never imports a test helper or a benchmark.',
      from: { path: '^src/', pathNot: ['\\.test\\.ts$', '^src/bench/'] },
      to: { path: ['^test/', '^src/bench/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/', '^fixtures/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
