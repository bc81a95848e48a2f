/**
 * Vite build of the web console. `npm run build:console` writes console/dist, which is
 * committed: the broker's HTTP listener serves it as static files, so users need no build.
 * `base: './'` keeps every asset URL relative, so the console works under any mount path.
 * In development (`npx vite console`) /api, /metrics and /health are proxied to a running
 * broker's HTTP listener (GREGOR_HTTP, default http://127.0.0.1:8080).
 */
import { defineConfig } from 'vite';

const brokerHttp = process.env.GREGOR_HTTP ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One small JS and one CSS file; no source maps shipped in the package.
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    proxy: {
      '/api': brokerHttp,
      '/metrics': brokerHttp,
      '/health': brokerHttp,
      '/ready': brokerHttp,
    },
  },
});
