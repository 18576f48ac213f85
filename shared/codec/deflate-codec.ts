// Raw deflate for ZIP entries, with the entry's CRC-32.
//
// Where the runtime has the Compression Streams API (Node >= 18, Chromium, workers) the native zlib does the work:
// in Node it runs on the thread pool, so the entries of a package compress in parallel on both cores. The stream
// is asked for gzip, because a gzip member is a raw deflate stream framed by a header and a trailer carrying the
// CRC-32 and size: the CRC comes free, computed natively. Reading wraps an entry's raw deflate data back into a
// gzip member with the CRC the archive states, so zlib also checks it. Without the API, fflate does the same.
import { gzipSync, inflateSync } from 'fflate';
import { crc32 as crc32Of } from './crc32';
import { gzipMemberOf } from './gzip-member';
import { joinParts } from './join-parts';
import { runtimePrimitives } from './runtime-primitives';

export interface DeflatedEntry {
  deflated: Uint8Array;
  crc32: number;
}

interface StreamCodecs {
  compress(format: 'gzip', data: Uint8Array): Promise<Uint8Array>;
  /** Inflates the concatenation of `chunks` (given in pieces, so a member is framed without copying its data). */
  decompress(format: 'gzip', chunks: readonly Uint8Array[], maxBytes: number): Promise<Uint8Array | 'too-large'>;
}

/** The Compression Streams API through minimal structural types (shared/ sees no DOM typings). */
function streamCodecs(): StreamCodecs | null {
  const g = globalThis as unknown as {
    CompressionStream?: new (format: string) => unknown;
    DecompressionStream?: new (format: string) => unknown;
    ReadableStream?: new (source: { start(controller: { enqueue(chunk: Uint8Array): void; close(): void }): void }) => {
      pipeThrough(t: unknown): ReadableLike;
    };
    Response?: new (body: ReadableLike) => { arrayBuffer(): Promise<ArrayBuffer> };
  };
  const { CompressionStream, DecompressionStream, ReadableStream, Response } = g;
  if (!CompressionStream || !DecompressionStream || !ReadableStream || !Response) return null;
  // The data as it is, no copy (a Blob would copy every entry first).
  const streamOf = (chunks: readonly Uint8Array[]) =>
    new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
  return {
    async compress(format, data) {
      return new Uint8Array(await new Response(streamOf([data]).pipeThrough(new CompressionStream(format))).arrayBuffer());
    },
    async decompress(format, chunks, maxBytes) {
      // Chunks go straight into a buffer of the declared size: one byte more is refused, never stored.
      const reader = streamOf(chunks).pipeThrough(new DecompressionStream(format)).getReader();
      const out = new Uint8Array(maxBytes);
      let total = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (total + value.length > maxBytes) {
          await reader.cancel();
          return 'too-large';
        }
        out.set(value, total);
        total += value.length;
      }
      return total === maxBytes ? out : out.subarray(0, total);
    },
  };
}

interface ReadableLike {
  getReader(): { read(): Promise<{ done: boolean; value: Uint8Array }>; cancel(): Promise<void> };
}

let codecs: StreamCodecs | null | undefined;
function portable(): StreamCodecs | null {
  if (codecs === undefined) codecs = streamCodecs();
  return codecs;
}

/** What compresses: a codec the host installed (Node's zlib in the CLI, a compression worker in the app), else the portable one. */
function compressor(): ((data: Uint8Array) => Promise<Uint8Array>) | null {
  const installed = runtimePrimitives().gzip;
  if (installed) return (data) => installed.gzip(data);
  const codec = portable();
  return codec ? (data) => codec.compress('gzip', data) : null;
}

/** What inflates: the host's codec when it inflates too, else the portable one. */
function decompressor(): ((chunks: readonly Uint8Array[], maxBytes: number) => Promise<Uint8Array | 'too-large'>) | null {
  const installed = runtimePrimitives().gzip;
  if (installed?.gunzip) return (chunks, maxBytes) => installed.gunzip!(chunks, maxBytes);
  const codec = portable();
  return codec ? (chunks, maxBytes) => codec.decompress('gzip', chunks, maxBytes) : null;
}

/**
 * A gzip member of `data` by the portable implementation (Compression Streams where the runtime has them, else
 * fflate): what a compression worker runs (renderer/workers/compression.worker.ts).
 */
export async function portableGzip(data: Uint8Array): Promise<Uint8Array> {
  const codec = portable();
  return codec ? await codec.compress('gzip', data) : gzipSync(data, { level: 1, mem: 8, mtime: 0 });
}

/** The portable inflation of a gzip member (see GzipCodec.gunzip): what a codec worker runs for the app. */
export async function portableGunzip(chunks: readonly Uint8Array[], maxBytes: number): Promise<Uint8Array | 'too-large'> {
  const codec = portable();
  if (!codec) throw new Error('this runtime has no Compression Streams');
  return await codec.decompress('gzip', chunks, maxBytes);
}

/** Deflates one entry (native zlib level 6, or fflate level 1 where there is no native codec). */
export async function deflateEntry(data: Uint8Array): Promise<DeflatedEntry> {
  const compress = compressor();
  const member = compress ? await compress(data) : gzipSync(data, { level: 1, mem: 8, mtime: 0 });
  return gzipMemberParts(member, data.length);
}

/**
 * The raw deflate data and CRC-32 of a gzip member given in pieces (a stream's output, gzipStream): the pieces
 * themselves, trimmed of the header and the trailer, not copied.
 */
export function deflatedStream(member: readonly Uint8Array[], size: number): { data: Uint8Array[]; dataSize: number; crc32: number } {
  const first = member.find((c) => c.length > 0);
  if (!first || first.length < 10 || first[0] !== 0x1f || first[1] !== 0x8b || first[2] !== 8 || first[3] !== 0)
    throw new Error('the compressor did not produce a plain gzip member');
  const data: Uint8Array[] = [];
  let skip = 10;
  for (const c of member) {
    const piece = c.subarray(Math.min(skip, c.length));
    skip -= c.length - piece.length;
    if (piece.length) data.push(piece);
  }
  // The trailer (CRC-32, size) is the last 8 bytes, which may straddle pieces.
  const trailer = new Uint8Array(8);
  let need = 8;
  while (need > 0) {
    const last = data[data.length - 1];
    if (!last) throw new Error('the compressor produced a truncated gzip member');
    const take = Math.min(need, last.length);
    trailer.set(last.subarray(last.length - take), need - take);
    need -= take;
    if (take === last.length) data.pop();
    else data[data.length - 1] = last.subarray(0, last.length - take);
  }
  const view = new DataView(trailer.buffer);
  if (view.getUint32(4, true) !== size >>> 0) throw new Error('the compressor reported a different size');
  let dataSize = 0;
  for (const d of data) dataSize += d.length;
  return { data, dataSize, crc32: view.getUint32(0, true) };
}

/** The raw deflate stream and CRC-32 inside a gzip member (RFC 1952). */
function gzipMemberParts(member: Uint8Array, size: number): DeflatedEntry {
  if (member[0] !== 0x1f || member[1] !== 0x8b || member[2] !== 8) throw new Error('the compressor did not produce a gzip member');
  const flags = member[3]!;
  let at = 10;
  if (flags & 4) at += 2 + (member[at]! | (member[at + 1]! << 8));
  if (flags & 8) while (member[at++] !== 0);
  if (flags & 16) while (member[at++] !== 0);
  if (flags & 2) at += 2;
  const end = member.length - 8;
  const trailer = new DataView(member.buffer, member.byteOffset + end, 8);
  if (trailer.getUint32(4, true) !== size >>> 0) throw new Error('the compressor reported a different size');
  return { deflated: member.subarray(at, end), crc32: trailer.getUint32(0, true) };
}

export type InflateOutcome = Uint8Array | 'too-large' | 'crc-mismatch' | { damaged: string };

/**
 * Inflates one entry into at most `size` bytes. More output than declared is refused, never produced ('too-large');
 * with the native codec, zlib also checks the CRC-32 the archive states.
 */
export async function inflateEntry(deflated: Uint8Array, size: number, crc32: number): Promise<InflateOutcome> {
  const decompress = decompressor();
  try {
    if (!decompress) return inflateWithFflate(deflated, size, crc32);
    return await decompress(gzipMemberOf(deflated, size, crc32), size);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/check|crc/i.test(message)) return 'crc-mismatch';
    return { damaged: message };
  }
}

function inflateWithFflate(deflated: Uint8Array, size: number, expectedCrc: number): InflateOutcome {
  const out = inflateSync(deflated, { out: new Uint8Array(size + 1) });
  if (out.length > size) return 'too-large';
  return crc32Of(out) === expectedCrc >>> 0 ? out : 'crc-mismatch';
}

/**
 * inflateEntry without keeping the output: `piece` sees it a piece at a time (each valid only during the call, or until
 * the promise it returns resolves) where the host inflates in pieces (GzipCodec.gunzipPieces), else whole, once. The
 * inflated size, or what went wrong. An error `piece` throws is thrown, not reported as damage.
 */
export async function inflateEntryPieces(
  deflated: Uint8Array | AsyncIterable<Uint8Array>,
  size: number,
  crc32: number,
  piece: (bytes: Uint8Array) => unknown,
): Promise<number | Exclude<InflateOutcome, Uint8Array>> {
  const pieces = runtimePrimitives().gzip?.gunzipPieces;
  if (!pieces) {
    let whole: Uint8Array;
    try {
      whole = deflated instanceof Uint8Array ? deflated : await gathered(deflated);
    } catch (error) {
      return { damaged: error instanceof Error ? error.message : String(error) };
    }
    const out = await inflateEntry(whole, size, crc32);
    if (!(out instanceof Uint8Array)) return out;
    const wait = piece(out);
    if (wait instanceof Promise) await wait;
    return out.length;
  }
  // The handler's own failure is the caller's error, not a sign of damaged data.
  let failed: { error: unknown } | null = null;
  const handled = (bytes: Uint8Array) => {
    try {
      const wait = piece(bytes);
      return wait instanceof Promise
        ? wait.catch((error: unknown) => {
            failed = { error };
            throw error;
          })
        : wait;
    } catch (error) {
      failed = { error };
      throw error;
    }
  };
  try {
    const member = deflated instanceof Uint8Array ? gzipMemberOf(deflated, size, crc32) : gzipMemberStream(deflated, size, crc32);
    return await pieces(member, size, handled);
  } catch (error) {
    if (failed) throw (failed as { error: unknown }).error;
    const message = error instanceof Error ? error.message : String(error);
    if (/check|crc/i.test(message)) return 'crc-mismatch';
    return { damaged: message };
  }
}

/** gzipMemberOf over data read a slice at a time. */
async function* gzipMemberStream(deflated: AsyncIterable<Uint8Array>, size: number, crc32: number): AsyncGenerator<Uint8Array> {
  const [header, , trailer] = gzipMemberOf(new Uint8Array(0), size, crc32);
  yield header!;
  yield* deflated;
  yield trailer!;
}

async function gathered(slices: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of slices) parts.push(part);
  return joinParts(parts);
}
