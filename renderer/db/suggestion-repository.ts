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
  scope?: string,
): string {
  let key = `${snapshotId}|${policyDigest}|${engine}`;
  if (corrections) key += `|corrections:${corrections}`;
  if (asOf !== undefined) key += `|asOf:${asOf}`;
  if (resolutions) key += `|resolutions:${resolutions}`;
  // Only a campaign scope's items (SuggestionSetRecord.scope): never taken for the whole snapshot's set.
  return scope !== undefined ? `${key}|scope:${scope}` : key;
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

/** Chunks encoded already, written in one transaction, so a set is stored whole or not at all. */
export async function storeSuggestionChunks(
  db: WorkbenchDatabase,
  meta: Omit<SuggestionSetRecord, 'key' | 'count' | 'chunks' | 'status'>,
  chunks: readonly SuggestionColumns[],
  corrections = 0,
  resolutions = 0,
): Promise<SuggestionSetRecord> {
  const key = suggestionKey(meta.snapshotId, meta.policyDigest, meta.engine, corrections, resolutions, meta.asOf, meta.scope);
  const count = chunks.reduce((n, c) => n + c.count, 0);
  const record: SuggestionSetRecord = { ...meta, key, count, chunks: chunks.length, status: 'complete' };
  if (lastChunk?.key === key) lastChunk = null;
  await db.transaction('rw', db.suggestionSets, db.suggestionChunks, async () => {
    await dropChunksOf(db, key);
    await db.suggestionChunks.where('key').equals(key).delete();
    // Typed arrays clone as a copy of their bytes: the chunks are handed over without waiting on each write.
    await db.suggestionChunks.bulkAdd(chunks.map((columns, index) => ({ key, index, columns })));
    await db.suggestionSets.put(record);
  });
  return record;
}

/** The chunks of the set stored under `key` now, when they live under a staging key of their own. */
async function dropChunksOf(db: WorkbenchDatabase, key: string): Promise<void> {
  const old = await db.suggestionSets.get(key);
  if (old?.chunkKey && old.chunkKey !== key) await db.suggestionChunks.where('key').equals(old.chunkKey).delete();
}

/** A set written a chunk at a time as the suggest workers hand them over (each chunk its own transaction), under a
 * staging key no reader looks at, made the set of `key` by one small transaction at the end (commit) or deleted
 * (abort). A crash leaves a pending record naming the staging key: the next set begun removes it and its chunks. */
export interface StagedSuggestionSet {
  readonly key: string;
  readonly stagingKey: string;
  write(index: number, columns: SuggestionColumns): Promise<void>;
  /** Makes the staged chunks the set of `key` (replacing any earlier one), after checking they are all there. */
  commit(chunks: number, count: number): Promise<SuggestionSetRecord>;
  /** Deletes what was staged. */
  abort(): Promise<void>;
}

/** Staging keys of sets this thread is writing: not stale, whatever their record says. */
const staging = new Set<string>();
let stagedSets = 0;

/** Removes sets left pending (a crash or a closed window while writing) and their chunks; returns how many. */
export async function removeStaleSuggestionSets(db: WorkbenchDatabase): Promise<number> {
  const pending = await db.suggestionSets.where('status').equals('pending').primaryKeys();
  const stale = pending.filter((k) => !staging.has(k));
  for (const k of stale)
    await db.transaction('rw', db.suggestionSets, db.suggestionChunks, async () => {
      await db.suggestionChunks.where('key').equals(k).delete();
      await db.suggestionSets.delete(k);
    });
  return stale.length;
}

export async function beginSuggestionSet(
  db: WorkbenchDatabase,
  meta: Omit<SuggestionSetRecord, 'key' | 'count' | 'chunks' | 'status'>,
  corrections = 0,
  resolutions = 0,
): Promise<StagedSuggestionSet> {
  await removeStaleSuggestionSets(db);
  const key = suggestionKey(meta.snapshotId, meta.policyDigest, meta.engine, corrections, resolutions, meta.asOf, meta.scope);
  // Unique per write (a set of the same key may be read meanwhile); "#" never ends a set key.
  const stagingKey = `${key}#${Date.now().toString(36)}-${(++stagedSets).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  staging.add(stagingKey);
  const { chunkKey: _none, ...fields } = meta as SuggestionSetRecord;
  await db.suggestionSets.put({ ...fields, key: stagingKey, count: 0, chunks: 0, status: 'pending' });
  let ended = false;
  const end = () => {
    ended = true;
    staging.delete(stagingKey);
  };
  const set: StagedSuggestionSet = {
    key,
    stagingKey,
    async write(index, columns) {
      if (ended) throw new Error(`suggestion set ${key}: written after it ended`);
      await db.suggestionChunks.add({ key: stagingKey, index, columns });
    },
    async commit(chunks, count) {
      if (ended) throw new Error(`suggestion set ${key}: committed after it ended`);
      const record: SuggestionSetRecord = { ...fields, key, count, chunks, status: 'complete', chunkKey: stagingKey };
      try {
        await db.transaction('rw', db.suggestionSets, db.suggestionChunks, async () => {
          const staged = await db.suggestionChunks.where('key').equals(stagingKey).count();
          if (staged !== chunks) throw new Error(`suggestion set ${key}: ${staged} of ${chunks} chunks were written`);
          await dropChunksOf(db, key);
          await db.suggestionChunks.where('key').equals(key).delete();
          await db.suggestionSets.delete(stagingKey);
          await db.suggestionSets.put(record);
        });
      } catch (error) {
        await set.abort();
        throw error;
      }
      end();
      return record;
    },
    async abort() {
      end();
      await db.transaction('rw', db.suggestionSets, db.suggestionChunks, async () => {
        await db.suggestionChunks.where('key').equals(stagingKey).delete();
        await db.suggestionSets.delete(stagingKey);
      });
    },
  };
  return set;
}

/** The key a set's chunks are stored under (sets written while computing have a staging key of their own). */
async function chunkKeyOf(db: WorkbenchDatabase, key: string): Promise<string> {
  const r = await db.suggestionSets.get(key);
  return r?.status === 'complete' && r.chunkKey ? r.chunkKey : key;
}

export async function findSuggestionSet(db: WorkbenchDatabase, key: string): Promise<SuggestionSetRecord | undefined> {
  const r = await db.suggestionSets.get(key);
  return r?.status === 'complete' ? r : undefined;
}

export async function loadSuggestions(db: WorkbenchDatabase, key: string): Promise<Suggestion[]> {
  const chunks = await db.suggestionChunks
    .where('key')
    .equals(await chunkKeyOf(db, key))
    .sortBy('index');
  return chunks.flatMap(chunkSuggestions);
}

function chunkSuggestions(c: SuggestionChunk): Suggestion[] {
  return c.columns ? decodeSuggestions(c.columns) : c.json !== undefined ? (JSON.parse(c.json) as Suggestion[]) : (c.rows ?? []);
}

/** The set's suggestions as summaries, each placed in its stored chunk (for loadSuggestionsAt). */
export async function loadSuggestionSummaries(db: WorkbenchDatabase, key: string): Promise<PlacedSummary[]> {
  const out: PlacedSummary[] = [];
  const chunkKey = await chunkKeyOf(db, key);
  // A chunk at a time: only one chunk's columns are held beside the summaries.
  const count = await db.suggestionChunks.where('key').equals(chunkKey).count();
  for (let index = 0; index < count; index++) {
    const c = await db.suggestionChunks.get([chunkKey, index]);
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
 * holds 50,000). Kept by the key the chunks are stored under: a set written again gets a new one (or, stored in one
 * transaction under its own key, clears this). */
/** Kept as the read under way too: the first item and its neighbour, asked together, read their chunk once. */
let lastChunk: { db: WorkbenchDatabase; key: string; index: number; chunk: Promise<SuggestionChunk> } | null = null;

function chunkAt(db: WorkbenchDatabase, key: string, chunkKey: string, index: number): Promise<SuggestionChunk> {
  if (lastChunk && lastChunk.db === db && lastChunk.key === chunkKey && lastChunk.index === index) return lastChunk.chunk;
  const chunk = db.suggestionChunks.get([chunkKey, index]).then((c) => {
    if (!c) throw new Error(`suggestion set ${key}: no chunk ${index}`);
    return c;
  });
  const entry = { db, key: chunkKey, index, chunk };
  lastChunk = entry;
  // A failed read is not kept.
  chunk.catch(() => {
    if (lastChunk === entry) lastChunk = null;
  });
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
  const chunkKey = byChunk.size ? await chunkKeyOf(db, key) : key;
  for (const [index, asked] of byChunk) {
    const c = await chunkAt(db, key, chunkKey, index);
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
