// A task worker's codec thread: package entries are compressed (export) or inflated (verification) in a nested
// worker (compression.worker.ts), in the order they are handed over, while the task goes on with its own work.
// What crosses is copied once and transferred (a view's whole buffer would otherwise be cloned). If the worker
// cannot start or fails, the codec runs on the task's own thread, as before; the bytes are the same either way.
import { portableGunzip, portableGzip } from '../../shared/codec';
import { installRuntimePrimitives, runtimePrimitives, type GzipCodec } from '../../shared/codec';
import { startNestedWorker } from './nested-worker';

export interface CompressionThread {
  codec: Required<GzipCodec>;
  close(): void;
}

type Job = { op: 'gzip'; data: Uint8Array } | { op: 'gunzip'; chunks: readonly Uint8Array[]; maxBytes: number };
type Outcome = Uint8Array | 'too-large';

/** The thread, once started (or, if it cannot start, the codec on the caller's thread). */
export async function startCompressionThread(): Promise<CompressionThread> {
  const nested = startNestedWorker(() => new Worker(new URL('./compression.worker.ts', import.meta.url), { type: 'module', name: 'arw-compress' }));
  let worker = (await nested.ready) ? nested.worker : null;
  if (!worker) nested.worker?.terminate();
  const here = (job: Job): Promise<Outcome> => (job.op === 'gzip' ? portableGzip(job.data) : portableGunzip(job.chunks, job.maxBytes));
  const waiting = new Map<number, { job: Job; resolve: (out: Outcome) => void; reject: (error: Error) => void }>();
  let next = 0;
  if (worker) {
    worker.onmessage = ({ data }: MessageEvent<{ id: number; bytes?: Uint8Array; tooLarge?: true; error?: string } | { ready: true }>) => {
      if ('ready' in data) return;
      const w = waiting.get(data.id);
      waiting.delete(data.id);
      if (!w) return;
      if (data.bytes) w.resolve(data.bytes);
      else if (data.tooLarge) w.resolve('too-large');
      else w.reject(new Error(data.error ?? 'the codec worker failed'));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker?.terminate();
      worker = null;
      // What was waiting runs here instead.
      for (const [id, w] of waiting) {
        waiting.delete(id);
        here(w.job).then(w.resolve, w.reject);
      }
    };
  }
  const run = (job: Job): Promise<Outcome> => {
    const w = worker;
    if (!w) return here(job);
    const id = next++;
    const copies = job.op === 'gzip' ? [job.data.slice()] : job.chunks.map((c) => c.slice());
    const message = job.op === 'gzip' ? { id, op: job.op, data: copies[0] } : { id, op: job.op, chunks: copies, maxBytes: job.maxBytes };
    return new Promise<Outcome>((resolve, reject) => {
      waiting.set(id, { job, resolve, reject });
      w.postMessage(message, copies.map((c) => c.buffer as ArrayBuffer));
    });
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
