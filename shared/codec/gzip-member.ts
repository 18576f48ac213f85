// A ZIP entry's deflated data as a gzip member, so that a gzip decoder (zlib, Compression Streams) inflates it and
// checks the CRC-32 and size the archive states.

/**
 * The entry's data framed as a gzip member (RFC 1952) with the CRC-32 and size the archive states, as three pieces
 * (the data itself is not copied): a gzip decoder inflates it and checks both.
 */
export function gzipMemberOf(deflated: Uint8Array, size: number, crc32: number): Uint8Array[] {
  const trailer = new Uint8Array(8);
  const view = new DataView(trailer.buffer);
  view.setUint32(0, crc32 >>> 0, true);
  view.setUint32(4, size >>> 0, true);
  return [Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]), deflated, trailer];
}
