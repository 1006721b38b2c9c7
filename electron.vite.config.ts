import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;

// Three builds: main (the Electron edge and, beside it, the serve-mode host that runs under plain
// Node), a CommonJS preload (sandboxed preloads cannot be ESM), and the React renderer plus the
// serve-mode bridge (loaded only by the serve host, never by the Electron window).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(root, 'main/electron/index.ts'),
          serve: resolve(root, 'main/serve/index.ts'),
          // Argon2id runs in a worker thread; the entries point the core at this file.
          'kdf-worker': resolve(root, 'main/core/crypto/kdf-worker.mjs'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      minify: true,
      rollupOptions: {
        input: {
          index: resolve(root, 'renderer/index.html'),
          'serve-bridge': resolve(root, 'renderer/src/serve-bridge.ts'),
        },
        output: {
          entryFileNames: (chunk) => (chunk.name === 'serve-bridge' ? 'serve-bridge.js' : 'assets/[name]-[hash].js'),
        },
      },
    },
  },
});
