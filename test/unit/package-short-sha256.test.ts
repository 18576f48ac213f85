// The audit chain's own SHA-256 must be SHA-256: equal to @noble/hashes on any bytes, with or without a gap.
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../shared/codec/digest';
import { sha256HexOfRange } from '../../shared/codec/short-sha256';

describe('sha256HexOfRange', () => {
  it('is the SHA-256 of the range without the gap, for any bytes and any range', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat(), fc.nat(), fc.nat(), fc.nat(), (bytes, a, b, c, d) => {
        const [start, gapStart, gapEnd, end] = [a, b, c, d].map((n) => n % (bytes.length + 1)).sort((x, y) => x - y) as [
          number,
          number,
          number,
          number,
        ];
        const expected = bytesToHex(sha256(new Uint8Array([...bytes.subarray(start, gapStart), ...bytes.subarray(gapEnd, end)])));
        expect(sha256HexOfRange(bytes, start, end, gapStart, gapEnd)).toBe(expected);
        expect(sha256HexOfRange(bytes, start, end)).toBe(bytesToHex(sha256(bytes.subarray(start, end))));
      }),
      { numRuns: 1000 },
    );
  });

  it('pads every length around the block boundary correctly, and handles messages longer than its buffer', () => {
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 131 + 7) & 0xff);
    for (const length of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1023, 1024, 1025, 4999]) {
      expect(sha256HexOfRange(bytes, 1, 1 + length)).toBe(bytesToHex(sha256(bytes.subarray(1, 1 + length))));
    }
    expect(sha256HexOfRange(new TextEncoder().encode('abc'), 0, 3)).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
