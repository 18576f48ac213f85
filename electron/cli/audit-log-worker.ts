// The audit-log analysis on a worker thread (started by startAuditLogWorker in node-runtime.ts; it loads only what it
// needs). Requests, each answered once:
// - the file's bytes and the manifest's context: the analysis, packed into one string;
// - the file's entry as the archive stores it, with the context: this thread inflates it on zlib's thread pool a
//   piece at a time, hashing and analysing each piece while the next inflates; then, once the calling thread sends
//   decisions.json's items (a second message with the same id), compares them with the log. The answer: the
//   findings as one string and the file's SHA-256, or `unread` when the entry could not be read as the archive states
//   it (the caller then reads it the usual way, which names the problem).
// A failure is answered with its message.
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import type { StoredEntry } from '../../shared/package/archive-reader';
import { analyzeAuditLog, packAuditLogAnalysis, type AuditLogContext } from '../../shared/package/audit-log-analysis';
import { readAuditLogChunks } from '../../shared/package/audit-log-stream';
import { unpackComparedItems, type ComparedItem } from '../../shared/package/decision-chain-consistency';
import { gzipMemberOf } from '../../shared/package/gzip-member';
import { installNodeRuntime } from './node-primitives';

installNodeRuntime();

/** Inflated pieces of 1 MiB: about a hundred hops for a 100,000-event log, each analysed while the next inflates. */
const PIECE = 1024 * 1024;

export type WorkerRequest =
  | { id: number; context: AuditLogContext | null; bytes: Uint8Array }
  | { id: number; context: AuditLogContext | null; entry: StoredEntry }
  /** decisions.json's items for an entry request (packComparedItems), null when they could not be read. */
  | { id: number; items: string | null };

export interface WorkerReply {
  id: number;
  /** The analysis (bytes), or the findings (entry), packed. */
  packed?: string;
  sha256?: string;
  /** An entry that could not be read here. */
  unread?: true;
  error?: string;
}

/** Entry requests waiting for their items. */
const itemsFor = new Map<number, { promise: Promise<ComparedItem[] | null>; resolve: (items: ComparedItem[] | null) => void }>();

function itemsOf(id: number) {
  let waiting = itemsFor.get(id);
  if (!waiting) {
    let resolve: (items: ComparedItem[] | null) => void = () => {};
    const promise = new Promise<ComparedItem[] | null>((r) => (resolve = r));
    itemsFor.set(id, (waiting = { promise, resolve }));
  }
  return waiting;
}

async function analyzeEntry(id: number, entry: StoredEntry, context: AuditLogContext | null): Promise<Omit<WorkerReply, 'id'>> {
  // A stored (not deflated) log is read the usual way: arw always deflates it.
  if (entry.method !== 8) return { unread: true };
  const gunzip = createGunzip({ chunkSize: PIECE });
  for (const piece of gzipMemberOf(entry.data, entry.size, entry.crc32)) gunzip.write(piece);
  gunzip.end();
  const hash = createHash('sha256');
  const read = await readAuditLogChunks(entry.size, gunzip, context, (chunk) => hash.update(chunk));
  gunzip.destroy();
  if (!read) return { unread: true };
  const findings = read.analysis.findings(entry.size, await itemsOf(id).promise);
  return { packed: JSON.stringify(findings), sha256: hash.digest('hex') };
}

parentPort?.on('message', (request: WorkerRequest) => {
  const { id } = request;
  const reply = (r: Omit<WorkerReply, 'id'>) => parentPort!.postMessage({ id, ...r } satisfies WorkerReply);
  const failed = (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) });
  try {
    // (Items for a request already answered, or never made, are dropped.)
    if ('items' in request) itemsFor.get(id)?.resolve(request.items === null ? null : unpackComparedItems(request.items));
    else if ('entry' in request) {
      itemsOf(id); // ready for the items that follow
      analyzeEntry(id, request.entry, request.context)
        .then(reply, failed)
        .finally(() => itemsFor.delete(id));
    } else reply({ packed: packAuditLogAnalysis(analyzeAuditLog(request.bytes, request.context)) });
  } catch (error) {
    failed(error);
  }
});
