// sameBytes (shared/model/digest.ts), which the verifier uses to hold the remediation files to the text rendered
// from the decisions (tens of MB): against a byte-by-byte reference, for views at any offset into larger buffers
// (the four-at-a-time path and the byte path), with one byte changed anywhere, and for different lengths.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameBytes } from '../../shared/codec/digest';

const reference = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** A view of `bytes` at `offset` into a larger buffer of its own. */
function at(bytes: Uint8Array, offset: number): Uint8Array {
  const buffer = new Uint8Array(offset + bytes.length + 5).fill(0xa5);
  buffer.set(bytes, offset);
  return buffer.subarray(offset, offset + bytes.length);
}

describe('sameBytes', () => {
  it('equals the byte-by-byte answer for equal texts and texts one byte apart, at any offsets', () => {
    let differing = 0;
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(7),
        fc.nat(7),
        fc.option(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 }))),
        (bytes, offsetA, offsetB, change) => {
          const other = Uint8Array.from(bytes);
          if (change && other.length) {
            const i = change[0] % other.length;
            other[i] = (other[i]! + change[1]) & 0xff;
            differing++;
          }
          const a = at(bytes, offsetA);
          const b = at(other, offsetB);
          expect(sameBytes(a, b)).toBe(reference(a, b));
          expect(sameBytes(a, b)).toBe(!change || !bytes.length);
        },
      ),
      { numRuns: 2000 },
    );
    expect(differing).toBeGreaterThan(500);
  });

  it('a difference in the last bytes (after the last whole word) and different lengths', () => {
    const base = Uint8Array.from({ length: 1027 }, (_, i) => (i * 31) & 0xff);
    for (const i of [0, 3, 4, 511, 1023, 1024, 1025, 1026]) {
      const changed = Uint8Array.from(base);
      changed[i] = changed[i]! ^ 1;
      expect(sameBytes(base, changed), `byte ${i}`).toBe(false);
    }
    expect(sameBytes(base, Uint8Array.from(base))).toBe(true);
    expect(sameBytes(base, base.subarray(0, 1026))).toBe(false);
    expect(sameBytes(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });
});
