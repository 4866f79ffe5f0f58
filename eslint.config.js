// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The folders of pure logic: plain data in, plain data out. Files, SQLite, env and time reach them as inputs.
const PURE = ['src/train/**/*.ts', 'src/mine/**/*.ts', 'src/judges/**/*.ts', 'src/skills/**/*.ts', 'src/report/**/*.ts'];
// The skill files on disk: reading, discovering and atomically writing them is I/O by design (DESIGN: "adopt (pure
// plan + atomic write)"); the plans they carry out are pure modules beside them.
const SKILL_IO = ['src/skills/disk.ts', 'src/skills/discover.ts'];
// The only modules that may read HOME, the temp folder or the system clock: paths, clock and the composition root.
const ROOTS = ['src/core/paths.ts', 'src/core/clock.ts', 'src/app/deps.ts'];
const TESTS_AND_TOOLS = ['**/*.test.ts', 'test/**', 'src/bench/**', 'scripts/**'];

const noProcessExit = { selector: "CallExpression[callee.object.name='process'][callee.property.name='exit']", message: 'Only entry points set the exit code (process.exitCode).' };
const noOsHomedir = { selector: "CallExpression[callee.object.name='os'][callee.property.name=/^(homedir|tmpdir)$/]", message: 'Use src/core/paths.ts or the composition root (src/app/deps.ts), not os.homedir()/os.tmpdir().' };
const noClock = [
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Time is an input: take a Clock (src/core/clock.ts), not Date.now().' },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Time is an input: take a Clock (src/core/clock.ts), not new Date().' },
];
const osImports = { name: 'node:os', importNames: ['homedir', 'tmpdir'], message: 'HOME and the temp folder come from src/core/paths.ts and the composition root (src/app/deps.ts).' };
const osImportsBare = { ...osImports, name: 'os' };
const ioImports = [
  { name: 'node:fs', message: 'Pure folders take plain data; read and write files at the edges (app/, store/, cli/) and pass the result in.' },
  { name: 'node:fs/promises', message: 'Pure folders take plain data; read and write files at the edges and pass the result in.' },
  { name: 'fs', message: 'Pure folders take plain data; read and write files at the edges and pass the result in.' },
  { name: 'better-sqlite3', message: 'SQL lives in src/store/; pure folders receive records.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'fixtures/**', 'coverage/**', '.bench-tmp/**', 'test/e2e/__screenshots__/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Fixture generators are plain Node scripts.
    files: ['scripts/**/*.mjs', '.dependency-cruiser.cjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', module: 'writable', require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The agent plugins' hook scripts run under plain Node, outside the package.
    files: ['plugins/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', noProcessExit, noOsHomedir, ...noClock],
      'no-restricted-imports': ['error', { paths: [osImports, osImportsBare] }],
    },
  },
  {
    // A daemon cannot afford a promise nobody awaits: type-aware checks on the product code.
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: PURE,
    ignores: [...TESTS_AND_TOOLS, ...SKILL_IO],
    rules: { 'no-restricted-imports': ['error', { paths: [osImports, osImportsBare, ...ioImports] }] },
  },
  {
    // Roots, tests, benchmarks and scripts may read the clock, HOME and the temp folder.
    files: [...ROOTS, ...TESTS_AND_TOOLS],
    rules: { 'no-restricted-syntax': ['error', noProcessExit], 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ROOTS,
    rules: { 'no-restricted-syntax': ['error', noProcessExit, noOsHomedir] },
  },
);
