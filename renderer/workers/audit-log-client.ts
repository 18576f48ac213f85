// The verifier's second thread in the app: a nested worker (audit-log.worker.ts) analyses the audit log while the
// task worker reads decisions.json: straight from its stored entry (inflated, hashed and compared with
// decisions.json's items there), or from its bytes. Where a worker cannot be started or fails, the analysis runs
// in the task worker itself; the report is the same either way.
import { startNestedWorker } from './nested-worker';
import { auditLogCaller, type AuditLogAnalyzer, type AuditLogEntryAnalyzer, type AuditLogHandlers } from '../../shared/package';
import { connect, superviseWorker, webWorkerStops, type Channel } from '../../shared/rpc';

export interface AuditLogThread {
  analyze: AuditLogAnalyzer;
  /** Null without a worker (the verifier then inflates the log and analyses it itself). */
  analyzeEntry: AuditLogEntryAnalyzer | null;
  close(): void;
}

/** The thread, once started (or, if it cannot start, the analysis on the caller's thread). */
export async function startAuditLogThread(): Promise<AuditLogThread> {
  const nested = startNestedWorker(
    () => new Worker(new URL('./audit-log.worker.ts', import.meta.url), { type: 'module', name: 'arw-audit-log' }),
  );
  const worker = (await nested.ready) ? nested.worker : null;
  if (!worker) nested.worker?.terminate();
  const caller = auditLogCaller();
  let channel: Channel<AuditLogHandlers> | null = worker ? connect<AuditLogHandlers>(worker, caller.handlers) : null;
  const stop = (reason: string) => {
    channel?.close(new Error(reason));
    channel = null;
  };
  if (worker && channel) {
    // A worker that fails or dies leaves the result no different: the analysis runs here instead.
    superviseWorker(worker, channel, webWorkerStops(worker), { name: 'audit-log', onStopped: () => (channel = null) });
  }
  const bound = caller.bind(() => Promise.resolve(channel));
  return {
    analyze: bound.analyze,
    analyzeEntry: worker ? bound.analyzeEntry : null,
    close() {
      worker?.terminate();
      stop('closed');
    },
  };
}
