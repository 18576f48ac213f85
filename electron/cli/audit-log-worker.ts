// The audit-log analysis on a worker thread (started by startAuditLogWorker in node-runtime.ts; it loads only what it
// needs): the calls of audit-log-requests.ts, an entry inflated on zlib's thread pool a mebibyte at a time and
// hashed as it inflates, each piece analysed while the next inflates.
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { auditLogHandlers, type EntryReader } from '../../shared/package';
import { connect } from '../../shared/rpc';
import { readAuditLogChunks } from '../../shared/package';
import { gzipMemberOf } from '../../shared/codec';
import { installNodeRuntime } from './node-primitives';

installNodeRuntime();

/** Inflated pieces of 1 MiB: about a hundred hops for a 100,000-event log, each analysed while the next inflates. */
const PIECE = 1024 * 1024;

const readEntry: EntryReader = async (entry, context) => {
  // A stored (not deflated) log is read the usual way: arw always deflates it.
  if (entry.method !== 8) return null;
  const gunzip = createGunzip({ chunkSize: PIECE });
  for (const piece of gzipMemberOf(entry.data, entry.size, entry.crc32)) gunzip.write(piece);
  gunzip.end();
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

if (parentPort) connect(parentPort as never, auditLogHandlers(readEntry));
