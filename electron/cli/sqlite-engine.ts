// sql.js (SQLite as WebAssembly) for Baton .c1z files on Node: the .wasm beside the bundled CLI (dist-cli), or
// from node_modules when running from sources. Started only when an input needs it.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import initSqlJs from 'sql.js';
import type { SqliteEngine } from '../../shared/import';

function wasmBytes(): Uint8Array {
  const beside = fileURLToPath(new URL('./sql-wasm.wasm', import.meta.url));
  if (existsSync(beside)) return readFileSync(beside);
  return readFileSync(createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm'));
}

let engine: Promise<SqliteEngine> | undefined;
export function nodeSqliteEngine(): Promise<SqliteEngine> {
  engine ??= initSqlJs({ wasmBinary: wasmBytes() as unknown as ArrayBuffer }).then((SQL) => ({
    open: (bytes: Uint8Array) => new SQL.Database(bytes),
  }));
  return engine;
}
