// The audit-log analysis on a worker thread (started by startAuditLogWorker in node-runtime.ts; it loads only what it
// needs): the calls of audit-log-requests.ts, an entry inflated on zlib's thread pool a mebibyte at a time and
// hashed as it inflates, each piece analysed while the next inflates.
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { read } from 'node:fs';
import { createGunzip, type Gunzip } from 'node:zlib';
import { auditLogHandlers, type EntryReader, type PostedEntry } from '../../shared/package';
import { connect } from '../../shared/rpc';
import { readAuditLogChunks } from '../../shared/package';
import { gzipMemberOf } from '../../shared/codec';
import { drained, installNodeRuntime } from './node-primitives';

installNodeRuntime();

/** Inflated pieces of 1 MiB: about a hundred hops for a 100,000-event log, each analysed while the next inflates. */
const PIECE = 1024 * 1024;

const readEntry: EntryReader = async (entry, context) => {
  // A stored (not deflated) log is read the usual way: arw always deflates it.
  if (entry.method !== 8) return null;
  const gunzip = createGunzip({ chunkSize: PIECE });
  if (entry.file) void feedFromFile(gunzip, entry.file, entry);
  else if (entry.data) {
    for (const piece of gzipMemberOf(entry.data, entry.size, entry.crc32)) gunzip.write(piece);
    gunzip.end();
  } else return null;
  const hash = createHash('sha256');
  // Signatures verified on the thread pool while this thread reads on: the other core's share of the longest check.
  const read = await readAuditLogChunks(entry.size, gunzip, context, (chunk) => hash.update(chunk), {
    offThread: true,
    // Only the unread lines are kept: a 1.2 GiB log is read through a window of a few pieces.
    window: 4 * PIECE,
  });
  gunzip.destroy();
  return read ? { analysis: read.analysis, sha256: hash.digest('hex') } : null;
};

/**
 * The entry's data read from the archive file the caller opened (its descriptor is the process's), a piece at a time
 * as zlib takes it, framed as one gzip member. A short read (the file shrank) fails the stream: the entry is unread.
 */
async function feedFromFile(gunzip: Gunzip, file: { fd: number; offset: number }, entry: PostedEntry): Promise<void> {
  const [header, , trailer] = gzipMemberOf(new Uint8Array(0), entry.size, entry.crc32);
  try {
    gunzip.write(header!);
    for (let at = 0; at < entry.compressedSize;) {
      const slice = new Uint8Array(Math.min(PIECE, entry.compressedSize - at));
      const { bytesRead } = await readAt(file.fd, slice, file.offset + at);
      if (bytesRead !== slice.length) throw new Error('audit-log.jsonl: the archive ends inside the entry');
      at += bytesRead;
      if (gunzip.destroyed) return;
      if (!gunzip.write(slice)) await drained(gunzip);
    }
    gunzip.end(trailer!);
  } catch (error) {
    gunzip.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

function readAt(fd: number, into: Uint8Array, position: number): Promise<{ bytesRead: number }> {
  return new Promise((resolve, reject) =>
    read(fd, into, 0, into.length, position, (error, bytesRead) => (error ? reject(error) : resolve({ bytesRead }))),
  );
}

if (parentPort) connect(parentPort as never, auditLogHandlers(readEntry));
