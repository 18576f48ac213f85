// A nested worker for the package verifier (tasks.ts verifyPackage): analyses audit-log.jsonl while the task worker
// reads decisions.json. Requests, each answered once:
// - the file's bytes and the manifest's context: the analysis, packed into one string;
// - the file's entry as the archive stores it, with the context: this thread inflates it (Compression Streams, a
//   piece at a time, each piece analysed as it comes), takes its SHA-256, and once the task worker sends
//   decisions.json's items (a second message with the same id) compares them with the log. The answer: the findings
//   as one string and the digest, or `unread` when the entry could not be read as the archive states it (the task
//   worker then reads it the usual way, which names the problem).
// A failure is answered with its message.
import type { StoredEntry } from '../../shared/package/archive-reader';
import { analyzeAuditLog, packAuditLogAnalysis, type AuditLogContext } from '../../shared/package/audit-log-analysis';
import { readAuditLogChunks } from '../../shared/package/audit-log-stream';
import { unpackComparedItems, type ComparedItem } from '../../shared/package/decision-chain-consistency';
import { gzipMemberOf } from '../../shared/package/gzip-member';
import { bytesToHex } from '../../shared/model/digest';

export type AuditLogRequest =
  | { id: number; context: AuditLogContext | null; bytes: Uint8Array }
  | { id: number; context: AuditLogContext | null; entry: StoredEntry }
  /** decisions.json's items for an entry request (packComparedItems), null when they could not be read. */
  | { id: number; items: string | null };

export interface AuditLogReply {
  id: number;
  packed?: string;
  sha256?: string;
  unread?: true;
  error?: string;
}

interface Scope {
  postMessage(message: AuditLogReply | { ready: true }): void;
  onmessage: ((event: MessageEvent<AuditLogRequest>) => void) | null;
}

const scope = self as unknown as Scope;

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

async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopped early (more data than declared): no more is inflated.
    reader.cancel().catch(() => {});
  }
}

async function analyzeEntry(id: number, entry: StoredEntry, context: AuditLogContext | null): Promise<Omit<AuditLogReply, 'id'>> {
  // A stored (not deflated) log is read the usual way: arw always deflates it.
  if (entry.method !== 8 || typeof DecompressionStream !== 'function') return { unread: true };
  const pieces = gzipMemberOf(entry.data, entry.size, entry.crc32);
  const source = new ReadableStream<BufferSource>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece as Uint8Array<ArrayBuffer>);
      controller.close();
    },
  });
  const read = await readAuditLogChunks(entry.size, chunksOf(source.pipeThrough(new DecompressionStream('gzip'))), context);
  if (!read) return { unread: true };
  const sha256 = bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', read.bytes as Uint8Array<ArrayBuffer>)));
  const findings = read.analysis.findings(entry.size, await itemsOf(id).promise);
  return { packed: JSON.stringify(findings), sha256 };
}

scope.postMessage({ ready: true });
scope.onmessage = ({ data: request }) => {
  const { id } = request;
  const reply = (r: Omit<AuditLogReply, 'id'>) => scope.postMessage({ id, ...r });
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
};
