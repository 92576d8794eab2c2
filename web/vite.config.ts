/**
 * Vite config of the web app (web/): builds to dist/web, which `nianbao serve` serves
 * with an SPA fallback; the dev server proxies the API to a running `nianbao serve`.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const api = process.env.NIANBAO_API ?? 'http://127.0.0.1:8787';

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
    // dist/web/.vite/manifest.json: the chunks of each page (scripts/bundle-sizes.ts, test/web-bundle.test.ts)
    manifest: true,
    rolldownOptions: {
      output: {
        // long-lived vendor chunks, so that a change in the app does not invalidate them
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/, priority: 30 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 20 },
            // the icons in one chunk rather than one each (about 1 KB apiece)
            { name: 'icons', test: /node_modules[\\/]@ant-design[\\/](icons|icons-svg)[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    fs: { allow: [repoRoot] },
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/openapi.json': { target: api, changeOrigin: false },
    },
  },
  preview: { port: 4173 },
});
