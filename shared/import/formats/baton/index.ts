// ConductorOne Baton .c1z sync files: a binary format read before text decoding (see c1z.ts, baton-sync.ts).
import type { FormatParser, ParsedBatch } from '../../types';
import { FileLog, SnapshotBuilder } from '../common';
import type { SqliteEngine } from '../../types';
import { BatonRefusal, readBatonSync } from './baton-sync';
import { C1zError, c1zVersion, inflateC1zV1, readC1zV3Manifest } from './c1z';

export { c1zVersion, inflateC1zV1, readC1zV3Manifest, C1zError, C1Z_MAX_DATABASE_BYTES, C1Z_MAX_RATIO, type C1zV3Summary } from './c1z';
export { chooseSync } from './baton-sync';
export { batonJson } from './baton-json';
export type { SqliteDatabase, SqliteEngine, SqliteStatement } from '../../types';

/** The parser record for evidence; .c1z files are recognised by their magic bytes, never from text. */
export const batonC1z: FormatParser = {
  id: 'baton-c1z',
  label: 'ConductorOne Baton sync (.c1z)',
  formatVersion: 'c1z v1 (SQLite)',
  parserVersion: '1.0.0',
  detect: () => null,
  parse: () => {
    throw new Error('Baton .c1z files are read from their bytes (parseC1z)');
  },
};

export interface C1zOptions {
  sqlite?: SqliteEngine;
  /** Largest decompressed database accepted (bytes). */
  maxDatabaseBytes?: number;
}

/** How to turn a sync this reader cannot open into files it imports: both are named exactly. */
export const READABLE_EXPORT =
  'produce a readable export: run the connector with its SQLite storage (the older C1ZF format), or list the sync with the baton CLI as JSON and import the four files together: baton resource-types -f FILE.c1z -o json > resource-types.json; baton resources -f FILE.c1z -o json > resources.json; baton entitlements -f FILE.c1z -o json > entitlements.json; baton grants -f FILE.c1z -o json > grants.json';

/** One .c1z file into its own batch. A refusal (unfinished sync, v3 file, damaged stream) is a fatal outcome with the reason. */
export function parseC1z(name: string, bytes: Uint8Array, options: C1zOptions): { batch: ParsedBatch; reason: string } {
  const log = new FileLog(name);
  const b = new SnapshotBuilder();
  const version = c1zVersion(bytes);
  let reason = 'starts with the magic "C1ZF\\0" (Baton .c1z v1: zstd-compressed SQLite)';
  try {
    if (version === 'v3') {
      reason = 'starts with the magic "C1Z3\\0" (Baton .c1z v3: manifest and Pebble checkpoint)';
      const m = readC1zV3Manifest(bytes);
      const runs = m.syncRuns
        .map((r) => `${r.syncId}${r.type ? ` ${r.type}` : ''}${r.endedAt ? ` ended ${r.endedAt}` : ' unfinished'}`)
        .join('; ');
      throw new BatonRefusal(
        `a Baton .c1z v3 file (engine ${m.engine || 'unknown'} schema ${m.engineSchemaVersion}, payload ${m.payloadEncoding}; sync runs: ${runs || 'none listed'}; records: ${m.recordTypes.join(', ') || 'none listed'}): its Pebble data cannot be read here; ${READABLE_EXPORT}`,
      );
    }
    if (version !== 'v1') throw new BatonRefusal('not a Baton .c1z file (no C1ZF or C1Z3 magic)');
    if (!options.sqlite) throw new BatonRefusal('reading a Baton .c1z needs the SQLite engine, which this reader was not given');
    const database = inflateC1zV1(bytes, { maxBytes: options.maxDatabaseBytes });
    let db;
    try {
      db = options.sqlite.open(database);
    } catch (error) {
      throw new C1zError(`the SQLite database inside is not readable (${error instanceof Error ? error.message : String(error)})`);
    }
    try {
      readBatonSync(db, name, b, log);
    } catch (error) {
      if (error instanceof BatonRefusal || error instanceof C1zError) throw error;
      // A damaged database fails inside SQLite: the file is refused with SQLite's words.
      throw new C1zError(
        `the SQLite database inside is damaged or not a Baton sync (${error instanceof Error ? error.message : String(error)})`,
      );
    } finally {
      db.close();
    }
  } catch (error) {
    const message =
      error instanceof BatonRefusal || error instanceof C1zError
        ? error.message
        : `cannot read this Baton file: ${error instanceof Error ? error.message : String(error)}`;
    log.fatal(message);
    return { batch: { data: new SnapshotBuilder().build(), files: [log.outcome] }, reason };
  }
  return { batch: { data: b.build(), files: [log.outcome] }, reason };
}
