// Faster native building blocks a host may install. shared/ runs in browsers, workers and Node alike, so it carries
// portable implementations of everything it needs (the Compression Streams API or fflate for deflate, SHA-256 in
// JavaScript for the audit chain's ~100,000 short messages). A Node host (the arw CLI: electron/cli/node-runtime.ts)
// installs Node's zlib and crypto instead: zlib with large output chunks needs no help from this thread to advance
// on the thread pool, and native SHA-256 hashes a short message several times faster. Same bytes, same digests:
// tests hold the installed and the portable implementations equal.

export interface GzipCodec {
  /** A gzip member (RFC 1952) of `data`, compressed away from the calling thread where possible. */
  gzip(data: Uint8Array): Promise<Uint8Array>;
  /**
   * The data of the gzip member given as the concatenation of `chunks`, checked against the member's CRC-32 and
   * size. More than `maxBytes` of output is refused, never produced ('too-large'). Throws on damaged data (the
   * message names a bad "check" when the CRC does not match). Left out: the portable one.
   */
  gunzip?(chunks: readonly Uint8Array[], maxBytes: number): Promise<Uint8Array | 'too-large'>;
  /**
   * gunzip without keeping the output: each piece goes to `piece` as it inflates (valid only during the call), so a
   * verifier that needs only a file's digest holds a mebibyte of it, not the file; a piece handled asynchronously
   * (its promise) is awaited before the next is inflated. `chunks` may be read as they inflate (an entry read from a
   * file a slice at a time). Resolves to the size inflated, or
   * 'too-large' (nothing past `maxBytes` is handed on); throws as gunzip does.
   */
  gunzipPieces?(
    chunks: readonly Uint8Array[] | AsyncIterable<Uint8Array>,
    maxBytes: number,
    piece: (bytes: Uint8Array) => unknown,
  ): Promise<number | 'too-large'>;
}

/** A SHA-256 taken a piece at a time. */
export interface Sha256Stream {
  update(bytes: Uint8Array): void;
  /** Hex; the stream is finished. */
  digestHex(): string;
}

/** One gzip member written in slices (zlib on the thread pool while the caller writes the next slice). */
export interface GzipStream {
  /** Adds a slice, read or copied before this returns (the caller may then write over it); resolves once the stream can take more. */
  write(data: Uint8Array): Promise<void>;
  /** Ends the member: its bytes (header, raw deflate data, trailer) in the chunks the compressor produced. */
  end(): Promise<Uint8Array[]>;
}

export interface RuntimePrimitives {
  gzip?: GzipCodec;
  /** A gzip member compressed as its data comes, so a long file need never exist whole (package export). */
  gzipStream?: () => GzipStream;
  /** Synchronous SHA-256, hex. */
  sha256Hex?: (bytes: Uint8Array) => string;
  /** CRC-32 (ISO-HDLC, as ZIP uses it). */
  crc32?: (bytes: Uint8Array) => number;
  /** Strict (RFC 8032, non-malleable) Ed25519 verification, synchronous: the per-event signatures of an audit log. */
  ed25519Verify?: (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;
  /** The same, away from the calling thread (Node: on its thread pool), so another core verifies while this one reads. */
  ed25519VerifyAsync?: (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => Promise<boolean>;
  /** A native incremental SHA-256: the export hashes files as it writes them; with gzip.gunzipPieces, the verifier
   * digests large files without holding them. */
  sha256Stream?: () => Sha256Stream;
}

let installed: RuntimePrimitives = {};

/** Installs native implementations (for the life of this thread); a field left out keeps what was installed, one set to undefined goes back to the portable one. */
export function installRuntimePrimitives(primitives: RuntimePrimitives): void {
  installed = { ...installed, ...primitives };
}

/** Back to the portable implementations (tests). */
export function resetRuntimePrimitives(): void {
  installed = {};
}

export function runtimePrimitives(): Readonly<RuntimePrimitives> {
  return installed;
}
