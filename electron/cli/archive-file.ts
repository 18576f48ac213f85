// A package archive written to a file as it is made (buildCertificationPackage's `destination`): each entry's
// compressed data goes to a spool file beside the destination as soon as it is ready, and the archive is written at
// the end, its entries copied from the spool in the archive's order. Memory holds entries only while they compress.
import { open, rm, type FileHandle } from 'node:fs/promises';
import type { ArchiveDestination, EntrySpool, SpooledData } from '../../shared/codec';

/** Pieces read back from the spool (one buffer, reused). */
const READ_BYTES = 4 * 1024 * 1024;

export interface ArchiveFile extends ArchiveDestination {
  /** Bytes written to the destination so far. */
  readonly written: number;
  /** Closes the destination and removes the spool (after a failure too: the destination is then removed). */
  close(failed?: boolean): Promise<void>;
}

/** Opens `path` for the archive (created or truncated) and `path.spool` for the entries meanwhile. */
export async function openArchiveFile(path: string): Promise<ArchiveFile> {
  const spoolPath = `${path}.spool`;
  const out = await open(path, 'w');
  let spoolFile: FileHandle;
  try {
    spoolFile = await open(spoolPath, 'w+');
  } catch (error) {
    await out.close();
    throw error;
  }
  const spool = fileSpool(spoolFile);
  let written = 0;
  return {
    spool,
    async write(bytes) {
      for (let at = 0; at < bytes.length;) at += (await out.write(bytes, at, bytes.length - at, written + at)).bytesWritten;
      written += bytes.length;
    },
    get written() {
      return written;
    },
    async close(failed = false) {
      await Promise.allSettled([out.close(), spoolFile.close()]);
      await rm(spoolPath, { force: true });
      if (failed) await rm(path, { force: true });
    },
  };
}

/** An append-only spool in `file`: puts are written one after another, in the order they are made. */
function fileSpool(file: FileHandle): EntrySpool {
  let end = 0;
  let queue: Promise<unknown> = Promise.resolve();
  let buffer: Uint8Array | null = null;
  return {
    put(data) {
      const put = queue.then(async (): Promise<SpooledData> => {
        const offset = end;
        for (const piece of data) {
          for (let at = 0; at < piece.length;) at += (await file.write(piece, at, piece.length - at, end + at)).bytesWritten;
          end += piece.length;
        }
        return { offset, size: end - offset };
      });
      queue = put.catch(() => undefined);
      return put;
    },
    async *read(stored) {
      buffer ??= new Uint8Array(READ_BYTES);
      let at = stored.offset;
      const stop = stored.offset + stored.size;
      while (at < stop) {
        const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, stop - at), at);
        if (bytesRead === 0) throw new Error(`the spool ended at byte ${at}, before the entry's ${stop}`);
        at += bytesRead;
        yield buffer.subarray(0, bytesRead);
      }
    },
  };
}
