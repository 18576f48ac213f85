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
 */
export async function readAuditLogChunks(
  size: number,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  context: AuditLogContext | null,
  onChunk?: (chunk: Uint8Array) => void,
  options: { offThread?: boolean } = {},
): Promise<{ analysis: IncrementalAuditLogAnalysis; bytes: Uint8Array } | null> {
  const bytes = new Uint8Array(size);
  const analysis = new IncrementalAuditLogAnalysis(bytes, context, options);
  let filled = 0;
  try {
    for await (const chunk of chunks) {
      // One byte more than declared is refused, never stored.
      if (filled + chunk.length > size) return null;
      bytes.set(chunk, filled);
      filled += chunk.length;
      onChunk?.(chunk);
      analysis.advance(filled);
    }
  } catch {
    return null;
  }
  if (filled !== size) return null;
  await analysis.settled();
  return { analysis, bytes };
}
