// A nested worker for the package verifier (tasks.ts verifyPackage): analyses audit-log.jsonl while the task worker
// reads decisions.json, serving the calls of audit-log-requests.ts; an entry is inflated with Compression Streams,
// each piece analysed as it comes, then hashed with WebCrypto.
import { bytesToHex } from '../../shared/codec';
import { auditLogHandlers, type EntryReader } from '../../shared/package';
import { readAuditLogChunks } from '../../shared/package';
import { gzipMemberOf } from '../../shared/codec';
import { connect } from '../../shared/rpc';

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

const readEntry: EntryReader = async (entry, context) => {
  // A stored (not deflated) log is read the usual way: arw always deflates it.
  if (entry.method !== 8 || !entry.data || typeof DecompressionStream !== 'function') return null;
  const pieces = gzipMemberOf(entry.data, entry.size, entry.crc32);
  const source = new ReadableStream<BufferSource>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece as Uint8Array<ArrayBuffer>);
      controller.close();
    },
  });
  const read = await readAuditLogChunks(entry.size, chunksOf(source.pipeThrough(new DecompressionStream('gzip'))), context);
  if (!read?.bytes) return null;
  return {
    analysis: read.analysis,
    sha256: bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', read.bytes as Uint8Array<ArrayBuffer>))),
  };
};

connect(self as never, auditLogHandlers(readEntry), { ready: true });
