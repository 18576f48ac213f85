// Bundles the `arw` command line with esbuild (called by `npm run build:cli`, part of `npm run build`):
//   electron/cli/arw.ts              -> dist-cli/arw.mjs
//   electron/cli/audit-log-worker.ts -> dist-cli/audit-log-worker.mjs   (worker threads, loaded beside arw.mjs)
//   electron/cli/report-worker.ts    -> dist-cli/report-worker.mjs
// Self-contained: shared/ and every runtime dependency are bundled in, so it runs with Node alone (no node_modules).
import { build } from 'esbuild';
import { chmod, copyFile, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist-cli');
const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: ['arw', 'audit-log-worker', 'report-worker'].map((name) => ({ in: join(root, 'electron/cli', `${name}.ts`), out: name })),
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // CommonJS dependencies (exceljs, sql.js, ...) call require() and read __dirname: give the ES module both.
  banner: {
    js: "import { createRequire as __arwCreateRequire } from 'node:module'; import { fileURLToPath as __arwFileURLToPath } from 'node:url'; import { dirname as __arwDirname } from 'node:path'; const require = __arwCreateRequire(import.meta.url); const __filename = __arwFileURLToPath(import.meta.url); const __dirname = __arwDirname(__filename);",
  },
  define: { __ARW_VERSION__: JSON.stringify(version) },
  // esbuild, used only to bundle workers when running from TypeScript sources, is never reached from the bundle.
  external: ['esbuild'],
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
});
await chmod(join(outdir, 'arw.mjs'), 0o755);
// SQLite (sql.js) for Baton .c1z files: its WebAssembly module beside the bundle.
await copyFile(join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'), join(outdir, 'sql-wasm.wasm'));
console.log('built dist-cli/arw.mjs (and its worker scripts)');
