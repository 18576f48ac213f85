// The audit-log analysis on a worker thread (started by startAuditLogWorker in node-runtime.ts; it loads only what it
// needs). One message in, one out. In: the file's bytes, or its entry as the archive stores it (then this thread
// inflates it on zlib's thread pool, a piece at a time, hashing and analysing each piece while the next inflates),
// with the manifest's context. Out: the analysis packed into one string (with the entry's SHA-256), nothing when an
// entry could not be read (the caller reads it the usual way), or the error's message.
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import type { StoredEntry } from '../../shared/package/archive-reader';
import { analyzeAuditLog, packAuditLogAnalysis, type AuditLogContext } from '../../shared/package/audit-log-analysis';
import { analyzeAuditLogChunks } from '../../shared/package/audit-log-stream';
import { gzipMemberOf } from '../../shared/package/gzip-member';
import { installNodeRuntime } from './node-primitives';

installNodeRuntime();

/** Inflated pieces of 1 MiB: about a hundred hops for a 100,000-event log, each analysed while the next inflates. */
const PIECE = 1024 * 1024;

interface Request {
  id: number;
  context: AuditLogContext | null;
  bytes?: Uint8Array;
  entry?: StoredEntry;
}

export interface WorkerReply {
  id: number;
  packed?: string;
  sha256?: string;
  /** An entry that could not be read here. */
  unread?: true;
  error?: string;
}

async function analyzeEntry(entry: StoredEntry, context: AuditLogContext | null): Promise<Omit<WorkerReply, 'id'>> {
  // A stored (not deflated) log is read the usual way: arw always deflates it.
  if (entry.method !== 8) return { unread: true };
  const gunzip = createGunzip({ chunkSize: PIECE });
  for (const piece of gzipMemberOf(entry.data, entry.size, entry.crc32)) gunzip.write(piece);
  gunzip.end();
  const hash = createHash('sha256');
  const found = await analyzeAuditLogChunks(entry.size, gunzip, context, (chunk) => hash.update(chunk));
  gunzip.destroy();
  return found ? { packed: packAuditLogAnalysis(found.analysis), sha256: hash.digest('hex') } : { unread: true };
}

parentPort?.on('message', ({ id, bytes, entry, context }: Request) => {
  const reply = (r: Omit<WorkerReply, 'id'>) => parentPort!.postMessage({ id, ...r } satisfies WorkerReply);
  const failed = (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) });
  try {
    if (entry) analyzeEntry(entry, context).then(reply, failed);
    else reply({ packed: packAuditLogAnalysis(analyzeAuditLog(bytes!, context)) });
  } catch (error) {
    failed(error);
  }
});
