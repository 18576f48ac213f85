// The audit-log analysis on a worker thread (started by startAuditLogWorker in node-runtime.ts; it loads only what it needs): one message in (the file's
// bytes and the manifest's context), one out (the analysis, packed into one string, or the error's message).
import { parentPort } from 'node:worker_threads';
import { analyzeAuditLog, packAuditLogAnalysis, type AuditLogContext } from '../../shared/package/audit-log-analysis';
import { installNodeRuntime } from './node-primitives';

installNodeRuntime();

interface Request {
  id: number;
  bytes: Uint8Array;
  context: AuditLogContext | null;
}

parentPort?.on('message', ({ id, bytes, context }: Request) => {
  try {
    parentPort!.postMessage({ id, packed: packAuditLogAnalysis(analyzeAuditLog(bytes, context)) });
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
