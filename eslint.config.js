// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'fixtures/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Fixture generators are plain Node scripts.
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
  },
  {
    // The agent plugins' hook scripts run under plain Node, outside the package.
    files: ['plugins/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Paths, env and time come from the composition root (src/core/paths.ts, src/core/clock.ts).
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='os'][callee.property.name='homedir']", message: 'Use src/core/paths.ts, not os.homedir().' },
        { selector: "CallExpression[callee.object.name='process'][callee.property.name='exit']", message: 'Only entry points set the exit code (process.exitCode).' },
      ],
    },
  },
);
