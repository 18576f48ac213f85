// The suggest workers are handed a loaded snapshot's stored assignment chunks (renderer/db storedAssignmentChunks)
// instead of chunks the backend encodes again: they decode to the very assignments the backend loaded.
import 'fake-indexeddb/auto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAssignments, importFiles } from '../../shared/import';
import type { Assignment } from '../../shared/model';
import { WorkbenchDatabase, loadSnapshot, storeSnapshot, storedAssignmentChunks } from '../../renderer/db';
import { writeWorkbenchCsv } from '../bench/workbench-data';

describe('stored assignment chunks of a loaded snapshot', () => {
  it('decode to the assignments loaded, in order; a snapshot whose assignments changed has none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arw-snapshot-chunks-'));
    const db = new WorkbenchDatabase(`snapshot-chunks-${process.pid}`);
    try {
      // More than one stored chunk (50,000 assignments each).
      const gen = writeWorkbenchCsv(dir, { identities: 6000, assignments: 120_000, seed: 3 });
      const data = importFiles(gen.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) }))).data;
      await storeSnapshot(db, { id: 's', name: 's', createdAt: '2026-11-21T00:00:00Z', data, sources: [] });
      const snapshot = await loadSnapshot(db, 's');
      const chunks = storedAssignmentChunks(snapshot);
      expect(chunks?.length).toBeGreaterThan(1);
      const decoded: Assignment[] = [];
      for (const c of chunks!) decodeAssignments(c, decoded);
      expect(decoded).toEqual(snapshot.assignments);
      expect(storedAssignmentChunks({ ...snapshot, assignments: snapshot.assignments.slice(1) })).toBeUndefined();
      snapshot.assignments.push(snapshot.assignments[0]!);
      expect(storedAssignmentChunks(snapshot)).toBeUndefined();
    } finally {
      await db.delete();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
