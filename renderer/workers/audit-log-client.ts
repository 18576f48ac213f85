// The verifier's second thread in the app: a nested worker (audit-log.worker.ts) analyses the audit log while the
// task worker reads decisions.json. Where a worker cannot be started or fails, the analysis runs in the task worker
// itself; the report is the same either way.
import { analyzeAuditLog, unpackAuditLogAnalysis, type AuditLogAnalysis, type AuditLogAnalyzer } from '../../shared/package/audit-log-analysis';

export interface AuditLogThread {
  analyze: AuditLogAnalyzer;
  close(): void;
}

export function startAuditLogThread(): AuditLogThread {
  let worker: Worker | null = null;
  try {
    worker = typeof Worker === 'function' ? new Worker(new URL('./audit-log.worker.ts', import.meta.url), { type: 'module', name: 'arw-audit-log' }) : null;
  } catch {
    worker = null;
  }
  return {
    async analyze(bytes, context) {
      const w = worker;
      if (!w) return analyzeAuditLog(bytes, context);
      const result = new Promise<AuditLogAnalysis>((resolve, reject) => {
        w.onmessage = (event: MessageEvent<{ packed?: string; error?: string }>) => (event.data.packed !== undefined ? resolve(unpackAuditLogAnalysis(event.data.packed)) : reject(new Error(event.data.error ?? 'no analysis')));
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
