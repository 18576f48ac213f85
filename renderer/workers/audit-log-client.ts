// The verifier's second thread in the app: a nested worker (audit-log.worker.ts) analyses the audit log while the
// task worker reads decisions.json. Where a worker cannot be started or fails, the analysis runs in the task worker
// itself; the report is the same either way.
import { startNestedWorker } from './nested-worker';
import { analyzeAuditLog, unpackAuditLogAnalysis, type AuditLogAnalysis, type AuditLogAnalyzer } from '../../shared/package/audit-log-analysis';

export interface AuditLogThread {
  analyze: AuditLogAnalyzer;
  close(): void;
}

/** The thread, once started (or, if it cannot start, the analysis on the caller's thread). */
export async function startAuditLogThread(): Promise<AuditLogThread> {
  const nested = startNestedWorker(() => new Worker(new URL('./audit-log.worker.ts', import.meta.url), { type: 'module', name: 'arw-audit-log' }));
  let worker = (await nested.ready) ? nested.worker : null;
  if (!worker) nested.worker?.terminate();
  return {
    async analyze(bytes, context) {
      const w = worker;
      if (!w) return analyzeAuditLog(bytes, context);
      const result = new Promise<AuditLogAnalysis>((resolve, reject) => {
        w.onmessage = (event: MessageEvent<{ packed?: string; error?: string; ready?: true }>) => {
          if (event.data.ready) return;
          if (event.data.packed !== undefined) resolve(unpackAuditLogAnalysis(event.data.packed));
          else reject(new Error(event.data.error ?? 'no analysis'));
        };
        w.onerror = (event) => {
          event.preventDefault();
          reject(new Error(event.message || 'the audit-log worker failed'));
        };
      });
      w.postMessage({ id: 1, bytes, context });
      return result.catch(() => analyzeAuditLog(bytes, context));
    },
    close() {
      worker?.terminate();
      worker = null;
    },
  };
}
