// Snapshots: immutable, stored as chunks in one transaction (all or nothing).
import Dexie from 'dexie';
import type { Assignment, GrantLink, Snapshot, SnapshotData, SourceEvidence } from '../../shared/model';
import { countSnapshot } from '../../shared/model';
import { RECORDS_PER_CHUNK, assignmentChunkRows, decodeAssignments, encodeAssignmentChunks, type AssignmentColumns } from './chunk-codec';
import type { SnapshotChunk, SnapshotRecord, WorkbenchDatabase } from './database';
import { applyClassCorrections, listClassCorrections } from './class-corrections';
import { listCorrelationResolutions, resolutionsInKey } from './correlation-resolutions';
import { applyCorrelationResolutions, type AmbiguousMatch } from '../../shared/import';
import { assignmentKeys, identityKeys, type SnapshotKeysRecord } from './snapshot-keys';

export interface StoreSnapshotInput {
  id: string;
  name: string;
  createdAt: string;
  data: SnapshotData;
  sources: SourceEvidence[];
  correlation?: { merged: number; ambiguous: number };
  /** The matches correlation left apart for a person to resolve: stored with the snapshot. */
  ambiguities?: AmbiguousMatch[];
  /**
   * The assignments already encoded as chunks (the import worker's): stored as they are, and `data.assignments`
   * is then ignored (empty).
   */
  assignmentChunks?: AssignmentColumns[];
  /**
   * Assignment chunks written before (storeAssignmentChunk, while the import was parsed): indexes 0..chunks-1
   * under this id; `assignmentChunks` follow them. Any later index left by an earlier attempt is removed.
   */
  assignmentsStored?: { chunks: number; rows: number };
}

/** The one cancellation error (shared/model), under the name the repositories use. */
import { CancelledError } from '../../shared/model';

export async function storeSnapshot(
  db: WorkbenchDatabase,
  input: StoreSnapshotInput,
  hooks: { onChunk?: (done: number, total: number) => void; isCancelled?: () => boolean } = {},
): Promise<SnapshotRecord> {
  const assignmentChunks = input.assignmentChunks ?? encodeAssignmentChunks(input.data.assignments);
  const stored = input.assignmentsStored ?? { chunks: 0, rows: 0 };
  const chunks = chunkSnapshot(input.id, input.data, assignmentChunks, input.ambiguities, stored.chunks);
  const keys = chunks.flatMap(keysOf);
  const record: SnapshotRecord = {
    id: input.id,
    name: input.name,
    createdAt: input.createdAt,
    status: 'complete',
    counts: { ...countSnapshot(input.data), assignments: stored.rows + assignmentChunkRows(assignmentChunks) },
    sources: input.sources,
    chunks: chunks.length,
    applications: [...new Set(input.data.entitlements.map((e) => e.application))].sort(),
    ...(input.correlation ? { correlation: input.correlation } : {}),
  };
  await db.transaction('rw', db.snapshots, db.snapshotChunks, db.snapshotKeys, async () => {
    // One transaction: a failure or a cancel anywhere leaves the database exactly as before (chunks stored ahead
    // stay without a record: the caller discards them).
    if (input.assignmentsStored)
      for (const table of [db.snapshotChunks, db.snapshotKeys])
        await table
          .where('[snapshotId+kind+index]')
          .between([input.id, 'assignments', stored.chunks], [input.id, 'assignments', Dexie.maxKey])
          .delete();
    await db.snapshotKeys.bulkPut(keys);
    const batch = 4;
    for (let i = 0; i < chunks.length; i += batch) {
      if (hooks.isCancelled?.()) throw new CancelledError();
      await db.snapshotChunks.bulkAdd(chunks.slice(i, i + batch));
      hooks.onChunk?.(Math.min(i + batch, chunks.length), chunks.length);
    }
    if (hooks.isCancelled?.()) throw new CancelledError();
    await db.snapshots.add(record);
  });
  return record;
}

/** The keys of an identity or assignment chunk (snapshot-keys.ts), none for other kinds. */
function keysOf(c: SnapshotChunk): SnapshotKeysRecord[] {
  const { snapshotId, index } = c;
  if (c.kind === 'identities') return [{ snapshotId, kind: c.kind, index, keys: identityKeys(c.rows) }];
  if (c.kind === 'assignments') return [{ snapshotId, kind: c.kind, index, ...assignmentKeys(c.columns) }];
  return [];
}

function chunkSnapshot(
  snapshotId: string,
  data: SnapshotData,
  assignments: AssignmentColumns[],
  ambiguities?: AmbiguousMatch[],
  firstAssignmentIndex = 0,
): SnapshotChunk[] {
  const chunks: SnapshotChunk[] = [];
  const records = <K extends 'identities' | 'entitlements' | 'credentials' | 'ambiguities' | 'links'>(
    kind: K,
    rows: K extends 'ambiguities' ? AmbiguousMatch[] : K extends 'links' ? GrantLink[] : SnapshotData[Exclude<K, 'ambiguities' | 'links'>],
  ) => {
    for (let i = 0, index = 0; i < rows.length; i += RECORDS_PER_CHUNK, index++)
      chunks.push({ snapshotId, kind, index, rows: rows.slice(i, i + RECORDS_PER_CHUNK) } as SnapshotChunk);
  };
  records('identities', data.identities);
  records('entitlements', data.entitlements);
  records('credentials', data.credentials);
  if (ambiguities?.length) records('ambiguities', ambiguities);
  if (data.links?.length) records('links', data.links);
  assignments.forEach((columns, i) => chunks.push({ snapshotId, kind: 'assignments', index: firstAssignmentIndex + i, columns }));
  return chunks;
}

/** The stored assignment chunks a loaded snapshot's assignments were decoded from, while no resolution changed them
 * (keyed by the assignments array: the suggest workers are handed these instead of chunks encoded again). */
const storedChunks = new WeakMap<readonly Assignment[], AssignmentColumns[]>();

/** The stored chunks that decode to exactly these assignments, in order, if the snapshot was loaded unchanged. */
export function storedAssignmentChunks(snapshot: Snapshot): AssignmentColumns[] | undefined {
  const chunks = storedChunks.get(snapshot.assignments);
  return chunks && assignmentChunkRows(chunks) === snapshot.assignments.length ? chunks : undefined;
}

/** A snapshot with its assignments as the stored chunks (typed columns): the records as objects, no object per
 * assignment. The suggest workers' payload has this shape. */
export type ColumnarSnapshot = Omit<Snapshot, 'assignments'> & { assignmentChunks: AssignmentColumns[] };

/** The snapshot's record and chunks as stored: its records, the ambiguities and the assignment chunks, in order. */
async function readSnapshot(db: WorkbenchDatabase, id: string) {
  const record = await db.snapshots.get(id);
  if (!record || record.status !== 'complete') throw new Error(`snapshot ${id} is not in the database`);
  const chunks = await db.snapshotChunks.where('snapshotId').equals(id).toArray();
  chunks.sort((a, b) => (a.kind === b.kind ? a.index - b.index : a.kind < b.kind ? -1 : 1));
  const records: Snapshot = {
    id,
    name: record.name,
    createdAt: record.createdAt,
    sources: record.sources,
    identities: [],
    entitlements: [],
    assignments: [],
    credentials: [],
  };
  const ambiguities: AmbiguousMatch[] = [];
  const assignmentChunks: AssignmentColumns[] = [];
  for (const c of chunks) {
    if (c.kind === 'assignments') assignmentChunks.push(c.columns);
    else if (c.kind === 'ambiguities') ambiguities.push(...c.rows);
    else if (c.kind === 'links') (records.links ??= []).push(...c.rows);
    else for (const r of c.rows) (records[c.kind] as unknown[]).push(r);
  }
  return { records, ambiguities, assignmentChunks };
}

/** The correlation resolutions to apply (`limit` of them: all by default, none with 0), none without ambiguities. */
async function resolutionsFor(db: WorkbenchDatabase, id: string, ambiguities: readonly AmbiguousMatch[], limit: number | undefined) {
  const resolutions = ambiguities.length && limit !== 0 ? await listCorrelationResolutions(db, id) : [];
  return resolutions.slice(0, limit ?? resolutions.length);
}

function merge(id: string, snapshot: Snapshot, ambiguities: AmbiguousMatch[], resolutions: Awaited<ReturnType<typeof resolutionsFor>>) {
  const resolved = applyCorrelationResolutions(snapshot, ambiguities, resolutions);
  if (resolved.problems.length) console.warn(`snapshot ${id}: correlation resolutions not applied`, resolved.problems);
  Object.assign(snapshot, resolved.data);
}

/**
 * The snapshot as stored, with the people's corrections applied: correlation resolutions (merges), then class
 * corrections. `resolutions`: apply only that many entries of the resolution list (a campaign sees the snapshot
 * as its suggestions were computed); all by default, none with 0 (the records as imported, for resolving).
 */
export async function loadSnapshot(db: WorkbenchDatabase, id: string, options: { resolutions?: number } = {}): Promise<Snapshot> {
  const { records: snapshot, ambiguities, assignmentChunks } = await readSnapshot(db, id);
  const assignments: Assignment[] = snapshot.assignments;
  for (const c of assignmentChunks) decodeAssignments(c, assignments);
  const resolutions = await resolutionsFor(db, id, ambiguities, options.resolutions);
  if (resolutions.length) merge(id, snapshot, ambiguities, resolutions);
  // Class corrections change identities only: the assignments are still the stored chunks' unless merged above.
  else storedChunks.set(assignments, assignmentChunks);
  applyClassCorrections(snapshot.identities, await listClassCorrections(db, id));
  return snapshot;
}

/**
 * The snapshot as loadSnapshot gives it, its assignments as columns: the stored chunks as they are, never decoded
 * (a snapshot with correlation resolutions applied is decoded, merged and encoded again: merges rewrite assignments).
 */
export async function loadSnapshotColumns(
  db: WorkbenchDatabase,
  id: string,
  options: { resolutions?: number } = {},
): Promise<ColumnarSnapshot> {
  const { records, ambiguities, assignmentChunks } = await readSnapshot(db, id);
  const resolutions = await resolutionsFor(db, id, ambiguities, options.resolutions);
  let chunks = assignmentChunks;
  if (resolutions.length) {
    for (const c of assignmentChunks) decodeAssignments(c, records.assignments);
    merge(id, records, ambiguities, resolutions);
    chunks = encodeAssignmentChunks(records.assignments);
  }
  applyClassCorrections(records.identities, await listClassCorrections(db, id));
  const { assignments: _objects, ...rest } = records;
  return { ...rest, assignmentChunks: chunks };
}

/** The assignments of these chunks that are inherited (a grant path), decoded one chunk at a time: the rest stay
 * columns (a chunk holds a path column only where one of its rows is inherited). */
export function inheritedAssignments(chunks: readonly AssignmentColumns[]): Assignment[] {
  const out: Assignment[] = [];
  for (const c of chunks) {
    if (!c.path) continue;
    const rows: Assignment[] = [];
    decodeAssignments(c, rows);
    for (const a of rows) if (a.path?.length) out.push(a);
  }
  return out;
}

/** Assignments in these chunks. */
export function assignmentCount(chunks: readonly AssignmentColumns[]): number {
  return assignmentChunkRows(chunks);
}

/** The snapshot with its assignments decoded from the columns (where the engine runs on this thread). */
export function decodedSnapshot(columnar: ColumnarSnapshot): Snapshot {
  const { assignmentChunks, ...rest } = columnar;
  const assignments: Assignment[] = [];
  for (const c of assignmentChunks) decodeAssignments(c, assignments);
  return { ...rest, assignments };
}

/**
 * One assignment chunk of a snapshot still being imported, stored ahead of the rest (its own transaction). Without
 * the snapshot's record it is invisible, and removed by discardSnapshotChunks or, after a crash, at start-up
 * (removeIncompleteSnapshots). The same index again replaces it (a new attempt of the parse).
 */
export async function storeAssignmentChunk(
  db: WorkbenchDatabase,
  snapshotId: string,
  index: number,
  columns: AssignmentColumns,
): Promise<void> {
  const chunk: SnapshotChunk = { snapshotId, kind: 'assignments', index, columns };
  const keys = keysOf(chunk);
  await db.transaction('rw', db.snapshotChunks, db.snapshotKeys, () =>
    Promise.all([db.snapshotChunks.put(chunk), db.snapshotKeys.bulkPut(keys)]),
  );
}

/** The chunks of a snapshot whose import did not complete (no record was written). */
export async function discardSnapshotChunks(db: WorkbenchDatabase, snapshotId: string): Promise<void> {
  if (await db.snapshots.get(snapshotId)) return;
  await db.snapshotChunks.where('snapshotId').equals(snapshotId).delete();
  await db.snapshotKeys.where('snapshotId').equals(snapshotId).delete();
}

/** A campaign's snapshot: with the correlation resolutions its suggestions were computed with, no later ones. */
export async function loadCampaignSnapshot(
  db: WorkbenchDatabase,
  campaign: { snapshotId: string; suggestionKey: string },
): Promise<Snapshot> {
  return loadSnapshot(db, campaign.snapshotId, { resolutions: resolutionsInKey(campaign.suggestionKey) });
}

/** A campaign's snapshot as loadCampaignSnapshot gives it, its assignments as the stored columns. */
export async function loadCampaignSnapshotColumns(
  db: WorkbenchDatabase,
  campaign: { snapshotId: string; suggestionKey: string },
): Promise<ColumnarSnapshot> {
  return loadSnapshotColumns(db, campaign.snapshotId, { resolutions: resolutionsInKey(campaign.suggestionKey) });
}

export async function listSnapshots(db: WorkbenchDatabase): Promise<SnapshotRecord[]> {
  return (await db.snapshots.orderBy('createdAt').reverse().toArray()).filter((s) => s.status === 'complete');
}

export async function deleteSnapshot(db: WorkbenchDatabase, id: string): Promise<void> {
  await db.transaction('rw', db.snapshots, db.snapshotChunks, db.snapshotKeys, async () => {
    await db.snapshotChunks.where('snapshotId').equals(id).delete();
    await db.snapshotKeys.where('snapshotId').equals(id).delete();
    await db.snapshots.delete(id);
  });
}

/** Start-up clean-up: chunks whose snapshot record was never committed. */
export async function removeIncompleteSnapshots(db: WorkbenchDatabase): Promise<number> {
  const ids = new Set(await db.snapshots.where('status').equals('complete').primaryKeys());
  const orphanIds = new Set<string>();
  await db.snapshotChunks.orderBy('snapshotId').eachKey((key) => {
    if (!ids.has(String(key))) orphanIds.add(String(key));
  });
  // Keys are written with their chunks: any left without a snapshot record go with them.
  const orphanKeys = new Set(orphanIds);
  await db.snapshotKeys.orderBy('snapshotId').eachKey((key) => {
    if (!ids.has(String(key))) orphanKeys.add(String(key));
  });
  for (const id of orphanIds) await db.snapshotChunks.where('snapshotId').equals(id).delete();
  for (const id of orphanKeys) await db.snapshotKeys.where('snapshotId').equals(id).delete();
  return orphanIds.size;
}

export { Dexie };
