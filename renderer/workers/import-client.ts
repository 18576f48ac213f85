// The backend's handle on an import worker: one per import, ended when the import is done. A worker that dies (its
// heap limit on a large import) rejects the import with WorkerStoppedError ("import"), the backend lives on.
import { connect, superviseWorker, webWorkerStops, type Channel } from '../../shared/rpc';
import { startNestedWorker } from './nested-worker';
import type { ImportHandlers } from './import.worker';

/** Runs `job` with an import worker, or returns null when no worker can start here (the caller then works alone). */
export async function startImportThread<T>(job: (thread: Channel<ImportHandlers>) => Promise<T>): Promise<{ value: T } | null> {
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
  try {
    return { value: await job(channel) };
  } finally {
    unwatch();
    worker.terminate();
    channel.close();
  }
}
