// The package files written straight into bytes (decisions.json, the CSV files) must be byte for byte the UTF-8 of
// the text forms the verifier and other callers use, including non-ASCII text and formula-like cells.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/codec/digest';
import { tableToCsv, tableToCsvBytes } from '../../shared/codec/csv-writer';
import { decisionsCsvBytes, decisionsJson, decisionsJsonBytes, decisionsTable, packageItems } from '../../shared/package/decisions-file';
import { ByteWriter } from '../../shared/codec/sheet-xml-writer';
import type { Table } from '../../shared/codec/table-cells';
import { sampleCertificationInput } from '../fixtures/packages/sample-campaign';
import { generateSigner, reviewerFor } from '../fixtures/packages/webcrypto-signer';

/** The byte arrays one after the other. */
function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('files written as bytes', () => {
  // 1,100 items: past the row after which a long file's buffer is sized from the first ones (ByteWriter.extrapolate).
  it.each([300, 1100])('decisions.json and decisions.csv equal the UTF-8 of their text forms (%i items)', async (count) => {
    const signers = [await generateSigner('a'), await generateSigner('b')];
    const input = sampleCertificationInput(
      signers.map((s, i) => reviewerFor(s, { id: `r${i}`, name: i ? 'Zoë Ørsted' : 'Ann' })),
      { items: count, seed: 7, open: 5 },
    );
    const items = packageItems(input);
    expect(decisionsJsonBytes('c-1', items)).toEqual(utf8(decisionsJson('c-1', items)));
    expect(decisionsJsonBytes('c-1', [])).toEqual(utf8(decisionsJson('c-1', [])));
    const names = new Map(input.reviewers.map((r) => [r.id, r.name]));
    const table = decisionsTable(items, names, 'csv');
    expect(tableToCsvBytes(table)).toEqual(utf8(tableToCsv(table)));
    expect(decisionsCsvBytes(items, names)).toEqual(utf8(tableToCsv(table)));
    expect(decisionsCsvBytes([], names)).toEqual(utf8(tableToCsv(decisionsTable([], names, 'csv'))));
  });

  it('any table gives the same CSV bytes as text, quoting and formula neutralising included', () => {
    const cell = fc.oneof(
      fc.string(),
      fc.constantFrom('=1+1', '@x', '-2', ' a', 'é"ü,\r\n😀'),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { maxLength: 20 }), (rows) => {
        const table: Table = {
          name: 't',
          columns: [
            { header: 'a', kind: 'text', width: 1 },
            { header: '=b', kind: 'general', width: 1 },
          ],
          rows,
        };
        expect(tableToCsvBytes(table)).toEqual(utf8(tableToCsv(table)));
      }),
      { numRuns: 300 },
    );
  });

  it('ByteWriter writes any text as UTF-8, starting from a buffer far too small', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 30 }), (texts) => {
        const out = new ByteWriter(1);
        for (const t of texts) out.utf8(t);
        // Each text on its own: a lone surrogate ending one text and one starting the next are not a pair.
        expect(out.trimmedBytes()).toEqual(concatBytes(texts.map(utf8)));
      }),
      { numRuns: 300 },
    );
  });

  it('ByteWriter writes short texts (copied while ASCII) and long ones alike: non-ASCII at any place, lone surrogates', () => {
    // Lengths around the short-text limit, the non-ASCII part first, last or inside; a lone surrogate is U+FFFD.
    const ascii = fc.string({ unit: fc.constantFrom('a', '"', '<', '\n', '~'), maxLength: 130 });
    const other = fc.constantFrom('é', 'Ø', '😀', '\ud800', '\udc00x', '\u0080', '\u07ff', '\uffff');
    const text = fc.tuple(ascii, fc.option(other), ascii).map(([a, o, b]) => `${a}${o ?? ''}${b}`);
    fc.assert(
      fc.property(fc.array(text, { maxLength: 12 }), fc.integer({ min: 1, max: 300 }), (texts, initial) => {
        const out = new ByteWriter(initial);
        for (const t of texts) out.utf8(t);
        expect(out.trimmedBytes()).toEqual(concatBytes(texts.map((t) => new TextEncoder().encode(t))));
      }),
      { numRuns: 500 },
    );
  });
});

describe('ByteWriter.extrapolate', () => {
  it('sizes the buffer once from the first rows, keeps what was written, and still grows when later rows are longer', () => {
    const row = (i: number) => `row ${i}, ${'é'.repeat(i % 7)} ${'x'.repeat(40)}\n`;
    for (const later of [0, 200]) {
      const out = new ByteWriter(64);
      let expected = '';
      for (let i = 0; i < 5000; i++) {
        if (i === 1024) out.extrapolate(i, 5000);
        const text = i >= 4000 ? row(i) + 'y'.repeat(later) : row(i);
        out.utf8(text);
        expected += text;
      }
      expect(out.bytes()).toEqual(utf8(expected));
      const capacity = out.bytes().buffer.byteLength;
      // Rows like the first: one buffer about the right size (no doubling to twice it). Longer ones: it grew anyway.
      if (later === 0) expect(capacity).toBeLessThan(out.size * 1.1);
      else expect(capacity).toBeGreaterThanOrEqual(out.size);
    }
    const small = new ByteWriter(1 << 20);
    small.ascii('abc');
    small.extrapolate(1, 10);
    expect(small.bytes().buffer.byteLength).toBe(1 << 20);
    expect(small.bytes()).toEqual(utf8('abc'));
  });
});

describe('ByteWriter.integer', () => {
  it('writes any integer as its decimal digits', () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat(), fc.constantFrom(0, 9, 10, 99, 100, 65535, 1e15 - 1, 1e15, 2 ** 53 - 1, -1, 1.5)), (n) => {
        const out = new ByteWriter(1);
        out.integer(n);
        expect(new TextDecoder().decode(out.bytes())).toBe(String(n));
      }),
      { numRuns: 500 },
    );
  });
});
