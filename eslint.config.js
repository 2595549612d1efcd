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
// 'electron/main', 'electron/renderer', 'electron/common' are the same module by other names.
const electronSubpaths = { regex: '^electron/', message: electronOnly.message };
// The renderer reaches the main process only through window.vitalsync (the contract), never by
// importing main-process or preload code, however the path is spelled.
const mainFromRenderer = {
  regex: '(^|/)(main|preload)(/|$)',
  message: 'The renderer may not import main-process or preload code: ask the core through window.vitalsync (the contract in src/shared).',
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
      'no-restricted-imports': ['error', { paths: [electronOnly], patterns: [electronSubpaths] }],
    },
  },
  {
    // The Electron boundary: the only places allowed to import 'electron'.
    files: ['src/main/electron/**', 'src/main/index.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The preload runs sandboxed: 'electron' (contextBridge, ipcRenderer) yes, Node built-ins no
    // (a sandboxed preload cannot load them; they would fail only at run time).
    files: ['src/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: nodeBuiltins.map((name) => ({ name, message: 'The preload is sandboxed: no Node built-ins. Do the work in main, behind a contract channel.' })) },
      ],
    },
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
          patterns: [electronSubpaths],
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
        {
          paths: [electronOnly, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer is sandboxed: no Node built-ins. Ask the core through the contract.' }))],
          patterns: [electronSubpaths, mainFromRenderer],
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.mjs'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
