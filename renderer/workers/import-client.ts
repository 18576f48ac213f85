// The backend's handle on an import worker: one per import, ended when the import is done. A worker that dies (its
// heap limit on a large import) rejects the import with WorkerStoppedError ("import"), the backend lives on.
import { CancelledError } from '../../shared/model';
import { connect, superviseWorker, webWorkerStops, type Channel } from '../../shared/rpc';
import { startNestedWorker } from './nested-worker';
import type { ImportHandlers } from './import.worker';

/** A cancelled import that does not stop within this long (a long synchronous step) has its worker ended. */
const CANCEL_GRACE_MS = 2000;

/**
 * Runs `job` with an import worker, or returns null when no worker can start here (the caller then works alone).
 * `signal` is the job's cancellation: the worker is asked to stop, and ended if it does not.
 */
export async function startImportThread<T>(
  job: (thread: Channel<ImportHandlers>) => Promise<T>,
  signal?: AbortSignal,
): Promise<{ value: T } | null> {
  const nested = startNestedWorker(
    () => new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module', name: 'arw-import' }),
  );
  const worker = (await nested.ready) ? nested.worker : null;
  if (!worker) {
    nested.worker?.terminate();
    return null;
  }
  const channel = connect<ImportHandlers>(worker);
  const unwatch = superviseWorker(worker, channel, webWorkerStops(worker), { name: 'import' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = () => {
    timer = setTimeout(() => {
      unwatch();
      worker.terminate();
      channel.close(new CancelledError());
    }, CANCEL_GRACE_MS);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return { value: await job(channel) };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    unwatch();
    worker.terminate();
    channel.close();
  }
}
