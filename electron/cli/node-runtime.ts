// How the arw CLI runs package verification on Node: Node's zlib and crypto installed (node-primitives.ts), and the
// audit log analysed on a worker thread while the main thread reads decisions.json.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { verifyCertificationPackage } from '../../shared/exchange';
import type { VerifyOptions, VerifyReport } from '../../shared/package';
import { analyzeAuditLog, unpackAuditLogAnalysis, type AuditLogAnalysis, type AuditLogAnalyzer } from '../../shared/package/audit-log-analysis';
import { installNodeRuntime } from './node-primitives';

export { installNodeRuntime } from './node-primitives';

export interface AuditLogWorker {
  /** The analysis, from the worker; here, on this thread, if the worker cannot do it. */
  analyze: AuditLogAnalyzer;
  close(): Promise<void>;
}

/**
 * A worker thread for the audit-log analysis, started now so that it is ready by the time the log has inflated.
 * Under tsx (this checkout runs the CLI from its TypeScript sources) the worker registers tsx before it loads its
 * module; built to JavaScript, it loads the module directly.
 */
export function startAuditLogWorker(): AuditLogWorker {
  const entry = new URL(`./audit-log-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
  const source = entry.pathname.endsWith('.ts')
    ? new URL(`data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(entry.href)});`)}`)
    : entry;
  let worker: Worker | null = null;
  let failed: string | null = null;
  const waiting = new Map<number, { resolve: (a: AuditLogAnalysis) => void; reject: (e: Error) => void }>();
  const fail = (reason: string) => {
    failed = reason;
    for (const w of waiting.values()) w.reject(new Error(reason));
    waiting.clear();
  };
  try {
    worker = new Worker(source);
    worker.on('message', (m: { id: number; packed?: string; error?: string }) => {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.packed !== undefined) w?.resolve(unpackAuditLogAnalysis(m.packed));
      else w?.reject(new Error(m.error ?? 'no analysis'));
    });
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) => fail(`the audit-log worker exited (code ${code})`));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  let next = 0;
  return {
    async analyze(bytes, context) {
      if (!worker || failed !== null) return analyzeAuditLog(bytes, context);
      const id = next++;
      const result = new Promise<AuditLogAnalysis>((resolve, reject) => waiting.set(id, { resolve, reject }));
      worker.postMessage({ id, bytes, context });
      // A worker that fails leaves the result no different: the analysis runs here instead.
      return result.catch(() => analyzeAuditLog(bytes, context));
    },
    async close() {
      if (worker) await worker.terminate();
      worker = null;
    },
  };
}

/** verifyCertificationPackage as `arw verify` runs it: Node's zlib and crypto, the audit log on a worker thread. */
export async function verifyCertificationPackageOnNode(bytes: Uint8Array, options: Omit<VerifyOptions, 'embeddedSets' | 'analyzeAuditLog'> = {}): Promise<VerifyReport> {
  installNodeRuntime();
  const worker = startAuditLogWorker();
  try {
    return await verifyCertificationPackage(bytes, { ...options, analyzeAuditLog: worker.analyze });
  } finally {
    await worker.close();
  }
}
