// The app's import writes workbench assignments straight into column chunks (no object per row) and digests large
// files on a thread of its own: the stored chunks must be byte for byte the ones the row path encoded, and the
// evidence digests the same, whichever way they were computed.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseImport } from '../../renderer/workers/import-parse';
import {
  ASSIGNMENTS_PER_CHUNK,
  HEAD_BYTES,
  bytesSource,
  encodeAssignmentChunks,
  importFiles,
  importSources,
  type AssignmentColumns,
  type ImportFile,
} from '../../shared/import';
import { sha256Hex } from '../../shared/codec';
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
});
