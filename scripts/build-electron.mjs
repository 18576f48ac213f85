// Bundles the Electron main process and preload script with esbuild (called by `npm run build:electron`).
//   electron/main/index.ts    -> dist-electron/main.cjs     (Node, CommonJS, electron external)
//   electron/preload/index.ts -> dist-electron/preload.cjs  (sandboxed preload: may require only 'electron')
// Everything else (shared/, zod, ...) is bundled in, so the packaged app needs no node_modules.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist-electron');
const production = process.env.NODE_ENV !== 'development';

const common = {
  bundle: true,
  format: 'cjs',
  external: ['electron'],
  sourcemap: production ? false : 'inline',
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
};

await rm(outdir, { recursive: true, force: true });

await build({
  ...common,
  entryPoints: [join(root, 'electron/main/index.ts')],
  outfile: join(outdir, 'main.cjs'),
  platform: 'node',
  target: 'node22',
});

await build({
  ...common,
  entryPoints: [join(root, 'electron/preload/index.ts')],
  outfile: join(outdir, 'preload.cjs'),
  // 'browser' makes any accidental Node built-in a build error: a sandboxed preload cannot load it.
  platform: 'browser',
  target: 'chrome140',
});

// A sandboxed preload can require() only a handful of modules; ours must need nothing but electron.
const preload = await readFile(join(outdir, 'preload.cjs'), 'utf8');
const required = [...preload.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
const foreign = required.filter((name) => name !== 'electron');
if (foreign.length > 0) {
  console.error(`preload.cjs requires ${foreign.join(', ')}; a sandboxed preload may only require 'electron'.`);
  process.exit(1);
}
console.log('built dist-electron/main.cjs and dist-electron/preload.cjs');
