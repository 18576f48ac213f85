// sql.js (SQLite as WebAssembly) for Baton .c1z files, started in the import worker (off the UI thread) only when
// an input needs it; Vite serves its .wasm as an asset of the app.
import initSqlJs from 'sql.js';
import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import type { SqliteEngine } from '../../shared/import';

let engine: Promise<SqliteEngine> | undefined;
export function workerSqliteEngine(): Promise<SqliteEngine> {
  engine ??= initSqlJs({ locateFile: () => wasmUrl }).then((SQL) => ({ open: (bytes: Uint8Array) => new SQL.Database(bytes) }));
  return engine;
}

/** Whether a file starts with a .c1z magic (C1ZF or C1Z3). */
export async function isC1zBlob(blob: Blob): Promise<boolean> {
  const head = new Uint8Array(await blob.slice(0, 5).arrayBuffer());
  return (
    head.length === 5 && head[0] === 0x43 && head[1] === 0x31 && head[2] === 0x5a && (head[3] === 0x46 || head[3] === 0x33) && head[4] === 0
  );
}
