// The app's import writes workbench assignments straight into column chunks (no object per row) and digests large
// files on a thread of its own: the stored chunks must be byte for byte the ones the row path encoded, and the
// evidence digests the same, whichever way they were computed.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { parseImport } from '../../renderer/workers/import-parse';
import {
  WorkbenchDatabase,
  discardSnapshotChunks,
  listSnapshots,
  loadSnapshot,
  storeAssignmentChunk,
  storeSnapshot,
} from '../../renderer/db';
import {
  ASSIGNMENTS_PER_CHUNK,
  HEAD_BYTES,
  bytesSource,
  decodeAssignments,
  encodeAssignmentChunks,
  importFiles,
  importSources,
  type AssignmentColumns,
  type ImportFile,
} from '../../shared/import';
import { sha256Hex } from '../../shared/codec';
import type { Assignment } from '../../shared/model';
import { writeWorkbenchCsv, ldifDirectory } from '../bench/workbench-data';

const now = () => new Date('2026-11-22T00:00:00Z');
const hooks = { progress: () => undefined, isCancelled: () => false };
const enc = (s: string) => new TextEncoder().encode(s);

/** Every column as bytes (type and length included), and the string table. */
function bytesOf(chunks: readonly AssignmentColumns[]) {
  return chunks.map((c) => ({
    strings: c.strings,
    columns: Object.fromEntries(
      Object.entries(c)
        .filter(([k]) => k !== 'strings')
        .map(([k, v]) => [k, { type: (v as Uint32Array).constructor.name, bytes: [...new Uint8Array((v as Uint32Array).buffer)] }]),
    ),
  }));
}

/** The row path, as stored before: importFiles' assignment objects encoded by encodeAssignmentChunks. */
const rowPath = (files: ImportFile[]) => encodeAssignmentChunks(importFiles(files, { now }).data.assignments);

async function appPath(files: ImportFile[], acceptRejected = false) {
  const parsed = await parseImport(
    { name: 'direct', acceptRejected, files: files.map((f) => ({ name: f.name, blob: new Blob([f.bytes as BlobPart]) })) },
    hooks,
  );
  expect(parsed.status).toBe('storable');
  expect(parsed.store!.data.assignments).toEqual([]);
  return parsed;
}

describe('workbench assignments written straight into chunks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arw-columns-'));
  const generated = writeWorkbenchCsv(dir, { identities: 12_000, assignments: 120_000, seed: 7 });
  const files: ImportFile[] = generated.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) }));

  it('a generated file (several chunks, the last one partial): the same chunks, byte for byte, as the row path', async () => {
    const expected = rowPath(files);
    expect(expected.length).toBe(Math.ceil(120_000 / ASSIGNMENTS_PER_CHUNK));
    const parsed = await appPath(files);
    expect(parsed.report.totals.assignments).toBe(120_000);
    expect(bytesOf(parsed.store!.assignmentChunks)).toEqual(bytesOf(expected));
  });

  it('rejected rows left out, no lastUsedAt column, an id that is both an identity and an entitlement: still the same bytes', async () => {
    const small: ImportFile[] = [
      { name: 'identities.csv', bytes: enc('id,displayName,type,status\nx,X,human,active\nu2,U2,human,active\n') },
      { name: 'entitlements.csv', bytes: enc('id,name,application,privilege\nx,Ex,App,low\ne2,E2,App,high\n') },
      {
        name: 'assignments.csv',
        bytes: enc(
          'identityId,entitlementId,grantedAt,source\nx,x,2026-01-02,\nu2,x,not-a-date,s\nu2,e2,2026-01-02T10:00:00Z,s\nu9,e2,,s\nx,e2,,x\n',
        ),
      },
    ];
    const expected = rowPath(small);
    expect(expected[0]!.identity.length).toBe(3);
    expect(expected[0]!.strings).toContain('x');
    const parsed = await appPath(small, true);
    expect(parsed.report.files.find((f) => f.file === 'assignments.csv')!.rowsRejected).toBe(2);
    expect(bytesOf(parsed.store!.assignmentChunks)).toEqual(bytesOf(expected));
  });

  it('a workbench CSV merged with another source becomes rows again: the same outcome as importFiles', async () => {
    const withLdif = [...files.slice(0, 2), { name: 'people.ldif', bytes: enc(ldifDirectory(50, 3)) }];
    const got = await importSources(
      withLdif.map((f) => bytesSource(f.name, f.bytes)),
      { now, assignmentColumns: true },
    );
    expect(got.assignmentChunks).toBeUndefined();
    expect(got).toEqual(importFiles(withLdif, { now }));
  });

  it('a digest computed elsewhere, or none (the file digested after its parse): the same evidence as importFiles', async () => {
    const whole = importFiles(files, { now });
    const assignments = files.find((f) => f.name === 'assignments.csv')!;
    const asked: string[] = [];
    for (const digest of [
      async (s: { name: string }) => (asked.push(s.name), sha256Hex(files.find((f) => f.name === s.name)!.bytes)),
      async () => null,
      async () => {
        throw new Error('the digest thread stopped');
      },
    ]) {
      const got = await importSources(
        files.map((f) => bytesSource(f.name, f.bytes, 1 << 20)),
        { now, digest },
      );
      expect(got.sources).toEqual(whole.sources);
      expect(got.sources.find((s) => s.file === 'assignments.csv')!.sha256).toBe(sha256Hex(assignments.bytes));
    }
    // Only the streamed files (larger than the head read for detection) are digested elsewhere.
    expect(asked).toEqual(files.filter((f) => f.bytes.byteLength > HEAD_BYTES).map((f) => f.name));
    expect(asked).toContain('assignments.csv');
    expect(asked).not.toContain('entitlements.csv');
  });

  it('chunks handed out while parsing (the app stores them meanwhile): numbered in order, the same bytes, none kept', async () => {
    const handed: AssignmentColumns[] = [];
    const parsed = await parseImport(
      { name: 'ahead', acceptRejected: false, files: files.map((f) => ({ name: f.name, blob: new Blob([f.bytes as BlobPart]) })) },
      {
        ...hooks,
        assignmentChunk: (chunk, index) => {
          expect(index).toBe(handed.length);
          handed.push(chunk);
        },
      },
    );
    expect(parsed.status).toBe('storable');
    expect(parsed.store!.assignmentChunks).toEqual([]);
    expect(parsed.store!.handedOut).toEqual({ chunks: handed.length, rows: 120_000 });
    expect(parsed.report.totals.assignments).toBe(120_000);
    expect(bytesOf(handed)).toEqual(bytesOf(rowPath(files)));
  });

  it('a workbench CSV with an LDIF: nothing handed out (the chunks are merged as rows)', async () => {
    const withLdif = [...files, { name: 'people.ldif', bytes: enc(ldifDirectory(50, 3)) }];
    const handed: number[] = [];
    const got = await importSources(
      withLdif.map((f) => bytesSource(f.name, f.bytes)),
      { now, assignmentColumns: true, onAssignmentChunk: (_c, i) => handed.push(i) },
    );
    expect(handed).toEqual([]);
    expect(got).toEqual(importFiles(withLdif, { now }));
  });
});

describe('assignment chunks stored ahead of their snapshot', () => {
  const identities = ['ann', 'bob', 'cy'].map((id) => ({ id, displayName: id, type: 'human' as const, status: 'active' as const }));
  const entitlements = ['a', 'b'].map((id) => ({ id, name: id, application: 'App', privilege: 'low' as const }));
  const assignments: Assignment[] = identities.flatMap((i) =>
    entitlements.map((e) => ({ identityId: i.id, entitlementId: e.id, source: 'x.csv', lastUsedAt: '2026-03-01' })),
  );
  const data = { identities, entitlements, credentials: [], assignments: [] };
  const base = { createdAt: '2026-12-07T00:00:00Z', sources: [], name: 'ahead', data };

  it('invisible until the record is written with the rest; then the snapshot reads as if stored at once', async () => {
    const db = new WorkbenchDatabase(`ahead-${Math.random()}`);
    const chunks = encodeAssignmentChunks(assignments, 2);
    // An earlier attempt of the parse left a fourth chunk: the final store removes it.
    for (const [i, c] of [...chunks, chunks[0]!].entries()) await storeAssignmentChunk(db, 's1', i, c);
    expect(await listSnapshots(db)).toEqual([]);
    await expect(loadSnapshot(db, 's1')).rejects.toThrow(/not in the database/);
    const record = await storeSnapshot(db, {
      ...base,
      id: 's1',
      assignmentChunks: chunks.slice(2),
      assignmentsStored: { chunks: 2, rows: 4 },
    });
    expect(record.counts.assignments).toBe(6);
    expect((await loadSnapshot(db, 's1')).assignments).toEqual(assignments);
    expect(await db.snapshotChunks.where('snapshotId').equals('s1').count()).toBe(2 + chunks.length);
    // Discarding a stored snapshot's chunks is refused: only an import that did not complete loses them.
    await discardSnapshotChunks(db, 's1');
    expect((await loadSnapshot(db, 's1')).assignments).toEqual(assignments);
    db.close();
  });

  it('an import that does not complete: its chunks are discarded, the database as before', async () => {
    const db = new WorkbenchDatabase(`ahead-${Math.random()}`);
    const decoded: Assignment[] = [];
    for (const [i, c] of encodeAssignmentChunks(assignments, 2).entries()) {
      decodeAssignments(c, decoded);
      await storeAssignmentChunk(db, 's2', i, c);
    }
    expect(decoded).toEqual(assignments);
    expect(await db.snapshotChunks.count()).toBe(3);
    await discardSnapshotChunks(db, 's2');
    expect(await db.snapshotChunks.count()).toBe(0);
    expect(await listSnapshots(db)).toEqual([]);
    db.close();
  });
});
