// How package code runs on Node (the arw CLI, the benchmark): Node's zlib and crypto installed (node-primitives.ts),
// and a worker thread beside the main one: in verification it analyses the audit log while the main thread reads
// decisions.json; in a build it writes report.xlsx while the main thread writes the audit log.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RandomAccessSource } from '../../shared/codec';
import { verifyCertificationPackage } from '../../shared/exchange';
import {
  buildCertificationPackage,
  type BuildOptions,
  type BuiltPackage,
  type CertificationInput,
  type PackageSigner,
  type VerifyOptions,
  type VerifyReport,
} from '../../shared/package';
import {
  ReportJobClient,
  auditLogCaller,
  type AuditLogAnalyzer,
  type AuditLogEntryAnalyzer,
  type AuditLogHandlers,
  type ReportBuilder,
  type ReportDraft,
  type ReportHandlers,
} from '../../shared/package';
import { connect, nodeEndpoint, type Channel } from '../../shared/rpc';
import { installNodeRuntime } from './node-primitives';
import { openArchiveFile } from './archive-file';

export { installNodeRuntime } from './node-primitives';

export interface AuditLogWorker {
  /** The analysis, from the worker; here, on this thread, if the worker cannot do it. */
  analyze: AuditLogAnalyzer;
  /**
   * The analysis and SHA-256 of audit-log.jsonl, read by the worker straight from its stored entry; null when the
   * worker cannot (a damaged entry, a failed worker): the caller then reads the entry itself.
   */
  analyzeEntry: AuditLogEntryAnalyzer;
  close(): Promise<void>;
}

/**
 * A worker thread for the audit-log analysis, started now so that it is ready by the time the log is needed.
 * Built to JavaScript, the worker loads its module directly. Run from this checkout's TypeScript sources (the CLI
 * runs under tsx), the worker's module and the few it imports are first bundled into one script by esbuild, once per
 * process: a worker that registered tsx itself would start its own loader thread and resolve each import through
 * it, a third of a second of both cores' time just when the log is inflating.
 */
export function startAuditLogWorker(): AuditLogWorker {
  let worker: Worker | null = null;
  let channel: Channel<AuditLogHandlers> | null = null;
  const caller = auditLogCaller();
  const fail = (reason: string) => {
    channel?.close(new Error(reason));
    channel = null;
  };
  let closed = false;
  const started = workerScript('audit-log-worker')
    .then((script) => {
      if (closed) return;
      worker = typeof script === 'string' ? new Worker(script, { eval: true }) : new Worker(script);
      channel = connect<AuditLogHandlers>(nodeEndpoint(worker), caller.handlers);
      worker.on('error', (error) => fail(error.message));
      worker.on('exit', (code) => fail(`the audit-log worker exited (code ${code})`));
    })
    .catch(() => {});
  const { analyze, analyzeEntry } = caller.bind(() => started.then(() => channel));
  return {
    analyze,
    analyzeEntry,
    async close() {
      closed = true;
      await started;
      fail('closed');
      if (worker) await worker.terminate();
      worker = null;
    },
  };
}

const bundles = new Map<string, Promise<string>>();

/** A worker's module: its URL when built to JavaScript; under TypeScript, a CommonJS bundle of it (cached). */
function workerScript(name: 'audit-log-worker' | 'report-worker'): Promise<URL | string> {
  const entry = new URL(`./${name}${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
  if (!entry.pathname.endsWith('.ts')) return Promise.resolve(entry);
  let bundled = bundles.get(name);
  if (!bundled) {
    bundled = import('esbuild').then(async ({ build }) => {
      const result = await build({
        entryPoints: [fileURLToPath(entry)],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        write: false,
        logLevel: 'silent',
      });
      return result.outputFiles[0]!.text;
    });
    bundles.set(name, bundled);
  }
  // A failed build is not kept: the next worker tries again.
  return bundled.catch((error: unknown) => {
    bundles.delete(name);
    throw error;
  });
}

export interface ReportWorker {
  builder: ReportJobClient;
  close(): Promise<void>;
}

/**
 * The report thread's young generation (V8's default is 16 MiB per semi-space here): its sheets make short-lived
 * strings by the gigabyte, and at 200,000 decisions a larger one halved the time its scavenges took (13 s to 7 s of
 * wall time on a loaded machine) for about 50 MiB more memory.
 */
const REPORT_YOUNG_GENERATION_MB = 96;

/**
 * A worker thread that writes report.xlsx (report-job.ts), ready once this resolves. If it cannot start, or stops,
 * reports are written on this thread instead.
 */
export async function startReportWorker(): Promise<ReportWorker> {
  let worker: Worker | null;
  try {
    const script = await workerScript('report-worker');
    const options = { resourceLimits: { maxYoungGenerationSizeMb: REPORT_YOUNG_GENERATION_MB } };
    worker = typeof script === 'string' ? new Worker(script, { eval: true, ...options }) : new Worker(script, options);
  } catch {
    worker = null;
  }
  const w = worker;
  const client = new ReportJobClient(w ? connect<ReportHandlers>(nodeEndpoint(w)) : null);
  if (w) {
    w.on('error', () => client.fail());
    w.on('exit', () => client.fail());
  }
  return {
    builder: client,
    async close() {
      client.fail();
      if (w) await w.terminate();
    },
  };
}

/** buildCertificationPackage as it runs on Node: Node's zlib and crypto, report.xlsx on a worker thread. */
export async function buildCertificationPackageOnNode(
  input: CertificationInput,
  signers: PackageSigner[],
  options: Pick<BuildOptions, 'phaseEnded' | 'destination'> = {},
): Promise<BuiltPackage> {
  installNodeRuntime();
  // The worker starts while the package's checks and decisions.json are written (it is needed only after them).
  const worker = startReportWorker();
  const reportBuilder: ReportBuilder = {
    start(job, here) {
      const draft = worker.then((w) => w.builder.start(job, here));
      let started: ReportDraft | null = null;
      void draft.then((d) => (started = d));
      return {
        finish: (auditChain) => draft.then((d) => d.finish(auditChain)),
        abandon: () => void draft.then((d) => d.abandon()),
        // decisions.csv, written there too (read once finish() resolved, when the draft has long started).
        files: () => started?.files?.() ?? [],
      };
    },
  };
  try {
    return await buildCertificationPackage(input, signers, { ...options, reportBuilder });
  } finally {
    await (await worker).close();
  }
}

/**
 * buildCertificationPackageOnNode with the archive written to `path` as it is made (archive-file.ts): its compressed
 * data is never held whole. The package returned has no bytes or files to read (the file has them); on failure
 * nothing is left at `path`.
 */
export async function buildCertificationPackageToFile(
  input: CertificationInput,
  signers: PackageSigner[],
  path: string,
  options: Pick<BuildOptions, 'phaseEnded'> = {},
): Promise<BuiltPackage> {
  const archive = await openArchiveFile(path);
  let built: BuiltPackage;
  try {
    built = await buildCertificationPackageOnNode(input, signers, { ...options, destination: archive });
  } catch (error) {
    await archive.close(true);
    throw error;
  }
  await archive.close();
  return built;
}

/**
 * verifyCertificationPackage as `arw verify` runs it: Node's zlib (several entries at once on its thread pool) and
 * crypto, the audit log read straight from the archive on a worker thread.
 */
export async function verifyCertificationPackageOnNode(
  archive: Uint8Array | RandomAccessSource,
  options: Omit<VerifyOptions, 'embeddedSets' | 'analyzeAuditLog' | 'analyzeAuditLogEntry' | 'parallelInflation'> = {},
): Promise<VerifyReport> {
  installNodeRuntime();
  const worker = startAuditLogWorker();
  try {
    return await verifyCertificationPackage(archive, {
      ...options,
      analyzeAuditLogEntry: worker.analyzeEntry,
      analyzeAuditLog: worker.analyze,
      parallelInflation: true,
    });
  } finally {
    await worker.close();
  }
}
