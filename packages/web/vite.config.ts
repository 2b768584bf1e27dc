import { defineConfig } from 'vite';

// Built by `npm run build -w packages/web` (cwd packages/web) into dist/, which the server serves.
// `npm run dev -w packages/web` serves it with hot reload, proxying the API to a server on :8080.
export default defineConfig({
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0 },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true } } },
});
