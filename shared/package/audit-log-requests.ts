// The audit-log thread's side of verification, for any host's worker (the arw CLI's worker_threads worker, the app's
// nested Web Worker): the requests it answers and how. The host supplies only how it inflates and hashes an entry.
// Requests, each answered once:
// - the file's bytes and the manifest's context: the analysis, packed into one string (packAuditLogAnalysis);
// - the file's entry as the archive stores it, with the context: the host's reader inflates it a piece at a time,
//   each piece analysed as it comes, and takes its SHA-256; then, once the calling thread sends decisions.json's items
//   (a second message with the same id), they are compared with the log. The answer: the findings as one string and
//   the digest, or `unread` when the entry could not be read as the archive states it (the caller then reads it the
//   usual way, which names the problem).
// A failure is answered with its message.
import type { StoredEntry } from '../codec';
import { analyzeAuditLog, packAuditLogAnalysis, type AuditLogContext, type IncrementalAuditLogAnalysis } from './audit-log-analysis';
import { unpackComparedItems, type ComparedItem } from './decision-chain-consistency';

export type AuditLogRequest =
  | { id: number; context: AuditLogContext | null; bytes: Uint8Array }
  | { id: number; context: AuditLogContext | null; entry: StoredEntry }
  /** decisions.json's items for an entry request (packComparedItems), null when they could not be read. */
  | { id: number; items: string | null };

/** A request as its sender writes it (the id is added when it is sent). */
export type AuditLogRequestBody = AuditLogRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

export interface AuditLogReply {
  id: number;
  /** The analysis (bytes), or the findings (entry), packed. */
  packed?: string;
  sha256?: string;
  /** An entry that could not be read here. */
  unread?: true;
  error?: string;
}

/** How a host reads a stored entry: every line analysed and the SHA-256 taken, or null when it cannot (see readAuditLogChunks). */
export type EntryReader = (entry: StoredEntry, context: AuditLogContext | null) => Promise<{ analysis: IncrementalAuditLogAnalysis; sha256: string } | null>;

/** A handler for the requests of one thread, answering each through `reply`. */
export function auditLogRequestHandler(readEntry: EntryReader, reply: (answer: AuditLogReply) => void): (request: AuditLogRequest) => void {
  /** Entry requests waiting for their items. */
  const itemsFor = new Map<number, { promise: Promise<ComparedItem[] | null>; resolve: (items: ComparedItem[] | null) => void }>();
  async function analyzeEntry(id: number, entry: StoredEntry, items: Promise<ComparedItem[] | null>, context: AuditLogContext | null): Promise<Omit<AuditLogReply, 'id'>> {
    const read = await readEntry(entry, context);
    if (!read) return { unread: true };
    const findings = read.analysis.findings(entry.size, await items);
    return { packed: JSON.stringify(findings), sha256: read.sha256 };
  }
  return (request) => {
    const { id } = request;
    const answer = (r: Omit<AuditLogReply, 'id'>) => reply({ id, ...r });
    const failed = (error: unknown) => answer({ error: error instanceof Error ? error.message : String(error) });
    try {
      // (Items for a request already answered, or never made, are dropped.)
      if ('items' in request) itemsFor.get(id)?.resolve(request.items === null ? null : unpackComparedItems(request.items));
      else if ('entry' in request) {
        let resolve: (items: ComparedItem[] | null) => void = () => {};
        const promise = new Promise<ComparedItem[] | null>((r) => (resolve = r));
        itemsFor.set(id, { promise, resolve });
        analyzeEntry(id, request.entry, promise, request.context)
          .then(answer, failed)
          .finally(() => itemsFor.delete(id));
      } else answer({ packed: packAuditLogAnalysis(analyzeAuditLog(request.bytes, request.context)) });
    } catch (error) {
      failed(error);
    }
  };
}
