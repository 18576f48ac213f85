import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is served from ./renderer; the same build runs in Electron (file/app protocol) and in a browser.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  // Vite's chunk-size warning stays on; test/integration/bundle-size.test.ts fails a build with a JS chunk over 1.5 MB.
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    // Libraries in chunks of their own: the app's own code changes often, these rarely (and no chunk passes 1.5 MB).
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'mantine', test: /[\\/]node_modules[\\/]@mantine[\\/]/ },
            { name: 'charts', test: /[\\/]node_modules[\\/](recharts|d3-[a-z-]+|victory-vendor)[\\/]/ },
          ],
        },
      },
    },
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});
