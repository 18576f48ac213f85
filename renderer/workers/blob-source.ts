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
      for (let o = 0; o < end; o += chunkSize) {
        let bytes: ArrayBuffer;
        try {
          bytes = await blob.slice(o, Math.min(end, o + chunkSize)).arrayBuffer();
        } catch (error) {
          // A dropped File is read from disk only now: it may have been changed or removed since it was chosen.
          throw new Error(
            `${name}: cannot read the file at byte ${o} (${error instanceof Error ? error.message : String(error)}); was it changed or moved after it was chosen?`,
            { cause: error },
          );
        }
        yield new Uint8Array(bytes);
      }
    },
  };
}
