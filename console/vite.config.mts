import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The console (issue 16): built to dist/console and served by the API process at /console/.
 * No plugin: Vite 8's oxc transform compiles TSX with the automatic React runtime.
 */
export default defineConfig({
  root: resolve(import.meta.dirname),
  base: '/console/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: resolve(import.meta.dirname, '..', 'dist', 'console'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
    // .vite/manifest.json: which chunks the first load fetches (bench/console.ts).
    manifest: true,
    rolldownOptions: {
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: { fs: { allow: [resolve(import.meta.dirname, '..')] } },
});
