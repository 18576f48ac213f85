// A task worker's codec thread: package entries are compressed (export) or inflated (verification) in a nested
// worker (compression.worker.ts), in the order they are handed over, while the task goes on with its own work.
// What crosses is copied once and transferred (a view's whole buffer would otherwise be cloned). If the worker
// cannot start or fails, the codec runs on the task's own thread, as before; the bytes are the same either way.
import { portableGunzip, portableGzip } from '../../shared/codec';
import { installRuntimePrimitives, runtimePrimitives, type GzipCodec } from '../../shared/codec';
import { startNestedWorker } from './nested-worker';
import { connect, superviseWorker, webWorkerStops, type Channel } from '../../shared/rpc';
import type { CompressionHandlers } from './compression.worker';

export interface CompressionThread {
  codec: Required<Pick<GzipCodec, 'gzip' | 'gunzip'>>;
  close(): void;
}

type Job = { op: 'gzip'; data: Uint8Array } | { op: 'gunzip'; chunks: readonly Uint8Array[]; maxBytes: number };
type Outcome = Uint8Array | 'too-large';

/** The thread, once started (or, if it cannot start, the codec on the caller's thread). */
export async function startCompressionThread(): Promise<CompressionThread> {
  const nested = startNestedWorker(
    () => new Worker(new URL('./compression.worker.ts', import.meta.url), { type: 'module', name: 'arw-compress' }),
  );
  let worker = (await nested.ready) ? nested.worker : null;
  if (!worker) nested.worker?.terminate();
  const here = (job: Job): Promise<Outcome> => (job.op === 'gzip' ? portableGzip(job.data) : portableGunzip(job.chunks, job.maxBytes));
  let channel: Channel<CompressionHandlers> | null = worker ? connect<CompressionHandlers>(worker) : null;
  if (worker && channel) {
    // A codec worker that fails or dies: what was waiting runs here instead (each call falls back on its failure).
    superviseWorker(worker, channel, webWorkerStops(worker), {
      name: 'compression',
      onStopped: () => {
        worker?.terminate();
        worker = null;
        channel = null;
      },
    });
  }
  const run = async (job: Job): Promise<Outcome> => {
    const c = channel;
    if (!c) return here(job);
    try {
      if (job.op === 'gzip') {
        const data = job.data.slice();
        return await c.call('gzip', { data }, { transfer: [data.buffer] });
      }
      const chunks = job.chunks.map((chunk) => chunk.slice());
      return await c.call('gunzip', { chunks, maxBytes: job.maxBytes }, { transfer: chunks.map((chunk) => chunk.buffer) });
    } catch (error) {
      // The worker stopped: the codec runs here. A codec error of the job itself is the job's, as here.
      if (channel === c) throw error;
      return here(job);
    }
  };
  return {
    codec: {
      async gzip(data) {
        const out = await run({ op: 'gzip', data });
        if (out === 'too-large') throw new Error('unreachable: compression has no size limit');
        return out;
      },
      gunzip: (chunks, maxBytes) => run({ op: 'gunzip', chunks, maxBytes }),
    },
    close() {
      worker?.terminate();
      worker = null;
      channel?.close(new Error('closed'));
      channel = null;
    },
  };
}

/** Runs `job` with package entries compressed and inflated on a codec thread, closed when it is done. */
export async function withCompressionThread<T>(job: () => Promise<T>): Promise<T> {
  const thread = await startCompressionThread();
  const before = runtimePrimitives().gzip;
  installRuntimePrimitives({ gzip: thread.codec });
  try {
    return await job();
  } finally {
    installRuntimePrimitives({ gzip: before });
    thread.close();
  }
}
