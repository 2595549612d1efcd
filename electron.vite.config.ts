import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY_META } from './src/shared/csp';

const __dirname = dirname(fileURLToPath(import.meta.url));

function bakedClients(): Record<string, { clientId: string; clientSecret: string }> {
  const out: Record<string, { clientId: string; clientSecret: string }> = {};
  for (const p of ['withings', 'oura', 'whoop', 'strava']) {
    const id = process.env[`VITALSYNC_${p.toUpperCase()}_CLIENT_ID`];
    const secret = process.env[`VITALSYNC_${p.toUpperCase()}_CLIENT_SECRET`];
    if (id && secret) out[p] = { clientId: id, clientSecret: secret };
  }
  return out;
}

/**
 * Writes the one CSP (src/shared/csp.ts) into the built index.html, so the page carries it even
 * where no header is set. Build only: the dev server's hot reload needs its own scripts.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'vitalsync-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'pre',
      handler: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY_META }, injectTo: 'head-prepend' }],
    },
  };
}

// Three builds: main (Node side: the Electron entry, the CLI, browser-mode server and worker
// entries, all sharing the core), preload (sandboxed, so CommonJS and fully bundled) and the
// renderer (React).
export default defineConfig({
  main: {
    // A distributor may bake default OAuth client credentials into a build:
    // VITALSYNC_<PROVIDER>_CLIENT_ID / _CLIENT_SECRET set when running `npm run build` (README).
    define: { __VITALSYNC_BAKED_CLIENTS__: JSON.stringify(bakedClients()) },
    build: {
      outDir: 'out/main',
      // zod and drizzle-orm are bundled (tree-shaken) instead of loaded from node_modules: Node
      // would otherwise read ~200 of their files at every CLI start (issue #12, start-up < 300 ms).
      externalizeDeps: { exclude: ['zod', 'drizzle-orm'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli.ts'),
          importWorker: resolve(__dirname, 'src/main/workers/importWorker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can only require 'electron' and a few built-ins: bundle zod in.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves bundles unminified; the renderer is big (React + echarts) and its
      // parse time is part of first paint, so minify it.
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
    plugins: [react(), contentSecurityPolicy()],
  },
});
