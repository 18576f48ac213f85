// Node's native zlib and crypto for shared/'s package code (see shared/package/runtime-primitives.ts), installed by
// the arw CLI and the benchmark. zlib runs on the thread pool in output chunks sized to the entry, so an entry
// compresses or inflates in a few hops instead of one per 16 KiB; a short SHA-256 (an audit event) costs a fraction
// of the JavaScript one.
import { hash as nodeHash, createHash, createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import * as zlib from 'node:zlib';
import { createGunzip, gunzip, gzip, inflateRaw, type Gunzip, type ZlibOptions } from 'node:zlib';
import { installRuntimePrimitives, type GzipCodec, type GzipStream, type RuntimePrimitives, type Sha256Stream } from '../../shared/codec';

const MIN_CHUNK = 64 * 1024;
const GZIP_HEADER = 10;
const GZIP_TRAILER = 8;
const GZIP_FRAMING = GZIP_HEADER + GZIP_TRAILER;
const MAX_CHUNK = 8 * 1024 * 1024;
/**
 * zlib's level 2 (of 9; 6 is its default): a package's JSON, CSV and sheet XML deflate at about twice level 6's
 * speed to an archive about a fifth larger (100,000 decisions: 39 MB, not 32), which for a signed package written in
 * seconds on a two-core machine is the better trade. Inflating is as fast either way.
 */
const GZIP_LEVEL = 2;

/** An output chunk near the expected size: one or a few hops for a large entry, no large buffer for a small one. */
function chunkFor(expectedBytes: number): number {
  let chunk = MIN_CHUNK;
  while (chunk < expectedBytes && chunk < MAX_CHUNK) chunk *= 2;
  return chunk;
}

function run(operation: typeof gzip, data: Uint8Array, options: ZlibOptions): Promise<Uint8Array> {
  return new Promise((resolve, reject) =>
    operation(data, options, (error, out) => (error ? reject(error) : resolve(new Uint8Array(out.buffer, out.byteOffset, out.length)))),
  );
}

/** Slices queued for zlib before a writer waits: enough to keep the thread pool busy, little next to a package. */
const STREAM_HIGH_WATER = 16 * 1024 * 1024;

/**
 * Buffers a stream copies slices into, reused once zlib has read them: a fresh megabyte for every slice of a
 * gigabyte of package files cost seconds in page faults and kept the garbage collector busy.
 */
const POOLED_BYTES = 2 * 1024 * 1024;
const POOL_KEEP = 32;
const pool: Uint8Array[] = [];

/** A copy of `data` in a pooled buffer (or its own, when larger), and how to give that buffer back. */
function pooledCopy(data: Uint8Array): { copy: Uint8Array; release: () => void } {
  if (data.length > POOLED_BYTES) return { copy: data.slice(), release: () => undefined };
  const buffer = pool.pop() ?? new Uint8Array(POOLED_BYTES);
  buffer.set(data);
  return { copy: buffer.subarray(0, data.length), release: () => void (pool.length < POOL_KEEP && pool.push(buffer)) };
}

/**
 * A gzip member compressed on the thread pool as its slices arrive; writers wait only when zlib falls behind. Each
 * slice is copied before write() returns, so the caller may write over it at once.
 */
export function nodeGzipStream(): GzipStream {
  const z = zlib.createGzip({ level: GZIP_LEVEL, chunkSize: 1024 * 1024, writableHighWaterMark: STREAM_HIGH_WATER } as zlib.ZlibOptions);
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const ended = new Promise<void>((resolve, reject) => {
    z.on('data', (c: Buffer) => out.push(new Uint8Array(c.buffer, c.byteOffset, c.length)));
    z.on('end', resolve);
    z.on('error', (error) => {
      failure = error;
      reject(error);
    });
  });
  ended.catch(() => undefined);
  return {
    write(data) {
      if (failure) return Promise.reject(failure);
      const { copy, release } = pooledCopy(data);
      // Called once zlib has consumed the copy (not on failure: that buffer is simply not reused).
      const accepted = z.write(copy, (error?: Error | null) => void (error ? undefined : release()));
      if (accepted) return Promise.resolve();
      return new Promise((resolve, reject) => {
        z.once('drain', resolve);
        ended.catch(reject);
      });
    },
    async end() {
      z.end();
      await ended;
      return out;
    },
  };
}

export function nodeSha256Stream(): Sha256Stream {
  const h = createHash('sha256');
  return { update: (data) => void h.update(data), digestHex: () => h.digest('hex') };
}

export const nodeGzipCodec: Required<GzipCodec> = {
  gunzipPieces,
  gzip: (data) => run(gzip, data, { level: GZIP_LEVEL, chunkSize: chunkFor(data.length / 4) }),
  async gunzip(chunks, maxBytes) {
    const member = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    try {
      // One output chunk of the declared size (plus the byte that proves it too large), so zlib's result is that
      // chunk itself, not a concatenation of many.
      const out = await run(gunzip, member, { chunkSize: Math.max(MIN_CHUNK, maxBytes + 1), maxOutputLength: Math.max(1, maxBytes) });
      return out.length > maxBytes ? 'too-large' : out;
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return 'too-large';
      // zlib checks the trailer's CRC and size (the archive's, framed by the caller) as soon as the data ends, which
      // for output larger than declared can come before the size limit bites. Like the stream codec, report such an
      // entry as too large: inflate the raw data alone, bounded, to tell the two apart.
      if (member.length > GZIP_FRAMING && (await inflatesBeyond(member.subarray(GZIP_HEADER, member.length - GZIP_TRAILER), maxBytes)))
        return 'too-large';
      throw error;
    }
  },
};

/** Pieces of this size: a large entry inflates in about a thousand hops, each a mebibyte held at a time. */
const PIECE = 1024 * 1024;

/** GzipCodec.gunzipPieces on zlib's stream (thread pool), read a piece at a time: nothing is kept. */
async function gunzipPieces(
  chunks: readonly Uint8Array[] | AsyncIterable<Uint8Array>,
  maxBytes: number,
  piece: (bytes: Uint8Array) => unknown,
): Promise<number | 'too-large'> {
  const stream = createGunzip({ chunkSize: PIECE });
  if (Array.isArray(chunks)) {
    for (const chunk of chunks as readonly Uint8Array[]) stream.write(chunk);
    stream.end();
  } else void feed(stream, chunks as AsyncIterable<Uint8Array>);
  let total = 0;
  try {
    for await (const out of stream as AsyncIterable<Buffer>) {
      if (total + out.length > maxBytes) return 'too-large';
      total += out.length;
      const handled = piece(new Uint8Array(out.buffer, out.byteOffset, out.length));
      if (handled instanceof Promise) {
        try {
          await handled;
        } catch (error) {
          throw new PieceFailed(error);
        }
      }
    }
  } catch (error) {
    if (error instanceof PieceFailed) throw error.reason;
    // As gunzip: a trailer that fails because the data inflates to more than declared is the too-large case (a
    // damaged entry only, so inflating it once more, bounded, costs nothing on a sound package).
    // (Streamed data is not held to inflate again: the caller then reads the entry whole, which names the problem.)
    if (!Array.isArray(chunks)) throw error;
    const member = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks as readonly Uint8Array[]);
    if (member.length > GZIP_FRAMING && (await inflatesBeyond(member.subarray(GZIP_HEADER, member.length - GZIP_TRAILER), maxBytes)))
      return 'too-large';
    throw error;
  } finally {
    stream.destroy();
  }
  return total;
}

/** Writes `chunks` into the stream as it takes them; a failure to read them fails the stream. */
async function feed(stream: Gunzip, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  try {
    for await (const chunk of chunks) {
      if (stream.destroyed) return;
      if (!stream.write(chunk)) await drained(stream);
    }
    stream.end();
  } catch (error) {
    stream.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

/** Resolves once the stream can take more input (or has closed). */
export function drained(stream: Gunzip): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

/** An error of the caller's piece handler, told apart from zlib's (which say the data is damaged). */
class PieceFailed extends Error {
  constructor(readonly reason: unknown) {
    super('a piece handler failed');
  }
}

/** True when raw deflate data inflates to more than `maxBytes` (it is never inflated further than that). */
async function inflatesBeyond(deflated: Uint8Array, maxBytes: number): Promise<boolean> {
  try {
    const out = await run(inflateRaw, deflated, { chunkSize: Math.max(MIN_CHUNK, maxBytes + 1), maxOutputLength: Math.max(1, maxBytes) });
    return out.length > maxBytes;
  } catch (error) {
    return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
  }
}

/** One-shot native SHA-256 (crypto.hash where Node has it, 20.12 and later). */
export const nodeSha256Hex: (bytes: Uint8Array) => string =
  typeof nodeHash === 'function'
    ? (bytes) => nodeHash('sha256', bytes, 'hex')
    : (bytes) => createHash('sha256').update(bytes).digest('hex');

/** zlib.crc32 where Node has it (20.15 and later). */
const nodeCrc32 =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (bytes: Uint8Array) => (zlib as unknown as { crc32(b: Uint8Array): number }).crc32(bytes) >>> 0
    : undefined;

/** Node's Ed25519 (OpenSSL: strict RFC 8032 verification), a key object made once per public key. */
const publicKeys = new Map<string, KeyObject>();
/**
 * The key object by the very array it was asked for with, and a copy of its bytes (checked on every call, so an
 * array whose bytes changed never gets the old key): the per-event checks pass each reviewer's one key array over and
 * over, and encoding it to look it up cost several percent of a verification.
 */
const byArray = new WeakMap<Uint8Array, { bytes: Uint8Array; key: KeyObject }>();
export function nodeEd25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  return nodeVerify(null, message, keyObjectOf(publicKey), signature);
}

/** nodeEd25519Verify on the thread pool (crypto.verify with a callback); a key that cannot be read fails, as there. */
export function nodeEd25519VerifyAsync(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      nodeVerify(null, message, keyObjectOf(publicKey), signature, (error, ok) => resolve(!error && ok));
    } catch {
      resolve(false);
    }
  });
}

function keyObjectOf(publicKey: Uint8Array): KeyObject {
  const known = byArray.get(publicKey);
  let key: KeyObject;
  if (known && sameKeyBytes(known.bytes, publicKey)) key = known.key;
  else {
    const x = Buffer.from(publicKey).toString('base64url');
    let made = publicKeys.get(x);
    if (!made) {
      made = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
      publicKeys.set(x, made);
    }
    byArray.set(publicKey, { bytes: publicKey.slice(), key: made });
    key = made;
  }
  return key;
}

function sameKeyBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const NODE_PRIMITIVES: RuntimePrimitives = {
  gzip: nodeGzipCodec,
  gzipStream: nodeGzipStream,
  sha256Stream: nodeSha256Stream,
  sha256Hex: nodeSha256Hex,
  ed25519Verify: nodeEd25519Verify,
  ed25519VerifyAsync: nodeEd25519VerifyAsync,
  ...(nodeCrc32 ? { crc32: nodeCrc32 } : {}),
};

/** Installs Node's zlib and crypto for this thread's package code. */
export function installNodeRuntime(): void {
  installRuntimePrimitives(NODE_PRIMITIVES);
}
