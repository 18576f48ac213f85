// Suggestions are derived data, stored in chunks of typed columns (suggestion-columns.ts) keyed by snapshot, policy
// digest and engine version. Chunks written before as JSON text or objects are still read.
import type { Suggestion } from '../../shared/suggest';
import type { SuggestionSetRecord, WorkbenchDatabase } from './database';
import { decodeSuggestions, suggestionEncoder } from './suggestion-columns';

const PER_CHUNK = 50_000;

/** Suggestions depend on the snapshot, the policy, the engine, the class corrections and the correlation
 * resolutions made so far (resolutions: how many entries of the list; the key names that prefix). */
export function suggestionKey(snapshotId: string, policyDigest: string, engine: string, corrections = 0, resolutions = 0): string {
  const base = corrections
    ? `${snapshotId}|${policyDigest}|${engine}|corrections:${corrections}`
    : `${snapshotId}|${policyDigest}|${engine}`;
  return resolutions ? `${base}|resolutions:${resolutions}` : base;
}

export async function storeSuggestions(
  db: WorkbenchDatabase,
  meta: Omit<SuggestionSetRecord, 'key' | 'count' | 'chunks' | 'status'>,
  rows: Suggestion[],
  corrections = 0,
  resolutions = 0,
): Promise<SuggestionSetRecord> {
  const key = suggestionKey(meta.snapshotId, meta.policyDigest, meta.engine, corrections, resolutions);
  const record: SuggestionSetRecord = { ...meta, key, count: rows.length, chunks: Math.ceil(rows.length / PER_CHUNK), status: 'complete' };
  await db.transaction('rw', db.suggestionSets, db.suggestionChunks, async () => {
    await db.suggestionChunks.where('key').equals(key).delete();
    // Typed columns, not JSON: a million suggestions as JSON text are gigabytes and tens of seconds to write.
    // Not awaited one by one: the next chunk is encoded while the database writes the previous one (add() clones
    // the columns at once, so they are not held twice).
    const writes: Promise<unknown>[] = [];
    const encodeSuggestions = suggestionEncoder();
    for (let i = 0, index = 0; i < rows.length; i += PER_CHUNK, index++)
      writes.push(db.suggestionChunks.add({ key, index, columns: encodeSuggestions(rows, i, Math.min(i + PER_CHUNK, rows.length)) }));
    await Promise.all(writes);
    await db.suggestionSets.put(record);
  });
  return record;
}

export async function findSuggestionSet(db: WorkbenchDatabase, key: string): Promise<SuggestionSetRecord | undefined> {
  const r = await db.suggestionSets.get(key);
  return r?.status === 'complete' ? r : undefined;
}

export async function loadSuggestions(db: WorkbenchDatabase, key: string): Promise<Suggestion[]> {
  const chunks = await db.suggestionChunks.where('key').equals(key).sortBy('index');
  return chunks.flatMap((c) =>
    c.columns ? decodeSuggestions(c.columns) : c.json !== undefined ? (JSON.parse(c.json) as Suggestion[]) : (c.rows ?? []),
  );
}
