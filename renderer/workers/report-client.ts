// A task worker's report thread: report.xlsx is written in a nested worker (report.worker.ts) while the task writes
// the audit log. If the worker cannot start or fails, the report is written on the task's own thread, to the same
// bytes (shared/package/report-job.ts).
import { buildCertificationPackage, type BuiltPackage, type CertificationInput, type PackageSigner } from '../../shared/package';
import { ReportJobClient, type ReportReply } from '../../shared/package/report-job';
import { withCompressionThread } from './compression-client';
import { startNestedWorker } from './nested-worker';

export interface ReportThread {
  builder: ReportJobClient;
  close(): void;
}

/** The thread, once started (or, if it cannot start, a builder that writes reports here). */
export async function startReportThread(): Promise<ReportThread> {
  const nested = startNestedWorker(() => new Worker(new URL('./report.worker.ts', import.meta.url), { type: 'module', name: 'arw-report' }));
  const worker = (await nested.ready) ? nested.worker : null;
  if (!worker) nested.worker?.terminate();
  const client = new ReportJobClient(worker ? (request, transfer) => worker.postMessage(request, transfer) : null);
  if (worker) {
    worker.onmessage = ({ data }: MessageEvent<ReportReply | { ready: true }>) => {
      if (!('ready' in data)) client.receive(data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      client.fail();
    };
  }
  return {
    builder: client,
    close() {
      client.fail();
      worker?.terminate();
    },
  };
}

/**
 * buildCertificationPackage as the app runs it in a task worker: entries compressed on a codec thread, report.xlsx
 * written on a report thread (both nested workers, started together), the rest on this thread.
 */
export async function buildPackageOnThreads(input: CertificationInput, signers: PackageSigner[]): Promise<BuiltPackage> {
  const report = startReportThread();
  try {
    return await withCompressionThread(async () => buildCertificationPackage(input, signers, { reportBuilder: (await report).builder }));
  } finally {
    (await report).close();
  }
}
