// SHA-256 (FIPS 180-4) of many short messages, such as the ~116,000 audit events of a large campaign, each a few
// hundred bytes. WebCrypto's digest costs more per call than hashing such a message in JavaScript, and
// @noble/hashes spends a good part of its time per call (objects, views, copies). This hashes a byte range with an
// optional gap cut out of it (an event's line without its "hash" member) through one reused buffer, with the round
// state in locals. Tests hold it equal to @noble/hashes on any input.

import { runtimePrimitives } from './runtime-primitives';

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const W = new Int32Array(64);
const state = new Int32Array(8);
let block = new Uint8Array(1024);

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Hex SHA-256 of bytes[start, end) without the bytes [gapStart, gapEnd) (pass gapStart = gapEnd for no gap).
 * The range must lie inside `bytes` and the gap inside the range.
 */
export function sha256HexOfRange(bytes: Uint8Array, start: number, end: number, gapStart = end, gapEnd = end): string {
  const length = end - start - (gapEnd - gapStart);
  const padded = (length + 9 + 63) & ~63;
  if (padded > block.length) block = new Uint8Array(Math.max(padded, block.length * 2));
  const b = block;
  b.set(bytes.subarray(start, gapStart), 0);
  if (gapEnd < end) b.set(bytes.subarray(gapEnd, end), gapStart - start);
  const native = runtimePrimitives().sha256Hex;
  if (native) return native(b.subarray(0, length));
  b[length] = 0x80;
  b.fill(0, length + 1, padded - 4);
  // The length in bits, big-endian, in the last 8 bytes (its top 4 bytes are 0 below 512 MiB).
  const bits = length * 8;
  b[padded - 4] = bits >>> 24;
  b[padded - 3] = bits >>> 16;
  b[padded - 2] = bits >>> 8;
  b[padded - 1] = bits;
  state[0] = 0x6a09e667;
  state[1] = 0xbb67ae85;
  state[2] = 0x3c6ef372;
  state[3] = 0xa54ff53a;
  state[4] = 0x510e527f;
  state[5] = 0x9b05688c;
  state[6] = 0x1f83d9ab;
  state[7] = 0x5be0cd19;
  for (let at = 0; at < padded; at += 64) compress(b, at);
  let hex = '';
  for (let i = 0; i < 8; i++) {
    const v = state[i]!;
    hex += HEX[(v >>> 24) & 0xff]! + HEX[(v >>> 16) & 0xff]! + HEX[(v >>> 8) & 0xff]! + HEX[v & 0xff]!;
  }
  return hex;
}

function compress(b: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4) W[i] = (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15]!;
    const w2 = W[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (s1 + W[i - 7]! + s0 + W[i - 16]!) | 0;
  }
  let a = state[0]!;
  let b2 = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const sigma1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + sigma1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const sigma0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (sigma0 + ((a & b2) ^ (a & c) ^ (b2 & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b2;
    b2 = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b2) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}
