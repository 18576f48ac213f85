// report.xlsx on a worker thread (started by startReportWorker in node-runtime.ts): the package's thread posts a job
// as soon as decisions.json exists and the audit chain's head when it has it; the workbook's bytes come back.
import { parentPort } from 'node:worker_threads';
import { serveReportJobs, type ReportRequest } from '../../shared/package';
import { installNodeRuntime } from './node-primitives';

installNodeRuntime();

const port = parentPort;
if (port) {
  const handle = serveReportJobs((message, transfer) => port.postMessage(message, transfer));
  port.on('message', (request: ReportRequest) => handle(request));
}
