// audit-log.jsonl analysed straight from its entry in the archive, as it inflates: on a host's worker thread (the arw
// CLI's), the largest file of a package is inflated, hashed and analysed in one pass, each piece analysed while the
// next inflates, and never crosses threads; decisions.json's items are compared with it there too, once the calling
// thread has read them. Whatever goes wrong (damaged data, a size or CRC-32 that does not match) gives no result:
// the verifier then reads the entry the usual way, which names the problem.
import type { StoredEntry } from '../codec';
import { IncrementalAuditLogAnalysis, type AuditLogContext, type AuditLogFindings } from './audit-log-analysis';
import type { ComparedItem } from './decision-chain-consistency';

/** What an entry analyser found: the findings, and the entry's SHA-256 (hex) for the manifest's digest check. */
export interface EntryAnalysis {
  findings: AuditLogFindings;
  sha256: string;
}

/**
 * Runs on another thread: the findings of a stored audit log, decisions.json's items (once the caller has them; null
 * when it cannot read them) compared with it; or null when it cannot give them.
 */
export type AuditLogEntryAnalyzer = (
  entry: StoredEntry,
  context: AuditLogContext | null,
  items: Promise<readonly ComparedItem[] | null>,
) => Promise<EntryAnalysis | null>;

/**
 * A file given as chunks of exactly `size` bytes in all, each analysed as it comes (the iterator's source goes on
 * inflating meanwhile): the analysis with every line read, to finish (or null when the chunks come to more or less
 * than `size`, or the source fails: a damaged stream, a CRC-32 that does not match; no more is read), and the bytes.
 * `onChunk` sees each chunk first (to hash it). `offThread`: see IncrementalAuditLogAnalysis (settled before returning).
 * `window`: only the lines not yet read are kept, in a buffer of this many bytes (larger only for a line longer than
 * that), whatever the file's size, and `bytes` is null: for a caller that hashes the chunks as they come.
 */
export async function readAuditLogChunks(
  size: number,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  context: AuditLogContext | null,
  onChunk?: (chunk: Uint8Array) => void,
  options: { offThread?: boolean; window?: number } = {},
): Promise<{ analysis: IncrementalAuditLogAnalysis; bytes: Uint8Array | null } | null> {
  const sliding = options.window !== undefined && size > options.window;
  let buffer = new Uint8Array(sliding ? Math.max(1, options.window!) : size);
  const analysis = new IncrementalAuditLogAnalysis(buffer, context, options);
  /** Bytes of the file read so far, and where the buffer starts in the file. */
  let filled = 0;
  let base = 0;
  try {
    for await (const chunk of chunks) {
      // One byte more than declared is refused, never stored.
      if (filled + chunk.length > size) return null;
      if (sliding && filled - base + chunk.length > buffer.length) {
        // Keep the unread tail (a partial line) at the front, in a larger buffer only when the tail and the chunk
        // do not fit.
        const keepFrom = analysis.unread;
        const kept = filled - base - keepFrom;
        const next = kept + chunk.length > buffer.length ? new Uint8Array(Math.max(buffer.length * 2, kept + chunk.length)) : buffer;
        if (next === buffer) buffer.copyWithin(0, keepFrom, keepFrom + kept);
        else next.set(buffer.subarray(keepFrom, keepFrom + kept));
        analysis.rebase(next, keepFrom);
        buffer = next;
        base += keepFrom;
      }
      buffer.set(chunk, filled - base);
      filled += chunk.length;
      onChunk?.(chunk);
      analysis.advance(filled);
    }
  } catch {
    return null;
  }
  if (filled !== size) return null;
  await analysis.settled();
  return { analysis, bytes: options.window !== undefined ? null : buffer };
}
