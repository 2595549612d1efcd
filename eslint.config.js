// Lint is also the architecture's documentation: the rules below are the process boundaries
// of DESIGN.md ("Processes and folders"), so CI fails when a file crosses one.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronOnly = {
  name: 'electron',
  message: "Only src/main/electron/, src/main/index.ts and src/preload/ may import 'electron'. Put plain-Node code in src/main/core/.",
};
const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'HTMLElement', 'fetch'];

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'resources/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**', 'bench/.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [electronOnly] }],
    },
  },
  {
    // The Electron boundary: the only places allowed to import 'electron'.
    files: ['src/main/electron/**', 'src/main/index.ts', 'src/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Shared code runs in every process: no node, no electron, no DOM.
    files: ['src/shared/**'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly, ...nodeBuiltins.map((name) => ({ name, message: 'src/shared/ runs in every process: no Node built-ins.' })), { name: 'react-dom', message: 'src/shared/ may not use DOM code.' }, { name: 'react', message: 'src/shared/ may not use DOM code.' }],
        },
      ],
      'no-restricted-globals': ['error', ...domGlobals.map((name) => ({ name, message: 'src/shared/ may not use DOM or browser globals.' })), 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    // The renderer is a web page: DOM yes, Node no.
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronOnly, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer is sandboxed: no Node built-ins. Ask the core through the contract.' }))] },
      ],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.mjs'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
