// The backend's handle on the suggest workers (renderer/workers/suggest-client.ts), with each "worker" a MessageChannel
// serving the real suggest handlers: parts in order, progress summed over the parts, a cancel or a worker that dies
// ends every worker and rejects (CancelledError, WorkerStoppedError), and no worker is left running.
import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError } from '../../shared/model';
import { WorkerStoppedError, connect } from '../../shared/rpc';
import { DEFAULT_POLICY, suggest } from '../../shared/suggest';
import { decodeSuggestionChunks } from '../../renderer/db';
import type { SuggestionColumns } from '../../renderer/db/suggestion-columns';
import { snapshotPayload, suggestHandlers, suggestOnThreads } from '../../renderer/workers';
import { AS_OF, snapshotOf } from '../fixtures/suggestions/suggestion-kit';
import { FakeWorker, installFakeWorker, restoreWorker, serveWith } from '../fixtures/suggestions/fake-suggest-worker';

const snapshot = () => snapshotOf();
const asOf = AS_OF;

describe('suggest workers', () => {
  afterEach(restoreWorker);
  const install = installFakeWorker;

  it('compute their parts in order, report the sum of both parts, and are ended after', async () => {
    install(serveWith(suggestHandlers));
    const s = snapshot();
    const reports: [number, number][] = [];
    const encoding: [number, number][] = [];
    const chunks: { part: number; index: number; total: number; chunk: SuggestionColumns }[] = [];
    const parts = await suggestOnThreads(
      { snapshot: snapshotPayload(s), policy: DEFAULT_POLICY, asOf, threads: 2 },
      {
        onProgress: (done, total) => reports.push([done, total]),
        onEncoding: (done, total) => encoding.push([done, total]),
        onChunk: (part, index, total, chunk) => chunks.push({ part, index, total, chunk }),
      },
    );
    expect(parts).not.toBeNull();
    expect(parts!.length).toBe(2);
    expect(FakeWorker.made.length).toBe(2);
    expect(FakeWorker.made.every((w) => w.terminated)).toBe(true);
    const whole = suggest(s, DEFAULT_POLICY, { asOf });
    // Each chunk came as it was made, not with the result; each part's in order, with the part's total.
    expect(parts!.every((p) => p.chunks.length === 0)).toBe(true);
    for (const part of [0, 1]) {
      const mine = chunks.filter((c) => c.part === part);
      expect(mine.map((c) => c.index)).toEqual(mine.map((_, k) => k));
      expect(mine.length).toBe(parts![part]!.chunkCount);
      expect(mine.every((c) => c.total === parts![part]!.count)).toBe(true);
    }
    const ordered = [...chunks].sort((a, b) => a.part - b.part || a.index - b.index).map((c) => c.chunk);
    expect(decodeSuggestionChunks(ordered).map((x) => JSON.stringify(x))).toEqual(whole.map((x) => JSON.stringify(x)));
    // The last report covers both parts, done.
    const [done, total] = reports.at(-1)!;
    expect(done).toBe(total);
    const perPart = reports.filter(([d, t]) => d === t).map(([, t]) => t);
    expect(Math.max(...perPart)).toBeGreaterThan(Math.min(...perPart));
    // Encoding is reported once both parts computed, and ends with every suggestion encoded.
    expect(encoding.length).toBeGreaterThan(0);
    expect(encoding.at(-1)).toEqual([whole.length, whole.length]);
  });

  it('a worker that dies rejects with WorkerStoppedError and ends the other one', async () => {
    install((port, worker) => {
      port.start();
      connect(
        port as never,
        { suggestPart: () => (setTimeout(() => worker.crash('out of memory'), 20), new Promise(() => {})) },
        { ready: true },
      );
    });
    const run = suggestOnThreads({ snapshot: snapshotPayload(snapshot()), policy: DEFAULT_POLICY, asOf, threads: 2 });
    await expect(run).rejects.toBeInstanceOf(WorkerStoppedError);
    await expect(run).rejects.toThrow(/suggest worker stopped unexpectedly/);
    expect(FakeWorker.made.every((w) => w.terminated)).toBe(true);
  });

  it('a cancel ends the workers at once, though they are busy, and rejects with CancelledError', async () => {
    let started = 0;
    install((port) => {
      port.start();
      // Busy and deaf, as a worker in the middle of the engine's synchronous run.
      connect(port as never, { suggestPart: () => (started++, new Promise(() => {})) }, { ready: true });
    });
    const abort = new AbortController();
    const run = suggestOnThreads(
      { snapshot: snapshotPayload(snapshot()), policy: DEFAULT_POLICY, asOf, threads: 2 },
      { signal: abort.signal },
    );
    while (started < 2) await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(FakeWorker.made.every((w) => w.terminated)).toBe(true);
  });

  it('none starts where there is no Worker: the caller computes on its own thread', async () => {
    (globalThis as { Worker?: unknown }).Worker = undefined;
    expect(await suggestOnThreads({ snapshot: snapshotPayload(snapshot()), policy: DEFAULT_POLICY, asOf, threads: 2 })).toBeNull();
  });
});
