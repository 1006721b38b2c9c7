import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Each top-level folder is one process (or one tool). The import-boundary rules below keep the map
// in docs/DESIGN.md true: renderer and preload never reach into main, main/core never touches Electron,
// common depends on nothing of ours, and the sandbox stays out of the app.

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'stream', 'worker_threads', 'url', 'util'];

const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});

const boundary = {
  main: { group: ['**/main/**', '../main', '../../main'], message: 'Only main/ may import main/: talk to it through window.hoody (the contract in common/).' },
  electron: { group: ['electron', 'electron/*'], message: 'Electron is only for main/electron/ and preload/: main/core must run under plain Node.' },
  electronEdge: { group: ['**/electron/**', '../electron', '../electron/*'], message: 'main/core and main/serve must not import the Electron edge.' },
  renderer: { group: ['**/renderer/**'], message: 'The renderer is imported by nobody: it is a separate process.' },
  preload: { group: ['**/preload/**'], message: 'The preload is its own bundle; share code through common/.' },
  coreInside: {
    group: ['**/core/*', '**/core/**/*', '!**/core/index.js'],
    message: 'The edges reach the core only through main/core/index.ts: it is the list of what they depend on.',
  },
  web: { group: ['**/web/**', '../web', '../web/*'], message: 'main/web serves the window for the edges; the core does not serve pages.' },
  sandbox: { group: ['**/sandbox/**'], message: 'The sandbox is a development tool and is never bundled into the app.' },
  node: { group: NODE_BUILTINS, message: 'Browser code cannot use Node built-ins.' },
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '**/*.tmp.*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  { files: ['scripts/**/*.mjs', '*.config.{js,ts}'], languageOptions: { globals: globals.node } },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict([boundary.main, boundary.electron, boundary.preload, boundary.sandbox, boundary.node]),
    },
  },
  {
    // Views render; stores act: only stores/ and lib/ talk to main through window.hoody.
    files: ['renderer/src/views/**/*.{ts,tsx}', 'renderer/src/components/**/*.{ts,tsx}'],
    rules: restrict([
      boundary.main,
      boundary.electron,
      boundary.preload,
      boundary.sandbox,
      boundary.node,
      { group: ['**/lib/hoody.js', '**/lib/hoody'], message: 'Views render; stores act: call a store action (renderer/src/stores/) instead of window.hoody.' },
    ]),
  },
  { files: ['preload/**/*.ts'], rules: restrict([boundary.main, boundary.renderer, boundary.sandbox, boundary.node]) },
  { files: ['common/**/*.ts'], rules: restrict([boundary.main, boundary.electron, boundary.renderer, boundary.preload, boundary.sandbox, boundary.node]) },
  { files: ['main/core/**/*.ts'], rules: restrict([boundary.electron, boundary.electronEdge, boundary.web, boundary.renderer, boundary.preload, boundary.sandbox]) },
  { files: ['main/web/**/*.ts'], rules: restrict([boundary.electron, boundary.electronEdge, boundary.coreInside, boundary.renderer, boundary.preload, boundary.sandbox]) },
  { files: ['main/serve/**/*.ts', 'main/cli/**/*.ts'], rules: restrict([boundary.electron, boundary.electronEdge, boundary.coreInside, boundary.renderer, boundary.sandbox]) },
  { files: ['main/electron/**/*.ts'], rules: restrict([boundary.coreInside, boundary.renderer, boundary.preload, boundary.sandbox]) },
  { files: ['sandbox/**/*.ts'], rules: restrict([boundary.main, boundary.electron, boundary.renderer, boundary.preload]) },
);
