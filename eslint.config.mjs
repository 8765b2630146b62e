// Lint rules keep the layers honest (see docs/architecture.md):
// core and the CLI never import electron or the renderer; the renderer never imports Node built-ins,
// electron or anything under electron/; shared/ is pure TypeScript that imports nothing of either side.
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'bench/out/**', 'assets/**', '.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Record data is never markup.' },
        { selector: "AssignmentExpression[left.property.name='innerHTML']", message: 'Record data is never markup: use textContent.' },
      ],
    },
  },
  {
    files: ['electron/core/**', 'electron/cli/**', 'electron/server/**', 'tools/**', 'bench/**'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Core code runs in plain Node: only electron/main and electron/preload import electron.' }],
          patterns: [{ group: ['**/renderer/**'], message: 'Core code does not import the renderer.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    // Unit tests of renderer logic run in Node's test runner.
    ignores: ['renderer/**/*.test.ts'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches data only through the API in renderer/src/api.' }, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer runs in a browser: no Node built-ins.' }))],
          patterns: [{ group: ['**/electron/**'], message: 'The renderer imports only shared/ and browser libraries.' }],
        },
      ],
    },
  },
  {
    files: ['shared/**'],
    // Unit tests of shared logic run in Node's test runner, as the renderer's do.
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'shared/ is pure TypeScript.' }, ...nodeBuiltins.map((name) => ({ name, message: 'shared/ is pure TypeScript: no Node built-ins.' }))],
          patterns: [{ group: ['**/electron/**', '**/renderer/**'], message: 'shared/ imports neither side.' }],
        },
      ],
    },
  },
);
