import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

/**
 * The Vite configuration of one app (web/console, web/merchant): Preact's JSX through Vite's own
 * transformer (no Babel plugin), hashed files only (nothing inlined as a `data:` URL, which the CSP
 * does not allow), and no modulepreload polyfill (every browser the apps target has modulepreload).
 * `npm run build:web` (local/web-build.ts) passes `--outDir`.
 */
export function appConfig(app: 'console' | 'merchant', base: '/console/' | '/m/'): UserConfig {
  return defineConfig({
    root: fileURLToPath(new URL(`./${app}/`, import.meta.url)),
    base,
    publicDir: false,
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: fileURLToPath(new URL(`../.dist/web/${app}/`, import.meta.url)),
      emptyOutDir: true,
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      sourcemap: false,
      reportCompressedSize: false,
    },
  });
}
