import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is served from ./renderer; the same build runs in Electron (file/app protocol) and in a browser.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  // Vite's chunk-size warning stays on; test/integration/bundle-size.test.ts fails a build with a JS chunk over 1.5 MB.
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});
