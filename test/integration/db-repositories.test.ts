// Dexie repositories over fake-indexeddb: chunked snapshots round-trip, an import is all or nothing,
// and the audit log is appended as a valid hash chain.
import 'fake-indexeddb/auto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import { verifyChain } from '../../shared/review/audit-log';
import type { ReviewerRef } from '../../shared/review/types';
import {
  WorkbenchDatabase,
  appendEvent,
  listEvents,
  listSnapshots,
  loadSnapshot,
  removeIncompleteSnapshots,
  storeSnapshot,
} from '../../renderer/db';
import { CancelledError } from '../../shared/model';
import { ASSIGNMENTS_PER_CHUNK } from '../../renderer/db/chunk-codec';
import { database as appDatabase } from '../../renderer/db';
import { tasks } from '../../renderer/backend/tasks';
import type { TaskContext, TaskProgress } from '../../renderer/backend/protocol';

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
  const assignments = Array.from({ length: count }, (_, i) => ({
    identityId: `u${i % 997}`,
    entitlementId: `e${i % 31}`,
    grantedAt: '2025-01-01',
    ...(i % 3 ? { lastUsedAt: `2026-0${1 + (i % 9)}-15` } : {}),
    ...(i % 5 === 0 ? { usageKnown: false } : {}),
    source: `src-${i % 4}`,
  }));
  return { ...data, assignments };
}

describe('snapshot repository', () => {
  it('stores a snapshot as chunks and loads it back unchanged', async () => {
    const database = freshDb();
    const outcome = sample();
    await storeSnapshot(database, {
      id: 's1',
      name: 'sample',
      createdAt: '2026-11-22T00:00:00Z',
      data: outcome.data,
      sources: outcome.sources,
    });
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
    await expect(
      storeSnapshot(
        database,
        { id: 'cancelled', name: 'x', createdAt: '2026-11-22T00:00:00Z', data, sources: [] },
        { isCancelled: () => ++calls > 2 },
      ),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(await database.snapshots.toArray()).toEqual(before.snapshots);
    expect(await database.snapshotChunks.count()).toBe(before.chunks);
    expect((await listSnapshots(database)).map((s) => s.id)).toEqual(['keep']);
  });

  it('an import cancelled while a large file streams through the worker task leaves the database exactly as before', async () => {
    const database = appDatabase();
    const ctx = (isCancelled: (progress: TaskProgress[]) => boolean): TaskContext & { seen: TaskProgress[] } => {
      const seen: TaskProgress[] = [];
      return {
        seen,
        progress: (p) => seen.push(p),
        isCancelled: () => isCancelled(seen),
        call: () => Promise.reject(new Error('no calls')),
      };
    };
    const blobs = (files: { name: string; bytes: Uint8Array }[]) =>
      files.map((f) => ({ name: f.name, blob: new Blob([f.bytes as BlobPart]) }));
    const fixtures = readdirSync(dir).map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) }));
    const kept = await tasks.importSnapshot(
      { files: blobs(fixtures), name: 'keep', acceptRejected: false },
      ctx(() => false),
    );
    expect(kept.status).toBe('stored');
    const state = async () => ({ snapshots: await database.snapshots.toArray(), chunks: await database.snapshotChunks.count() });
    const before = await state();
    // Large enough to be read in several 4 MiB slices of its Blob.
    const people = 60_000;
    const identities = [
      'id,displayName,email,type,status,department,title,managerId,ownerId,createdAt',
      ...Array.from({ length: people }, (_, i) => `u${i},Person ${i},,human,active,,,,,`),
    ].join('\n');
    const assignments = [
      'identityId,entitlementId,grantedAt,lastUsedAt,source',
      ...Array.from({ length: people * 4 }, (_, i) => `u${i % people},e${Math.floor(i / people)},2024-01-01,2026-01-01,src`),
    ].join('\n');
    const entitlements =
      'id,name,application,privilege,description,ownerId\ne0,E0,App,low,,\ne1,E1,App,low,,\ne2,E2,App,low,,\ne3,E3,App,high,,\n';
    const enc = new TextEncoder();
    const large = blobs([
      { name: 'identities.csv', bytes: enc.encode(identities) },
      { name: 'entitlements.csv', bytes: enc.encode(entitlements) },
      { name: 'assignments.csv', bytes: enc.encode(assignments) },
    ]);
    expect(large[2]!.blob.size).toBeGreaterThan(8 * 1024 * 1024);
    // Cancel once the assignments file is part-way read: bytes reported, not all of them.
    const c = ctx((seen) =>
      seen.some(
        (p) =>
          p.label === 'Parsing assignments.csv' &&
          p.unit === 'bytes' &&
          p.done < p.total &&
          p.done > large[0]!.blob.size + large[1]!.blob.size,
      ),
    );
    await expect(tasks.importSnapshot({ files: large, name: 'cancelled', acceptRejected: false }, c)).rejects.toThrow(/cancel/);
    expect(c.seen.some((p) => p.label === 'Storing snapshot')).toBe(false);
    expect(await state()).toEqual(before);
    // The same files without a cancel are stored: the cancel, not the data, stopped the import.
    const done = await tasks.importSnapshot(
      { files: large, name: 'stored', acceptRejected: false },
      ctx(() => false),
    );
    expect(done).toMatchObject({ status: 'stored', totals: { identities: people, assignments: people * 4 } });
    await database.delete();
  }, 120_000);

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
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        appendEvent(database, {
          campaignId: i % 2 ? 'A' : 'B',
          type: 'decision',
          at: `2026-11-22T00:00:${String(i).padStart(2, '0')}Z`,
          actor,
          itemId: `item-${i}`,
          action: 'keep',
          acceptedSuggestion: true,
        }),
      ),
    );
    const a = await listEvents(database, 'A');
    const b = await listEvents(database, 'B');
    expect(a).toHaveLength(12);
    expect(b).toHaveLength(13);
    expect(verifyChain(a).ok).toBe(true);
    expect(verifyChain(b).ok).toBe(true);
  });
});
