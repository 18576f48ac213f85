// The arw CLI's Node primitives (electron/cli/node-primitives.ts): Node's zlib and crypto installed as runtime
// primitives give the same digests, CRCs and inflated bytes as the portable implementations, and refuse oversized or
// corrupted entries the same way.
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { NODE_PRIMITIVES, nodeGzipCodec } from '../../electron/cli/node-primitives';
import { bytesToHex, utf8 } from '../../shared/codec/digest';
import { crc32, readPackageArchive, writeZip } from '../../shared/package';
import { deflateEntry, inflateEntry } from '../../shared/codec/deflate-codec';
import { fileSha256 } from '../../shared/codec/file-digest';
import { installRuntimePrimitives, resetRuntimePrimitives, runtimePrimitives } from '../../shared/codec/runtime-primitives';
import { sha256HexOfRange } from '../../shared/codec/short-sha256';
import { flipByte, text } from '../fixtures/packages/package-kit';

afterEach(() => {
  resetRuntimePrimitives();
});

/** Runs `f` once with the portable implementations and once with Node's installed; returns both results. */
async function bothWays<T>(f: () => T | Promise<T>): Promise<{ portable: T; node: T }> {
  resetRuntimePrimitives();
  const portable = await f();
  installRuntimePrimitives(NODE_PRIMITIVES);
  try {
    return { portable, node: await f() };
  } finally {
    resetRuntimePrimitives();
  }
}

// ---------------------------------------------------------------- primitives

describe('Node primitives give the portable results', () => {
  it('installs and resets: runtimePrimitives reflects what is installed', () => {
    expect(runtimePrimitives().sha256Hex).toBeUndefined();
    installRuntimePrimitives(NODE_PRIMITIVES);
    expect(runtimePrimitives().sha256Hex).toBe(NODE_PRIMITIVES.sha256Hex);
    expect(runtimePrimitives().gzip).toBe(nodeGzipCodec);
    resetRuntimePrimitives();
    expect(runtimePrimitives()).toStrictEqual({});
  });

  it('sha256HexOfRange: the same digest of any range, with or without a gap', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), fc.nat(), fc.nat(), async (bytes, a, b, c, d) => {
        const [start, gapStart, gapEnd, end] = [a, b, c, d].map((n) => n % (bytes.length + 1)).sort((x, y) => x - y) as [
          number,
          number,
          number,
          number,
        ];
        const r = await bothWays(() => [sha256HexOfRange(bytes, start, end, gapStart, gapEnd), sha256HexOfRange(bytes, start, end)]);
        expect(r.node).toStrictEqual(r.portable);
        expect(r.node[0]).toBe(bytesToHex(sha256(new Uint8Array([...bytes.subarray(start, gapStart), ...bytes.subarray(gapEnd, end)]))));
      }),
      { numRuns: 300 },
    );
  });

  it('crc32 and fileSha256: the same on any bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        const r = await bothWays(async () => ({ crc: crc32(bytes), sha: await fileSha256(bytes) }));
        expect(r.node).toStrictEqual(r.portable);
        expect(r.node.sha).toBe(bytesToHex(sha256(bytes)));
      }),
      { numRuns: 200 },
    );
    // A known value: CRC-32 (ISO-HDLC) of "123456789".
    const check = await bothWays(() => crc32(utf8('123456789')));
    expect(check.portable).toBe(0xcbf43926);
    expect(check.node).toBe(0xcbf43926);
  });

  it('deflateEntry / inflateEntry: the same CRC, and each inflates what the other deflated', async () => {
    const samples = [
      new Uint8Array(),
      utf8('a'),
      utf8('hello, world '.repeat(5000)),
      Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) & 0xff),
      new Uint8Array(100_000),
    ];
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.constantFrom(...samples)), async (data) => {
        const deflated = await bothWays(() => deflateEntry(data));
        expect(deflated.node.crc32).toBe(deflated.portable.crc32);
        expect(deflated.node.crc32).toBe(crc32(data));
        for (const d of [deflated.portable, deflated.node]) {
          const inflated = await bothWays(() => inflateEntry(d.deflated, data.length, d.crc32));
          expect(inflated.portable).toStrictEqual(data);
          expect(inflated.node).toStrictEqual(data);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('inflateEntry refuses more output than declared ("too-large") and reports a wrong CRC ("crc-mismatch"), both ways', async () => {
    for (const lines of [4000, 100, 3]) {
      const data = utf8('the audit log, line after line\n'.repeat(lines));
      const { deflated, crc32: crc } = await deflateEntry(data);
      for (const declared of [0, 1, data.length - 1, Math.floor(data.length / 2)]) {
        const r = await bothWays(() => inflateEntry(deflated, declared, crc));
        expect(r.portable, `portable: ${data.length} bytes declared as ${declared}`).toBe('too-large');
        expect(r.node, `node: ${data.length} bytes declared as ${declared}`).toBe('too-large');
      }
    }
    const data = utf8('the audit log, line after line\n'.repeat(4000));
    const { deflated, crc32: crc } = await deflateEntry(data);
    for (const wrong of [crc ^ 1, (crc + 0x10000) >>> 0, 0]) {
      const r = await bothWays(() => inflateEntry(deflated, data.length, wrong));
      expect(r.portable).toBe('crc-mismatch');
      expect(r.node).toBe('crc-mismatch');
    }
    // Damaged deflate data: the same kind of outcome both ways, never the original bytes.
    const damaged = flipByte(deflated, 3);
    const r = await bothWays(() => inflateEntry(damaged, data.length, crc));
    expect(typeof r.node).toBe(typeof r.portable);
    expect(r.node).not.toStrictEqual(data);
    expect(r.portable).not.toStrictEqual(data);
  });

  it('a package written with Node primitives reads back the same with the portable ones, and the other way round', async () => {
    const entries = [
      { name: 'a.txt', bytes: utf8('alpha '.repeat(3000)) },
      { name: 'b.bin', bytes: Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) & 0xff) },
      { name: 'c.xlsx', bytes: utf8('stored'), store: true },
    ];
    const written = await bothWays(() => writeZip(entries));
    for (const zip of [written.portable, written.node]) {
      const read = await bothWays(() => readPackageArchive(zip));
      expect(read.node).toStrictEqual(read.portable);
      expect(read.node.ok && read.node.entries.map((e) => [e.name, text(e.bytes)])).toStrictEqual(
        entries.map((e) => [e.name, text(e.bytes)]),
      );
    }
  });
});
