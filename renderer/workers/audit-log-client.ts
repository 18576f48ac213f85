// The verifier's second thread in the app: a nested worker (audit-log.worker.ts) analyses the audit log while the
// task worker reads decisions.json: straight from its stored entry (inflated, hashed and compared with
// decisions.json's items there), or from its bytes. Where a worker cannot be started or fails, the analysis runs
// in the task worker itself; the report is the same either way.
import { startNestedWorker } from './nested-worker';
import { analyzeAuditLog, unpackAuditLogAnalysis, type AuditLogAnalyzer, type AuditLogFindings } from '../../shared/package';
import type { AuditLogEntryAnalyzer } from '../../shared/package';
import { packComparedItems } from '../../shared/package';
import type { AuditLogReply, AuditLogRequest, AuditLogRequestBody } from '../../shared/package';

export interface AuditLogThread {
  analyze: AuditLogAnalyzer;
  /** Null without a worker (the verifier then inflates the log and analyses it itself). */
  analyzeEntry: AuditLogEntryAnalyzer | null;
  close(): void;
}

/** The thread, once started (or, if it cannot start, the analysis on the caller's thread). */
export async function startAuditLogThread(): Promise<AuditLogThread> {
  const nested = startNestedWorker(() => new Worker(new URL('./audit-log.worker.ts', import.meta.url), { type: 'module', name: 'arw-audit-log' }));
  let worker = (await nested.ready) ? nested.worker : null;
  if (!worker) nested.worker?.terminate();
  let failed = false;
  const waiting = new Map<number, { resolve: (r: AuditLogReply) => void; reject: (e: Error) => void }>();
  if (worker) {
    worker.onmessage = (event: MessageEvent<AuditLogReply | { ready: true }>) => {
      if ('ready' in event.data) return;
      const reply = event.data;
      const w = waiting.get(reply.id);
      waiting.delete(reply.id);
      if (reply.error !== undefined) w?.reject(new Error(reply.error));
      else w?.resolve(reply);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      failed = true;
      for (const w of waiting.values()) w.reject(new Error(event.message || 'the audit-log worker failed'));
      waiting.clear();
    };
  }
  let next = 0;
  /** The worker's reply (null without a working worker), and the request's id. */
  const ask = (message: AuditLogRequestBody, transfer: Transferable[] = []): { id: number; reply: Promise<AuditLogReply | null> } => {
    const id = next++;
    const w = worker;
    if (!w || failed) return { id, reply: Promise.resolve(null) };
    const reply = new Promise<AuditLogReply>((resolve, reject) => waiting.set(id, { resolve, reject }));
    w.postMessage({ ...message, id } as AuditLogRequest, transfer);
    return { id, reply };
  };
  const analyzeEntry: AuditLogEntryAnalyzer = async (entry, context, items) => {
    // Only the entry's own data crosses (a copy, handed over): a view would carry the whole archive with it.
    const data = entry.data.slice();
    const request = ask({ entry: { ...entry, data }, context }, [data.buffer]);
    // The items follow once the task worker has read them (the nested worker waits for them once the log is read).
    items.then(
      (list) => {
        if (worker && !failed && waiting.has(request.id)) worker.postMessage({ id: request.id, items: list ? packComparedItems(list) : null } satisfies AuditLogRequest);
      },
      () => {},
    );
    const reply = await request.reply.catch(() => null);
    return reply?.packed !== undefined && reply.sha256 !== undefined ? { findings: JSON.parse(reply.packed) as AuditLogFindings, sha256: reply.sha256 } : null;
  };
  return {
    async analyze(bytes, context) {
      // A worker that fails leaves the result no different: the analysis runs here instead.
      const reply = await ask({ bytes, context }).reply.catch(() => null);
      return reply?.packed !== undefined ? unpackAuditLogAnalysis(reply.packed) : analyzeAuditLog(bytes, context);
    },
    analyzeEntry: worker ? analyzeEntry : null,
    close() {
      worker?.terminate();
      worker = null;
      for (const w of waiting.values()) w.reject(new Error('closed'));
      waiting.clear();
    },
  };
}
