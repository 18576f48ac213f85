// audit-log.jsonl analysed straight from its entry in the archive, as it inflates: on a host's worker thread (the arw
// CLI's), the largest file of a package is inflated, hashed and analysed in one pass, each piece analysed while the
// next inflates, and never crosses threads. Whatever goes wrong (damaged data, a size or CRC-32 that does not match)
// gives no result: the verifier then reads the entry the usual way, which names the problem.
import type { StoredEntry } from './archive-reader';
import { IncrementalAuditLogAnalysis, type AuditLogAnalysis, type AuditLogContext } from './audit-log-analysis';

/** What an entry analyser found: the analysis, and the entry's SHA-256 (hex) for the manifest's digest check. */
export interface EntryAnalysis {
  analysis: AuditLogAnalysis;
  sha256: string;
}

/** Runs on another thread: the analysis of a stored audit log, or null when it cannot give one. */
export type AuditLogEntryAnalyzer = (entry: StoredEntry, context: AuditLogContext | null) => Promise<EntryAnalysis | null>;

/**
 * The analysis of a file given as chunks of exactly `size` bytes in all, each analysed as it comes (the iterator's
 * source goes on inflating meanwhile); `onChunk` sees each chunk first (to hash it). Null when the chunks come to
 * more or less than `size`, or the source fails (a damaged stream, a CRC-32 that does not match): no more is read.
 */
export async function analyzeAuditLogChunks(
  size: number,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  context: AuditLogContext | null,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<{ analysis: AuditLogAnalysis; bytes: Uint8Array } | null> {
  const bytes = new Uint8Array(size);
  const analysis = new IncrementalAuditLogAnalysis(bytes, context);
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
  return { analysis: analysis.finish(size), bytes };
}
