// Suggestions are derived data, stored in chunks of typed columns (suggestion-columns.ts) keyed by snapshot, policy
// digest and engine version. Chunks written before as JSON text or objects are still read.
import type { Suggestion } from '../../shared/suggest';
import type { SuggestionChunk, SuggestionSetRecord, WorkbenchDatabase } from './database';
import { decodeSuggestions, suggestionEncoder, type SuggestionColumns } from './suggestion-columns';
import { summarizeChunk, summaryOf, suggestionsAtRows, type PlacedSummary, type SuggestionPlace } from './suggestion-summary';

/** Suggestions per chunk (the suggest workers' SUGGESTIONS_PER_CHUNK is the same). */
export const PER_CHUNK = 50_000;

/** Suggestions depend on the snapshot, the policy, the engine, the class corrections and the correlation
 * resolutions made so far (resolutions: how many entries of the list; the key names that prefix), and on the date
 * they were computed as of: a campaign created for another day must not replace the set an earlier campaign reviews. */
export function suggestionKey(
  snapshotId: string,
  policyDigest: string,
  engine: string,
  corrections = 0,
  resolutions = 0,
  asOf?: string,
): string {
  let key = `${snapshotId}|${policyDigest}|${engine}`;
  if (corrections) key += `|corrections:${corrections}`;
  if (asOf !== undefined) key += `|asOf:${asOf}`;
  return resolutions ? `${key}|resolutions:${resolutions}` : key;
}

export async function storeSuggestions(
  db: WorkbenchDatabase,
  meta: Omit<SuggestionSetRecord, 'key' | 'count' | 'chunks' | 'status'>,
  rows: Suggestion[],
  corrections = 0,
  resolutions = 0,
): Promise<SuggestionSetRecord> {
  // Typed columns, not JSON: a million suggestions as JSON text are gigabytes and tens of seconds to write.
  const encodeSuggestions = suggestionEncoder();
  const chunks: SuggestionColumns[] = [];
  for (let i = 0; i < rows.length; i += PER_CHUNK) chunks.push(encodeSuggestions(rows, i, Math.min(i + PER_CHUNK, rows.length)));
  return storeSuggestionChunks(db, meta, chunks, corrections, resolutions);
}

/** Chunks encoded already (by the suggest workers, each its part, in order): written in one transaction, so a set
 * is stored whole or not at all. */
export async function storeSuggestionChunks(
  db: WorkbenchDatabase,
  meta: Omit<SuggestionSetRecord, 'key' | 'count' | 'chunks' | 'status'>,
  chunks: readonly SuggestionColumns[],
  corrections = 0,
  resolutions = 0,
): Promise<SuggestionSetRecord> {
  const key = suggestionKey(meta.snapshotId, meta.policyDigest, meta.engine, corrections, resolutions, meta.asOf);
  const count = chunks.reduce((n, c) => n + c.count, 0);
  const record: SuggestionSetRecord = { ...meta, key, count, chunks: chunks.length, status: 'complete' };
  if (lastChunk?.key === key) lastChunk = null;
  await db.transaction('rw', db.suggestionSets, db.suggestionChunks, async () => {
    await db.suggestionChunks.where('key').equals(key).delete();
    // Typed arrays clone as a copy of their bytes: the chunks are handed over without waiting on each write.
    await db.suggestionChunks.bulkAdd(chunks.map((columns, index) => ({ key, index, columns })));
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
  return chunks.flatMap(chunkSuggestions);
}

function chunkSuggestions(c: SuggestionChunk): Suggestion[] {
  return c.columns ? decodeSuggestions(c.columns) : c.json !== undefined ? (JSON.parse(c.json) as Suggestion[]) : (c.rows ?? []);
}

/** The set's suggestions as summaries, each placed in its stored chunk (for loadSuggestionsAt). */
export async function loadSuggestionSummaries(db: WorkbenchDatabase, key: string): Promise<PlacedSummary[]> {
  const out: PlacedSummary[] = [];
  // A chunk at a time: only one chunk's columns are held beside the summaries.
  const count = await db.suggestionChunks.where('key').equals(key).count();
  for (let index = 0; index < count; index++) {
    const c = await db.suggestionChunks.get([key, index]);
    if (!c) throw new Error(`suggestion set ${key}: chunk ${index} of ${count} is missing`);
    const rows = c.columns
      ? summarizeChunk(c.columns, c.index)
      : chunkSuggestions(c).map((s, row) => summaryOf(s, { chunk: c.index, row }));
    for (const s of rows) out.push(s);
  }
  return out;
}

/** Full suggestions at these places of the set, in the order asked (each chunk read once; format 3 decodes only
 * the rows asked for). */
/** The chunk read last: the detail pane asks for one item at a time, mostly the neighbour of the one before (a chunk
 * holds 50,000). A set's chunks change only when its key is written again, which clears this. */
let lastChunk: { db: WorkbenchDatabase; key: string; index: number; chunk: SuggestionChunk } | null = null;

async function chunkAt(db: WorkbenchDatabase, key: string, index: number): Promise<SuggestionChunk> {
  if (lastChunk && lastChunk.db === db && lastChunk.key === key && lastChunk.index === index) return lastChunk.chunk;
  const chunk = await db.suggestionChunks.get([key, index]);
  if (!chunk) throw new Error(`suggestion set ${key}: no chunk ${index}`);
  lastChunk = { db, key, index, chunk };
  return chunk;
}

export async function loadSuggestionsAt(db: WorkbenchDatabase, key: string, places: readonly SuggestionPlace[]): Promise<Suggestion[]> {
  const byChunk = new Map<number, number[]>();
  places.forEach((p, k) => {
    let list = byChunk.get(p.chunk);
    if (!list) byChunk.set(p.chunk, (list = []));
    list.push(k);
  });
  const out = new Array<Suggestion>(places.length);
  for (const [index, asked] of byChunk) {
    const c = await chunkAt(db, key, index);
    const rows = asked.map((k) => places[k]!.row);
    const all = c.columns ? null : chunkSuggestions(c);
    const found = c.columns
      ? suggestionsAtRows(c.columns, rows)
      : rows.map((r) => {
          const s = all![r];
          if (!s) throw new Error(`suggestion set ${key}: no row ${r} in chunk ${index}`);
          return s;
        });
    asked.forEach((k, j) => (out[k] = found[j]!));
  }
  return out;
}

/** The suggestions of chunks in hand (as the suggest workers hand them over), in order. */
export function decodeSuggestionChunks(chunks: readonly SuggestionColumns[]): Suggestion[] {
  const out: Suggestion[] = [];
  for (const c of chunks) for (const s of decodeSuggestions(c)) out.push(s);
  return out;
}
