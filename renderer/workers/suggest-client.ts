// The backend's handle on the suggest workers: one per part (one per core), started for one computation and ended
// with it. A worker that dies rejects the computation with WorkerStoppedError ("suggest"), the backend lives on; a
// cancel ends the workers at once (the engine runs synchronously there, so it cannot hear a cancel message).
import { CancelledError } from '../../shared/model';
import { connect, superviseWorker, webWorkerStops, type Channel } from '../../shared/rpc';
import type { Policy } from '../../shared/suggest';
import type { CampaignScope } from '../../shared/review';
import { startNestedWorker } from './nested-worker';
import type { SnapshotPayload, SuggestHandlers, SuggestPartProgress, SuggestPartResult } from './suggest-part';

type Chunk = Extract<SuggestPartProgress, { phase: 'chunk' }>['chunk'];

export interface SuggestThreadsOptions {
  signal?: AbortSignal;
  /** Suggestions done and the total, summed over the parts. */
  onProgress?: (done: number, total: number) => void;
  /** Suggestions encoded in the workers of those the parts computed, once every part has computed (the workers
   * encode each chunk as it is computed: what is shown is the rest, the last chunks). */
  onEncoding?: (done: number, total: number) => void;
  /** Each chunk as its worker encodes it: the `index`-th of part `part`, whose suggestions number `total`. */
  onChunk?: (part: number, index: number, total: number, chunk: Chunk) => void;
}

/** The engine's synchronous phases answer no ping: a worker is taken for dead only after this long without a word
 * (a killed worker is found at once where Web Locks exist, and by its error event). */
const SILENT_MS = 300_000;

/**
 * The snapshot's suggestions computed in `threads` workers, each its part, the parts in order; null when no worker
 * can start here (the caller then computes on its own thread). Fewer parts than asked when fewer workers start.
 */
export async function suggestOnThreads(
  args: { snapshot: SnapshotPayload; policy: Policy; asOf: number; threads: number; scope?: CampaignScope },
  options: SuggestThreadsOptions = {},
): Promise<SuggestPartResult[] | null> {
  const started = Array.from({ length: Math.max(1, args.threads) }, () =>
    startNestedWorker(() => new Worker(new URL('./suggest.worker.ts', import.meta.url), { type: 'module', name: 'arw-suggest' })),
  );
  const ready = await Promise.all(started.map((n) => n.ready));
  const workers: Worker[] = [];
  started.forEach((n, i) => {
    if (ready[i] && n.worker) workers.push(n.worker);
    else n.worker?.terminate();
  });
  if (!workers.length) return null;
  if (options.signal?.aborted) {
    for (const w of workers) w.terminate();
    throw new CancelledError();
  }
  const channels: Channel<SuggestHandlers>[] = workers.map((w) => connect<SuggestHandlers>(w));
  const unwatch = workers.map((w, i) => superviseWorker(w, channels[i]!, webWorkerStops(w), { name: 'suggest', silentMs: SILENT_MS }));
  const stopAll = (error?: Error) => {
    for (const u of unwatch) u();
    for (const w of workers) w.terminate();
    for (const c of channels) c.close(error);
  };
  const onAbort = () => stopAll(new CancelledError());
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const done = new Array<number>(workers.length).fill(0);
  const totals = new Array<number>(workers.length).fill(0);
  const encoded = new Array<number>(workers.length).fill(0);
  const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
  try {
    return await Promise.all(
      channels.map((channel, index) =>
        channel.call(
          'suggestPart',
          {
            snapshot: args.snapshot,
            policy: args.policy,
            asOf: args.asOf,
            part: { index, of: workers.length },
            ...(args.scope ? { scope: args.scope } : {}),
          },
          {
            onProgress: (p) => {
              if (p.phase === 'chunk') options.onChunk?.(index, p.index, p.total, p.chunk);
              else if (p.phase === 'computing') {
                done[index] = p.done;
                totals[index] = p.total;
                options.onProgress?.(sum(done), sum(totals));
              } else if (p.phase === 'encoding') {
                encoded[index] = p.done;
                // Shown once every part has computed: the screen's label does not flip between the two. A part
                // encodes what it computed, so the total is the computed one (known for a part yet to report).
                if (totals.every((t, k) => t > 0 && done[k] === t)) options.onEncoding?.(sum(encoded), sum(totals));
              }
            },
          },
        ),
      ),
    );
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    // A part that failed (or a worker that died) leaves nothing running behind it.
    stopAll();
  }
}
