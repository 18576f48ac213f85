// A File or Blob as the importer's ByteSource: read slice by slice, so a large file is never in memory whole.
import type { ByteSource } from '../../shared/import';

/** Large enough that per-chunk costs vanish, small enough that a few chunks in flight stay a few MiB. */
export const BLOB_CHUNK = 4 * 1024 * 1024;

export function blobSource(name: string, blob: Blob, chunkSize = BLOB_CHUNK): ByteSource {
  return {
    name,
    size: blob.size,
    async *read(limit = Infinity) {
      const end = Math.min(blob.size, limit);
      for (let o = 0; o < end; o += chunkSize) yield new Uint8Array(await blob.slice(o, Math.min(end, o + chunkSize)).arrayBuffer());
    },
  };
}
