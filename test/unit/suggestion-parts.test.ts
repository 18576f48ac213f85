// Suggestions computed in parts, as the suggest workers do (renderer/workers/suggest-part.ts): the snapshot crosses as
// data, each part comes back as encoded chunks whose buffers can be moved, and the backend stores the parts' chunks
// as one set (renderer/db/suggestion-repository.ts) that loads as the engine's whole output.
import 'fake-indexeddb/auto';
import { serialize } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, suggest, type Suggestion } from '../../shared/suggest';
import type { Snapshot } from '../../shared/model';
import { WorkbenchDatabase, decodeSuggestionChunks, findSuggestionSet, loadSuggestions, storeSuggestionChunks } from '../../renderer/db';
import { chunkBuffers, computeSuggestionPart, snapshotPayload } from '../../renderer/workers';
import { AS_OF, snapshotOf } from '../fixtures/suggestions/suggestion-kit';
import { computeAndStoreSuggestions, partsFor, suggestionRefusal } from '../../renderer/backend/campaign-suggestions';

const snapshot = () => snapshotOf();
const asOf = AS_OF;
const json = (rows: readonly Suggestion[]) => rows.map((s) => JSON.stringify(s));
const meta = { snapshotId: 'snap-1', policyDigest: 'p', engine: 'e', asOf: '2026-11-22T00:00:00Z' };

describe('suggestions in parts', () => {
  let db: WorkbenchDatabase | undefined;
  afterEach(async () => {
    await db?.delete();
    db = undefined;
  });

  it('the snapshot crosses as data: decoded in the worker it is the snapshot the backend loaded', () => {
    const s = snapshot();
    const payload = snapshotPayload(s);
    expect(payload.assignmentChunks.length).toBeGreaterThan(0);
    expect('assignments' in payload).toBe(false);
    // What crosses is cloned (here as structured clone serialises it): typed columns, no assignment objects.
    const whole = computeSuggestionPart({ snapshot: payload, policy: DEFAULT_POLICY, asOf, part: { index: 0, of: 1 } });
    expect(json(decodeSuggestionChunks(whole.chunks))).toEqual(json(suggest(s, DEFAULT_POLICY, { asOf })));
    expect(serialize(payload).length).toBeLessThan(serialize(s).length);
  });

  it('two parts, concatenated, are the whole output in order; their buffers can all be moved', () => {
    const s = snapshot();
    const payload = snapshotPayload(s);
    const parts = [0, 1].map((index) => computeSuggestionPart({ snapshot: payload, policy: DEFAULT_POLICY, asOf, part: { index, of: 2 } }));
    const whole = suggest(s, DEFAULT_POLICY, { asOf });
    expect(parts[0]!.count).toBeGreaterThan(0);
    expect(parts[1]!.count).toBeGreaterThan(0);
    expect(parts[0]!.count + parts[1]!.count).toBe(whole.length);
    expect(json(decodeSuggestionChunks(parts.flatMap((p) => p.chunks)))).toEqual(json(whole));
    for (const p of parts) {
      const buffers = chunkBuffers(p.chunks);
      expect(buffers.length).toBeGreaterThan(5);
      // Every typed column of the chunks is in the list (nothing left to clone by value).
      for (const c of p.chunks) for (const v of Object.values(c)) if (ArrayBuffer.isView(v)) expect(buffers).toContain(v.buffer);
      // Moved as a transfer does: the same suggestions on the other side, the columns detached on this one.
      const before = json(decodeSuggestionChunks(p.chunks));
      const copy = structuredClone(p.chunks, { transfer: buffers });
      expect(json(decodeSuggestionChunks(copy))).toEqual(before);
      expect(p.chunks[0]!.confidence.length).toBe(0);
    }
  });

  it("the parts' chunks are stored as one set, in order, replacing an earlier set of the same key", async () => {
    db = new WorkbenchDatabase(`parts-${process.pid}`);
    const s = snapshot();
    const payload = snapshotPayload(s);
    const whole = suggest(s, DEFAULT_POLICY, { asOf });
    // An earlier, longer set under the same key: none of its chunks may survive.
    const stale = computeSuggestionPart({ snapshot: payload, policy: DEFAULT_POLICY, asOf, part: { index: 0, of: 1 } });
    await storeSuggestionChunks(db, meta, [...stale.chunks, ...stale.chunks, ...stale.chunks]);
    const parts = [0, 1, 2].map((index) =>
      computeSuggestionPart({ snapshot: payload, policy: DEFAULT_POLICY, asOf, part: { index, of: 3 } }),
    );
    const record = await storeSuggestionChunks(
      db,
      meta,
      parts.flatMap((p) => p.chunks),
    );
    expect(record.count).toBe(whole.length);
    expect(record.chunks).toBe(3);
    expect(await findSuggestionSet(db, record.key)).toMatchObject({ count: whole.length, status: 'complete' });
    expect(json(await loadSuggestions(db, record.key))).toEqual(json(whole));
  });

  it('a set that fails to store leaves nothing behind (one transaction)', async () => {
    db = new WorkbenchDatabase(`parts-fail-${process.pid}`);
    const payload = snapshotPayload(snapshot());
    const part = computeSuggestionPart({ snapshot: payload, policy: DEFAULT_POLICY, asOf, part: { index: 0, of: 1 } });
    // A chunk that cannot be cloned into the database fails the write after the first chunk went in.
    const broken = { ...part.chunks[0]!, strings: [() => 0] as unknown as string[] };
    await expect(storeSuggestionChunks(db, meta, [part.chunks[0]!, broken])).rejects.toThrow();
    expect(await db.suggestionChunks.count()).toBe(0);
    expect(await db.suggestionSets.count()).toBe(0);
  });

  it('two parts from 50,000 assignments where both fit in memory, one where only one does or on one core', () => {
    const machine = { heapLimitMiB: 4096 };
    expect(partsFor(1_000_000, 2, machine)).toBe(2);
    expect(partsFor(1_000_000, 16, machine)).toBe(2);
    expect(partsFor(1_000_000, 1, machine)).toBe(1);
    expect(partsFor(1_000_000, undefined, machine)).toBe(2);
    expect(partsFor(49_999, 8, machine)).toBe(1);
    expect(partsFor(2_000_000, 2, machine)).toBe(2);
    // At 3,000,000 two workers crashed the renderer where one completed: the estimate gives one.
    expect(partsFor(3_000_000, 8, machine)).toBe(1);
    // A machine with less memory gets one worker earlier.
    expect(partsFor(1_000_000, 2, { heapLimitMiB: 1500 })).toBe(1);
  });

  it('refuses suggestions the estimate says this machine cannot hold, with the figures, before any work', async () => {
    const machine = { heapLimitMiB: 4096 };
    expect(suggestionRefusal(3_000_000, machine)).toBeNull();
    const refusal = suggestionRefusal(10_000_000, machine);
    expect(refusal).toContain('suggestions for 10,000,000 assignments need about');
    expect(refusal).toContain('the app can use 4,096 MiB on this machine');
    expect(refusal).toMatch(/the limit is about [\d,]+ assignments per snapshot/);
    // The task refuses before it computes or stores anything: the snapshot's size and the machine decide.
    db = new WorkbenchDatabase(`refusal-${process.pid}`);
    const huge = { ...snapshot(), assignments: { length: 10_000_000 } } as unknown as Snapshot;
    const ctx = { progress: () => {}, isCancelled: () => false, call: () => Promise.reject(new Error('no calls')) };
    await expect(
      computeAndStoreSuggestions(
        db,
        huge,
        { policy: DEFAULT_POLICY, asOf: '2026-11-22T00:00:00Z', meta, corrections: 0, resolutions: 0, machine },
        ctx,
      ),
    ).rejects.toThrow(refusal!);
    expect(await db.suggestionSets.count()).toBe(0);
    expect(await db.suggestionChunks.count()).toBe(0);
  });
});
