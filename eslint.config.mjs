// Lint rules keep the layers honest (see docs/architecture.md):
// core and the CLI never import electron or the renderer; the renderer never imports Node built-ins,
// electron or anything under electron/; shared/ is pure TypeScript that imports nothing of either side;
// product code never imports test-support/ or tools/; db < ingest, analysis < the service.
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const NO_ELECTRON = { name: 'electron', message: 'Core code runs in plain Node: only electron/main and electron/preload import electron.' };
const NO_RENDERER = { group: ['**/renderer/**'], message: 'Core code does not import the renderer.' };
const NO_TEST_CODE = [
  { group: ['**/test-support/**'], message: 'Product code does not import test support (fakes, fixtures).' },
  { group: ['**/tools/**'], message: 'Product code does not import tools/ (the generator, the build).' },
];

// Flat config keeps the last block's options for a rule, so each block lists all of its restrictions.
function restrictImports(paths, patterns) {
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
}

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
    files: ['electron/core/**', 'electron/cli/**', 'electron/server/**', 'tools/**', 'bench/**', 'test-support/**'],
    languageOptions: { globals: globals.node },
    rules: restrictImports([NO_ELECTRON], [NO_RENDERER]),
  },
  // Test code stays out of the product: fakes, fixtures and the generator serve tests and benchmarks.
  {
    files: ['electron/core/**', 'electron/cli/**', 'electron/server/**'],
    ignores: ['**/*.test.ts'],
    rules: restrictImports([NO_ELECTRON], [NO_RENDERER, ...NO_TEST_CODE]),
  },
  {
    files: ['electron/main/**', 'electron/preload/**'],
    ignores: ['**/*.test.ts'],
    rules: restrictImports([], NO_TEST_CODE),
  },
  // The layers: db below ingest and analysis, which sit below the service (electron/core/api) and its front ends.
  {
    files: ['electron/core/db/**'],
    ignores: ['**/*.test.ts'],
    rules: restrictImports([NO_ELECTRON], [NO_RENDERER, ...NO_TEST_CODE, { group: ['**/ingest/**', '**/analysis/**', '**/core/api/**', '../api/**'], message: 'db sits below ingest, analysis and the service.' }]),
  },
  {
    files: ['electron/core/ingest/**', 'electron/core/analysis/**'],
    ignores: ['**/*.test.ts'],
    rules: restrictImports([NO_ELECTRON], [
      NO_RENDERER,
      ...NO_TEST_CODE,
      { group: ['**/core/api/**', '../api/**', '../../api/**', '../../../api/**', '**/cli/**', '**/server/**'], message: 'ingest and analysis sit below the service (electron/core/api) and its front ends.' },
    ]),
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
          patterns: [{ group: ['**/electron/**'], message: 'The renderer imports only shared/ and browser libraries.' }, ...NO_TEST_CODE],
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
          patterns: [{ group: ['**/electron/**', '**/renderer/**'], message: 'shared/ imports neither side.' }, ...NO_TEST_CODE],
        },
      ],
    },
  },
);
