// Suggestions written while the workers compute (renderer/backend/campaign-suggestions.ts with the staged sets of
// renderer/db/suggestion-repository.ts): each chunk stored as it arrives under a staging key, the set made readable
// by one small commit at the end; a failure, a dead worker or a cancel midway leaves no chunk and no record behind,
// and an earlier set of the same key stays as it was until the commit replaces it.
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, type Snapshot } from '../../shared/model';
import { WorkerStoppedError, connect } from '../../shared/rpc';
import { DEFAULT_POLICY, suggest, type Suggestion } from '../../shared/suggest';
import {
  WorkbenchDatabase,
  beginSuggestionSet,
  findSuggestionSet,
  loadSuggestionSummaries,
  loadSuggestions,
  loadSuggestionsAt,
  removeStaleSuggestionSets,
  storeSuggestionChunks,
  suggestionKey,
} from '../../renderer/db';
import { encodeSuggestions } from '../../renderer/db/suggestion-columns';
import { SUGGESTIONS_PER_CHUNK, suggestHandlers } from '../../renderer/workers';
import { computeAndStoreSuggestions } from '../../renderer/backend/campaign-suggestions';
import type { TaskContext, TaskProgress } from '../../renderer/backend/protocol';
import { writeWorkbenchCsv } from '../bench/workbench-data';
import { AS_OF, snapshotOf } from '../fixtures/suggestions/suggestion-kit';
import { FakeWorker, installFakeWorker, restoreWorker, serveWith } from '../fixtures/suggestions/fake-suggest-worker';

const json = (rows: readonly Suggestion[]) => rows.map((s) => JSON.stringify(s));
const meta = { snapshotId: 'snap-1', policyDigest: 'p', engine: 'e', asOf: '2026-11-22T00:00:00Z' };
const key = suggestionKey(meta.snapshotId, meta.policyDigest, meta.engine, 0, 0, meta.asOf);
const args = { policy: DEFAULT_POLICY, asOf: meta.asOf, meta, corrections: 0, resolutions: 0 };

function context(signal?: AbortSignal): TaskContext & { reports: TaskProgress[] } {
  const reports: TaskProgress[] = [];
  return {
    reports,
    progress: (p) => void reports.push(p),
    ...(signal ? { signal } : {}),
    isCancelled: () => signal?.aborted ?? false,
    call: () => Promise.reject(new Error('no calls')),
  };
}

/** Every chunk key and record of the database: what a failure must leave as it found it. */
async function contents(db: WorkbenchDatabase) {
  const chunks = (await db.suggestionChunks.toCollection().primaryKeys()).map((k) => (k as [string, number]).join('@'));
  const sets = (await db.suggestionSets.toArray()).map((r) => `${r.key}:${r.status}:${r.count}`);
  return { chunks: chunks.sort(), sets: sets.sort() };
}

let n = 0;
describe('suggestions written while computing', () => {
  let db: WorkbenchDatabase;
  let dir = '';
  let big: Snapshot;
  let whole: Suggestion[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'arw-staged-'));
    // Two parts of more than one chunk each.
    writeWorkbenchCsv(dir, { identities: 10_000, assignments: 105_000, seed: 7 });
    big = snapshotOf(dir);
    whole = suggest(big, DEFAULT_POLICY, { asOf: AS_OF });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    restoreWorker();
    await db?.delete();
  });
  const open = () => (db = new WorkbenchDatabase(`staged-${process.pid}-${++n}`));
  /** An earlier set under the same key (other suggestions, three chunks): it must survive any failure whole. */
  const earlier = async () => {
    const small = suggest(snapshotOf(), DEFAULT_POLICY, { asOf: AS_OF });
    const third = Math.ceil(small.length / 3);
    await storeSuggestionChunks(
      db,
      meta,
      [0, 1, 2].map((k) => encodeSuggestions(small, k * third, Math.min((k + 1) * third, small.length))),
    );
    return small;
  };

  it(
    'reads back as the engine computed it, stored while computing under a staging key; the earlier set is replaced',
    { timeout: 120_000 },
    async () => {
      open();
      await earlier();
      const written: string[] = [];
      db.suggestionChunks.hook('creating', (_pk, chunk) => void written.push(chunk.key));
      installFakeWorker(serveWith(suggestHandlers));
      const ctx = context();
      const out = await computeAndStoreSuggestions(db, big, args, ctx);
      expect(out.threads).toBe(2);
      expect(FakeWorker.made.every((w) => w.terminated)).toBe(true);
      const record = await findSuggestionSet(db, key);
      expect(record).toMatchObject({ key, count: whole.length, status: 'complete' });
      // Every chunk went in on its own under the staging key the record now names, none under the set's key.
      const chunks = Math.ceil(whole.length / 2 / SUGGESTIONS_PER_CHUNK) * 2;
      expect(chunks).toBeGreaterThanOrEqual(4);
      expect(record!.chunks).toBe(chunks);
      expect(written.length).toBe(chunks);
      expect(new Set(written)).toEqual(new Set([record!.chunkKey]));
      expect(record!.chunkKey).not.toBe(key);
      // The same suggestions as the engine's whole output, by every reader; the summaries are the stored places.
      expect(json(await loadSuggestions(db, key))).toEqual(json(whole));
      const summaries = await loadSuggestionSummaries(db, key);
      expect(summaries.map(({ chunk, row, ...s }) => [chunk, row, s.itemId])).toEqual(
        out.suggestions.map(({ chunk, row, ...s }) => [chunk, row, s.itemId]),
      );
      const picks = [0, 1, SUGGESTIONS_PER_CHUNK + 3, whole.length - 1].map((k) => summaries[k]!);
      expect(json(await loadSuggestionsAt(db, key, picks))).toEqual(json(picks.map((p) => whole[summaries.indexOf(p)]!)));
      // Nothing else is left: no pending record, no chunk of the earlier set.
      expect(await contents(db)).toEqual({
        chunks: Array.from({ length: chunks }, (_, k) => `${record!.chunkKey}@${k}`).sort(),
        sets: [`${key}:complete:${whole.length}`],
      });
      // "Storing" is reported once the workers ended, in suggestions written, ending with all of them.
      const storing = ctx.reports.filter((r) => r.labelKey === 'progress.storingSuggestions');
      expect(storing.length).toBeGreaterThan(0);
      expect(storing.at(-1)).toMatchObject({ done: whole.length, total: whole.length });
    },
  );

  it(
    'a write that fails midway stops the workers and leaves nothing of the new set; the earlier set reads as before',
    { timeout: 120_000 },
    async () => {
      open();
      const small = await earlier();
      const before = await contents(db);
      let writes = 0;
      db.suggestionChunks.hook('creating', (_pk, chunk) => {
        if (chunk.key !== key && ++writes === 2) throw new Error('disk full (test)');
      });
      installFakeWorker(serveWith(suggestHandlers));
      await expect(computeAndStoreSuggestions(db, big, args, context())).rejects.toThrow('disk full (test)');
      expect(writes).toBe(2);
      expect(FakeWorker.made.every((w) => w.terminated)).toBe(true);
      expect(await contents(db)).toEqual(before);
      expect(json(await loadSuggestions(db, key))).toEqual(json(small));
    },
  );

  it('a worker that dies after its first chunk leaves nothing of the new set', async () => {
    open();
    const small = await earlier();
    const before = await contents(db);
    const chunk = encodeSuggestions(small);
    let writes = 0;
    db.suggestionChunks.hook('creating', (_pk, c) => void (c.key !== key && writes++));
    installFakeWorker((port, worker) => {
      port.start();
      connect(
        port as never,
        {
          suggestPart: (_args: unknown, ctx: { progress: (p: unknown) => void }) => {
            ctx.progress({ phase: 'chunk', index: 0, total: 2 * small.length, chunk });
            // Dies once its chunk is written, as a worker out of memory in the middle of its part.
            const crash = () => (writes ? worker.crash('out of memory') : setTimeout(crash, 5));
            crash();
            return new Promise(() => {});
          },
        },
        { ready: true },
      );
    });
    await expect(computeAndStoreSuggestions(db, big, args, context())).rejects.toBeInstanceOf(WorkerStoppedError);
    expect(writes).toBeGreaterThan(0);
    expect(await contents(db)).toEqual(before);
  });

  it('a cancel midway leaves nothing of the new set', { timeout: 120_000 }, async () => {
    open();
    const abort = new AbortController();
    let writes = 0;
    db.suggestionChunks.hook('creating', () => {
      if (++writes === 1) setTimeout(() => abort.abort(), 0);
    });
    installFakeWorker(serveWith(suggestHandlers));
    await expect(computeAndStoreSuggestions(db, big, args, context(abort.signal))).rejects.toBeInstanceOf(CancelledError);
    expect(writes).toBeGreaterThan(0);
    expect(await contents(db)).toEqual({ chunks: [], sets: [] });
  });
});

describe('staged suggestion sets', () => {
  let db: WorkbenchDatabase;
  afterEach(async () => db?.delete());
  const small = () => suggest(snapshotOf(), DEFAULT_POLICY, { asOf: AS_OF });

  it('are not readable until committed: the earlier set of the key is read meanwhile', async () => {
    db = new WorkbenchDatabase(`staged-read-${process.pid}`);
    const rows = small();
    const old = rows.slice(0, 5);
    await storeSuggestionChunks(db, meta, [encodeSuggestions(old)]);
    const set = await beginSuggestionSet(db, meta);
    expect(set.key).toBe(key);
    await set.write(0, encodeSuggestions(rows, 0, 10));
    await set.write(1, encodeSuggestions(rows, 10));
    expect(await findSuggestionSet(db, key)).toMatchObject({ count: 5 });
    expect(json(await loadSuggestions(db, key))).toEqual(json(old));
    expect((await loadSuggestionSummaries(db, key)).length).toBe(5);
    const record = await set.commit(2, rows.length);
    expect(record).toMatchObject({ key, count: rows.length, chunks: 2, status: 'complete', chunkKey: set.stagingKey });
    expect(json(await loadSuggestions(db, key))).toEqual(json(rows));
    expect(await contents(db)).toEqual({
      chunks: [`${set.stagingKey}@0`, `${set.stagingKey}@1`],
      sets: [`${key}:complete:${rows.length}`],
    });
    // Stored again in one transaction (as without workers), under the key itself: the staged chunks go.
    await storeSuggestionChunks(db, meta, [encodeSuggestions(old)]);
    expect(await contents(db)).toEqual({ chunks: [`${key}@0`], sets: [`${key}:complete:5`] });
    expect(json(await loadSuggestions(db, key))).toEqual(json(old));
  });

  it('refuse to commit with a chunk missing, and leave nothing staged', async () => {
    db = new WorkbenchDatabase(`staged-missing-${process.pid}`);
    const rows = small();
    const set = await beginSuggestionSet(db, meta);
    await set.write(0, encodeSuggestions(rows, 0, 10));
    await set.write(2, encodeSuggestions(rows, 20));
    await expect(set.commit(3, rows.length)).rejects.toThrow(`suggestion set ${key}: 2 of 3 chunks were written`);
    expect(await contents(db)).toEqual({ chunks: [], sets: [] });
    await expect(set.write(1, encodeSuggestions(rows, 10, 20))).rejects.toThrow(/after it ended/);
  });

  it('left pending by a crash are removed when the next set begins; one being written here is not', async () => {
    db = new WorkbenchDatabase(`staged-stale-${process.pid}`);
    const rows = small();
    // What a window closed while writing leaves: a pending record under a staging key, and some of its chunks.
    const crashed = `${key}#crashed`;
    await db.suggestionSets.put({ ...meta, key: crashed, count: 0, chunks: 0, status: 'pending' });
    await db.suggestionChunks.bulkAdd([0, 1].map((index) => ({ key: crashed, index, columns: encodeSuggestions(rows) })));
    const other = await beginSuggestionSet(db, { ...meta, asOf: '2027-01-01T00:00:00Z' });
    expect((await contents(db)).chunks).toEqual([]);
    expect((await contents(db)).sets).toEqual([`${other.stagingKey}:pending:0`]);
    await other.write(0, encodeSuggestions(rows));
    // The set this thread is writing is not stale.
    expect(await removeStaleSuggestionSets(db)).toBe(0);
    expect((await contents(db)).chunks).toEqual([`${other.stagingKey}@0`]);
    await other.abort();
    expect(await contents(db)).toEqual({ chunks: [], sets: [] });
  });
});
