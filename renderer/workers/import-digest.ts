// The import worker's digest thread (import-digest.worker.ts): a large file's SHA-256 is computed there while this
// worker parses it, instead of in line with the parse (pure-JS SHA-256 costs about a fifth of a workbench CSV's
// parse). Where no thread starts, or it stops, the importer digests the file itself (`null`).
import { connect, superviseWorker, webWorkerStops, type Channel } from '../../shared/rpc';
import { startNestedWorker } from './nested-worker';
import type { ImportDigestHandlers } from './import-digest.worker';

export interface ImportDigestThread {
  digest(name: string, blob: Blob): Promise<string | null>;
  close(): void;
}

/** The thread, once started; null when none can start here. */
export async function startImportDigestThread(): Promise<ImportDigestThread | null> {
  const nested = startNestedWorker(
    () => new Worker(new URL('./import-digest.worker.ts', import.meta.url), { type: 'module', name: 'arw-import-digest' }),
  );
  const worker = (await nested.ready) ? nested.worker : null;
  if (!worker) {
    nested.worker?.terminate();
    return null;
  }
  const channel: Channel<ImportDigestHandlers> = connect<ImportDigestHandlers>(worker);
  const unwatch = superviseWorker(worker, channel, webWorkerStops(worker), { name: 'import digest' });
  return {
    digest: (name, blob) => channel.call('digest', { name, blob }).catch(() => null),
    close() {
      unwatch();
      worker.terminate();
      channel.close();
    },
  };
}
