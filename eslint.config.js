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

// no-restricted-imports sees only `import … from`; these close the same boundaries for `import()`
// and require(), which passed lint before. esquery regexes cannot hold a '/': \x2F stands for it.
const re = (source) => source.replaceAll('/', '\\x2F');
const escape = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const restrictedCall = (regex, message) => [
  { selector: `ImportExpression[source.value=/${re(regex)}/]`, message },
  { selector: `CallExpression[callee.name='require'][arguments.0.value=/${re(regex)}/]`, message },
];
const ELECTRON_RE = '^electron($|/)';
const BUILTIN_RE = `^(node:)?(${builtinModules.map(escape).join('|')})$`;
const electronCall = restrictedCall(ELECTRON_RE, electronOnly.message);
// A computed path (a variable, a template) would hide where an import() leads from these rules.
const computedImport = { selector: "ImportExpression:not([source.type='Literal'])", message: 'import() takes a plain string here, so that lint can check where it leads.' };
// The preload is bundled for a sandbox: 'electron', its own files and src/shared only (no '..'
// inside the path, which would walk out of them again).
const preloadOnly = {
  regex: '^(?!(electron|\\./(?!.*\\.\\.).*|\\.\\./shared/(?!.*\\.\\.).*)$)',
  message: "The preload may import only 'electron', its own files and ../shared (the contract). Anything else runs in main, behind a contract channel.",
};

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
      'no-restricted-syntax': ['error', ...electronCall],
    },
  },
  {
    // The Electron boundary: the only places allowed to import 'electron'.
    files: ['src/main/electron/**', 'src/main/index.ts'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    // The preload runs sandboxed: 'electron' (contextBridge, ipcRenderer) yes, Node built-ins no
    // (a sandboxed preload cannot load them; they would fail only at run time).
    files: ['src/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'The preload is sandboxed: no Node built-ins. Do the work in main, behind a contract channel.' })),
          patterns: [preloadOnly],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression', message: 'The preload is bundled for a sandbox: no import(). Import statically from electron or ../shared.' },
        { selector: "CallExpression[callee.name='require']", message: 'The preload is bundled for a sandbox: no require(). Import statically from electron or ../shared.' },
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
      'no-restricted-syntax': ['error', ...electronCall, ...restrictedCall(BUILTIN_RE, 'src/shared/ runs in every process: no Node built-ins.'), computedImport],
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
      'no-restricted-syntax': [
        'error',
        ...electronCall,
        ...restrictedCall(BUILTIN_RE, 'The renderer is sandboxed: no Node built-ins. Ask the core through the contract.'),
        ...restrictedCall(mainFromRenderer.regex, mainFromRenderer.message),
        computedImport,
      ],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.mjs'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
);
