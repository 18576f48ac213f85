// Utf8Lines (shared/codec/utf8-lines.ts) reads a file a line at a time, decoding runs of whole lines so that no string
// holds the whole file (decisions.json of 1,000,000 items is over V8's string limit). Whatever the run size, the lines
// and the rest must be exactly those of the whole file decoded at once (fromUtf8): byte-order marks, invalid bytes,
// multi-byte characters and lines longer than a run included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromUtf8 } from '../../shared/codec/digest';
import { Utf8Lines } from '../../shared/codec/utf8-lines';

/** Every line Utf8Lines gives, then the rest (when it is at most `restBytes` long). */
function read(bytes: Uint8Array, runBytes: number, restBytes = Number.MAX_SAFE_INTEGER) {
  const reader = new Utf8Lines(bytes, runBytes);
  const lines: string[] = [];
  for (let line = reader.next(); line !== null; line = reader.next()) lines.push(line);
  return { lines, rest: reader.rest(restBytes) };
}

/** The same from the whole text: the lines each newline ends, and what follows the last one. */
function expected(bytes: Uint8Array) {
  const parts = fromUtf8(bytes).split('\n');
  return { lines: parts.slice(0, -1), rest: parts[parts.length - 1]! };
}

// Pieces that stress decoding: ASCII, newlines, multi-byte characters, a byte-order mark, invalid and cut sequences.
const PIECES = [
  [0x61],
  [0x0a],
  [0x0a],
  [0x2c, 0x0a],
  [0xc3, 0xa5],
  [0xe2, 0x80, 0x94],
  [0xf0, 0x9f, 0x98, 0x80],
  [0xef, 0xbb, 0xbf],
  [0xff],
  [0xe2, 0x80],
  [0xc3],
];

describe('Utf8Lines', () => {
  it('gives the lines and the rest of the whole decoded text, whatever the run size', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }), fc.integer({ min: 1, max: 40 }), (pieces, run) => {
        const bytes = new Uint8Array(pieces.flat());
        expect(read(bytes, run)).toStrictEqual(expected(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('drops a byte-order mark only at the very start, as decoding the whole file does', () => {
    const bom = [0xef, 0xbb, 0xbf];
    const bytes = new Uint8Array([...bom, 0x61, 0x0a, ...bom, 0x62, 0x0a]);
    expect(read(bytes, 3).lines).toStrictEqual(['a', '\ufeffb']);
  });

  it('reads a line longer than a run whole, and leaves an unterminated tail to rest', () => {
    const bytes = new TextEncoder().encode(`${'x'.repeat(50)}\nshort\ntail`);
    expect(read(bytes, 8)).toStrictEqual({ lines: ['x'.repeat(50), 'short'], rest: 'tail' });
  });

  it('rest is null when more is left than asked for, and reads nothing', () => {
    const reader = new Utf8Lines(new TextEncoder().encode('a\n]}\n'), 2);
    expect(reader.next()).toBe('a');
    expect(reader.rest(2)).toBeNull();
    expect(reader.rest(3)).toBe(']}\n');
    expect(reader.next()).toBe(']}');
    expect(reader.rest(0)).toBe('');
  });
});
