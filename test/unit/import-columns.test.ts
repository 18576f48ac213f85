// The import hands the backend its assignments as column chunks: they decode to the rows the parser read, their
// buffers move to the other thread (none copied), and the store keeps them as they are, readable beside chunks
// the backend encoded itself (older snapshots).
import 'fake-indexeddb/auto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkbenchDatabase, loadSnapshot, storeSnapshot } from '../../renderer/db';
import { parseImport } from '../../renderer/workers/import-parse';
import {
  assignmentChunkBuffers,
  assignmentChunkRows,
  decodeAssignments,
  encodeAssignmentChunks,
  importFiles,
  type AssignmentColumns,
} from '../../shared/import';
import type { Assignment } from '../../shared/model';

const dir = resolve(__dirname, '../fixtures/workbench-csv');
const names = readdirSync(dir);
const bytesOf = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
const decodeAll = (chunks: readonly AssignmentColumns[]) => {
  const out: Assignment[] = [];
  for (const c of chunks) decodeAssignments(c, out);
  return out;
};
const hooks = { progress: () => undefined, isCancelled: () => false };

describe('import: assignments as column chunks', () => {
  it('parseImport hands over the assignments only as chunks, which decode to the rows importFiles reads', async () => {
    const expected = importFiles(names.map((name) => ({ name, bytes: bytesOf(name) }))).data.assignments;
    expect(expected.length).toBeGreaterThan(0);
    const parsed = await parseImport(
      { name: 'fixture', acceptRejected: true, files: names.map((name) => ({ name, blob: new Blob([bytesOf(name)]) })) },
      hooks,
    );
    expect(parsed.status).toBe('storable');
    expect(parsed.store!.data.assignments).toEqual([]);
    expect(assignmentChunkRows(parsed.store!.assignmentChunks)).toBe(expected.length);
    expect(parsed.report.totals.assignments).toBe(expected.length);
    expect(decodeAll(parsed.store!.assignmentChunks)).toEqual(expected);
  });

  it('every column buffer is in the transfer list: moved, the sender keeps none, the receiver decodes the same rows', () => {
    const rows: Assignment[] = [
      { identityId: 'ann', entitlementId: 'a', source: 's', grantedAt: '2026-01-01', lastUsedAt: '2026-02-01' },
      { identityId: 'bob', entitlementId: 'b', source: 's', usageKnown: false },
      { identityId: 'ann', entitlementId: 'c', source: 's', path: ['a', 'c'], derivedFrom: ['a'] },
    ];
    const chunks = encodeAssignmentChunks(rows, 2);
    expect(chunks).toHaveLength(2);
    const moved = structuredClone(chunks, { transfer: assignmentChunkBuffers(chunks) });
    for (const c of chunks)
      for (const col of [c.identity, c.entitlement, c.grantedAt, c.lastUsedAt, c.source, c.usageKnown, c.path, c.derivedFrom])
        if (col) expect(col.byteLength).toBe(0);
    expect(decodeAll(moved)).toEqual(rows);
  });

  it('stores chunks encoded elsewhere as they are; a snapshot stored the older way reads the same', async () => {
    const db = new WorkbenchDatabase(`columns-${Math.random()}`);
    const identities = ['ann', 'bob', 'cy'].map((id) => ({ id, displayName: id, type: 'human' as const, status: 'active' as const }));
    const entitlements = ['a', 'b'].map((id) => ({ id, name: id, application: 'App', privilege: 'low' as const }));
    const assignments: Assignment[] = identities.flatMap((i, n) =>
      entitlements.map((e) => ({ identityId: i.id, entitlementId: e.id, source: 'x.csv', ...(n ? { lastUsedAt: '2026-03-01' } : {}) })),
    );
    const base = { createdAt: '2026-12-07T00:00:00Z', sources: [] };
    const chunks = encodeAssignmentChunks(assignments, 4);
    const record = await storeSnapshot(db, {
      ...base,
      id: 'new',
      name: 'new',
      data: { identities, entitlements, credentials: [], assignments: [] },
      assignmentChunks: chunks,
    });
    expect(record.counts.assignments).toBe(assignments.length);
    expect(record.chunks).toBe(2 + chunks.length);
    await storeSnapshot(db, { ...base, id: 'old', name: 'old', data: { identities, entitlements, credentials: [], assignments } });
    expect((await loadSnapshot(db, 'new')).assignments).toEqual(assignments);
    expect((await loadSnapshot(db, 'old')).assignments).toEqual(assignments);
    db.close();
  });
});
