// Files read in chunks instead of whole: bytes → text chunks with the encoding sniffed from the first bytes (the
// same rules as decodeText), and the SHA-256 of the bytes computed on the way. The host gives a ByteSource (in
// the app a Blob read slice by slice); nothing here holds a whole file.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

const DECODE_PIECE = 64 * 1024;

export interface ByteSource {
  name: string;
  size: number;
  /** The bytes from the start (up to `limit` when given), in chunks. Called again for each new reading. */
  read(limit?: number): AsyncIterable<Uint8Array>;
}

/** A ByteSource over bytes already in memory, cut in chunks of `chunkSize` (tests, Node callers). */
export function bytesSource(name: string, bytes: Uint8Array, chunkSize = 4 * 1024 * 1024): ByteSource {
  return {
    name,
    size: bytes.byteLength,
    async *read(limit = Infinity) {
      const end = Math.min(bytes.byteLength, limit);
      for (let o = 0; o < end; o += chunkSize) yield bytes.subarray(o, Math.min(end, o + chunkSize));
    },
  };
}

/** The file is not valid UTF-8 after its first chunks: it is read again from the start as Windows-1252. */
export class EncodingFallback extends Error {
  constructor(readonly file: string) {
    super(`${file}: not UTF-8; reading it as Windows-1252`);
  }
}

/** The bytes are not text in the encoding their first bytes announced (message as decodeText's error). */
export class UnreadableText extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

interface Sniffed {
  label: string;
  encoding: string;
  /** BOM bytes dropped before decoding. */
  skip: number;
}

/** decodeText's rules, on the first (up to) 4 bytes of the file. */
export function sniffEncoding(first: Uint8Array): Sniffed {
  if (first.length >= 3 && first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf)
    return { label: 'utf-8', encoding: 'utf-8 (BOM)', skip: 3 };
  if (first.length >= 2 && first[0] === 0xff && first[1] === 0xfe) return { label: 'utf-16le', encoding: 'utf-16le (BOM)', skip: 2 };
  if (first.length >= 2 && first[0] === 0xfe && first[1] === 0xff) return { label: 'utf-16be', encoding: 'utf-16be (BOM)', skip: 2 };
  if (first.length >= 4 && first[1] === 0 && first[3] === 0 && first[0] !== 0) return { label: 'utf-16le', encoding: 'utf-16le', skip: 0 };
  if (first.length >= 4 && first[0] === 0 && first[2] === 0 && first[1] !== 0) return { label: 'utf-16be', encoding: 'utf-16be', skip: 0 };
  return { label: 'utf-8', encoding: 'utf-8', skip: 0 };
}

export interface TextReadOptions {
  /** Read only the first `limit` bytes (a head for format detection); no digest then. */
  limit?: number;
  /** Read as Windows-1252 (after an EncodingFallback). */
  legacy?: boolean;
  /** Bytes read so far in this reading. */
  onBytes?: (bytes: number) => void;
  /** Called between chunks: throw to stop (cancel). */
  check?: () => void;
  /** The digest is computed elsewhere (digestSource on another thread): `sha256` stays unset. */
  noDigest?: boolean;
}

/**
 * One reading of a source as text. Iterate it once; afterwards `encoding` and `sha256` describe the file.
 * A strict UTF-8 failure throws EncodingFallback; any other decoding failure UnreadableText.
 */
export class TextReading implements AsyncIterable<string> {
  encoding = '';
  sha256: string | undefined;

  constructor(
    readonly source: ByteSource,
    private readonly options: TextReadOptions = {},
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    const hash = sha256.create();
    let decoder: TextDecoder | null = null;
    let sniffed: Sniffed | null = null;
    let pending: Uint8Array | null = null;
    let done = 0;
    const decode = (bytes: Uint8Array, stream: boolean): string => {
      try {
        return decoder!.decode(bytes, { stream });
      } catch (error) {
        if (sniffed!.label === 'utf-8' && sniffed!.skip === 0) throw new EncodingFallback(this.source.name);
        throw new UnreadableText(this.source.name, error instanceof Error ? error.message : String(error));
      }
    };
    const start = (first: Uint8Array): Uint8Array => {
      sniffed = this.options.legacy ? { label: 'windows-1252', encoding: 'windows-1252', skip: 0 } : sniffEncoding(first);
      this.encoding = sniffed.encoding;
      decoder = sniffed.label === 'windows-1252' ? new TextDecoder('windows-1252') : new TextDecoder(sniffed.label, { fatal: true });
      return first.subarray(sniffed.skip);
    };
    for await (const chunk of this.source.read(this.options.limit)) {
      this.options.check?.();
      if (!this.options.noDigest) hash.update(chunk);
      done += chunk.byteLength;
      this.options.onBytes?.(done);
      let bytes = chunk;
      if (!decoder) {
        // The encoding rules look at the first 4 bytes: gather them if the first chunk is shorter.
        bytes = pending ? concat(pending, chunk) : chunk;
        if (bytes.byteLength < 4) {
          pending = bytes.slice();
          continue;
        }
        pending = null;
        bytes = start(bytes);
      }
      // Text in pieces of at most 64 KiB of bytes: strings that small are short-lived young-generation objects,
      // where a multi-MiB string would go to the large-object space and wait there for a full garbage collection.
      for (let o = 0; o < bytes.byteLength; o += DECODE_PIECE) {
        const text = decode(bytes.subarray(o, Math.min(bytes.byteLength, o + DECODE_PIECE)), true);
        if (text) yield text;
      }
    }
    const tail = decoder ? new Uint8Array(0) : start(pending ?? new Uint8Array(0));
    // A head stops mid-file: a character cut at its end stays in the decoder.
    const partial = this.options.limit !== undefined && this.options.limit < this.source.size;
    const rest = decode(tail, partial);
    if (rest) yield rest;
    if (!partial && !this.options.noDigest) this.sha256 = bytesToHex(hash.digest());
  }
}

/** The SHA-256 (hex) of a source's bytes, read in its chunks: for a thread that digests while another parses. */
export async function digestSource(source: ByteSource): Promise<string> {
  const hash = sha256.create();
  for await (const chunk of source.read()) hash.update(chunk);
  return bytesToHex(hash.digest());
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}
