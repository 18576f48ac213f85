// Dexie repositories over fake-indexeddb: chunked snapshots round-trip, an import is all or nothing,
// and the audit log is appended as a valid hash chain.
import 'fake-indexeddb/auto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import { verifyChain } from '../../shared/review/audit-log';
import type { ReviewerRef } from '../../shared/review/types';
import { WorkbenchDatabase, appendEvent, listEvents, listSnapshots, loadSnapshot, removeIncompleteSnapshots, storeSnapshot, StoreCancelled } from '../../renderer/db';
import { ASSIGNMENTS_PER_CHUNK } from '../../renderer/db/chunk-codec';

const dir = resolve(__dirname, '../fixtures/workbench-csv');
let db: WorkbenchDatabase;
let n = 0;
function freshDb(): WorkbenchDatabase {
  db = new WorkbenchDatabase(`test-${process.pid}-${n++}`);
  return db;
}
afterEach(async () => {
  await db?.delete();
});

const sample = () => importFiles(readdirSync(dir).map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) })));

function manyAssignments(count: number) {
  const data = sample().data;
  const assignments = Array.from({ length: count }, (_, i) => ({ identityId: `u${i % 997}`, entitlementId: `e${i % 31}`, grantedAt: '2025-01-01', ...(i % 3 ? { lastUsedAt: `2026-0${1 + (i % 9)}-15` } : {}), ...(i % 5 === 0 ? { usageKnown: false } : {}), source: `src-${i % 4}` }));
  return { ...data, assignments };
}

describe('snapshot repository', () => {
  it('stores a snapshot as chunks and loads it back unchanged', async () => {
    const database = freshDb();
    const outcome = sample();
    await storeSnapshot(database, { id: 's1', name: 'sample', createdAt: '2026-11-22T00:00:00Z', data: outcome.data, sources: outcome.sources });
    const loaded = await loadSnapshot(database, 's1');
    expect(loaded.identities).toEqual(outcome.data.identities);
    expect(loaded.assignments).toEqual(outcome.data.assignments);
    expect(loaded.credentials).toEqual(outcome.data.credentials);
    expect(loaded.sources).toEqual(outcome.sources);
    expect(await database.snapshotChunks.count()).toBe(4);
  });

  it('encodes assignments column-wise across several chunks, preserving every field', async () => {
    const database = freshDb();
    const data = manyAssignments(ASSIGNMENTS_PER_CHUNK * 2 + 123);
    await storeSnapshot(database, { id: 'big', name: 'big', createdAt: '2026-11-22T00:00:00Z', data, sources: [] });
    const chunks = await database.snapshotChunks.where('snapshotId').equals('big').toArray();
    expect(chunks.filter((c) => c.kind === 'assignments')).toHaveLength(3);
    const loaded = await loadSnapshot(database, 'big');
    expect(loaded.assignments).toEqual(data.assignments);
  });

  it('a cancelled import leaves the database exactly as before', async () => {
    const database = freshDb();
    const data = manyAssignments(ASSIGNMENTS_PER_CHUNK * 6);
    await storeSnapshot(database, { id: 'keep', name: 'keep', createdAt: '2026-11-21T00:00:00Z', data: sample().data, sources: [] });
    const before = { snapshots: await database.snapshots.toArray(), chunks: await database.snapshotChunks.count() };
    let calls = 0;
    await expect(storeSnapshot(database, { id: 'cancelled', name: 'x', createdAt: '2026-11-22T00:00:00Z', data, sources: [] }, { isCancelled: () => ++calls > 2 })).rejects.toBeInstanceOf(StoreCancelled);
    expect(await database.snapshots.toArray()).toEqual(before.snapshots);
    expect(await database.snapshotChunks.count()).toBe(before.chunks);
    expect((await listSnapshots(database)).map((s) => s.id)).toEqual(['keep']);
  });

  it('removes chunks whose snapshot was never committed', async () => {
    const database = freshDb();
    await database.snapshotChunks.add({ snapshotId: 'orphan', kind: 'identities', index: 0, rows: [] });
    expect(await removeIncompleteSnapshots(database)).toBe(1);
    expect(await database.snapshotChunks.count()).toBe(0);
  });
});

describe('audit log repository', () => {
  const actor: ReviewerRef = { id: 'r1', name: 'Reviewer One', keyFingerprint: 'SHA256:00' };
  it('appends events per campaign as an unbroken hash chain, even when written concurrently', async () => {
    const database = freshDb();
    await Promise.all(Array.from({ length: 25 }, (_, i) => appendEvent(database, { campaignId: i % 2 ? 'A' : 'B', type: 'decision', at: `2026-11-22T00:00:${String(i).padStart(2, '0')}Z`, actor, itemId: `item-${i}`, action: 'keep', acceptedSuggestion: true })));
    const a = await listEvents(database, 'A');
    const b = await listEvents(database, 'B');
    expect(a).toHaveLength(12);
    expect(b).toHaveLength(13);
    expect(verifyChain(a).ok).toBe(true);
    expect(verifyChain(b).ok).toBe(true);
  });
});
