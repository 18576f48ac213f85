// A nested worker that writes report.xlsx for a package build (report-client.ts, shared/package/report-job.ts):
// the task worker hands it decisions.json as soon as that exists and goes on with the audit log; the sheets are
// written here meanwhile, on the second core.
import { serveReportJobs, type ReportReply, type ReportRequest } from '../../shared/package/report-job';

interface Scope {
  postMessage(message: ReportReply | { ready: true }, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ReportRequest>) => void) | null;
}

const scope = self as unknown as Scope;
const handle = serveReportJobs((reply, transfer) => scope.postMessage(reply, transfer));
scope.onmessage = ({ data }) => handle(data);
scope.postMessage({ ready: true });
