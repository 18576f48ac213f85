// An archive read by offset instead of held whole: the reader asks for its end record, central directory and local
// headers, then each entry's data as it is needed, in slices where the data is only streamed. A package of 1,000,000
// decisions is 680 MiB; `arw verify` reads it from the file so its memory does not grow with the archive.

/** Bytes read by offset: a file (the CLI) or bytes in memory (the app, tests). */
export interface RandomAccessSource {
  readonly size: number;
  /** Up to `length` bytes from `offset`: fewer only where the source ends first (a file that shrank meanwhile). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** An open file descriptor any thread of this process may read from (Node), when the source is a file. */
  readonly fd?: number;
}

/** A source over bytes in memory; reads are views of them, not copies. */
export interface BytesSource extends RandomAccessSource {
  readonly bytes: Uint8Array;
}

export function bytesSource(bytes: Uint8Array): BytesSource {
  return {
    bytes,
    size: bytes.length,
    read: (offset, length) => Promise.resolve(bytes.subarray(offset, Math.min(bytes.length, offset + length))),
  };
}

export function isBytesSource(source: RandomAccessSource): source is BytesSource {
  return (source as Partial<BytesSource>).bytes instanceof Uint8Array;
}

/** Slices of this size: a large entry is read a mebibyte at a time. */
export const SOURCE_SLICE_BYTES = 1024 * 1024;

/**
 * `length` bytes from `offset`, a slice at a time (each a fresh buffer the consumer may keep). Throws when the source
 * ends first, so a truncated entry is never taken for a shorter one.
 */
export async function* sourceSlices(
  source: RandomAccessSource,
  offset: number,
  length: number,
  slice = SOURCE_SLICE_BYTES,
): AsyncGenerator<Uint8Array> {
  for (let at = offset, end = offset + length; at < end;) {
    const want = Math.min(slice, end - at);
    const bytes = await source.read(at, want);
    if (bytes.length !== want) throw new Error(`the archive ends at byte ${at + bytes.length}, inside an entry that runs to byte ${end}`);
    at += want;
    yield bytes;
  }
}
