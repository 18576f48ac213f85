// The export's fast paths must write the very bytes the full rules write: a CSV cell that skips the formula and
// quoting rules because one scan found nothing to do; slices handed to the compressor from a reused buffer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../shared/codec/csv-writer';
import { neutraliseAfterSeparators, neutraliseFormula } from '../../shared/codec/formula-safety';
import type { CellValue } from '../../shared/codec/table-cells';

/** csvCell's rules applied in full to every cell (as csvCell did before its fast path). */
function fullRules(value: CellValue): string {
  const text =
    value === null ? '' : value instanceof Date ? value.toISOString() : typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  const safe = neutraliseAfterSeparators(neutraliseFormula(text));
  return /[",;\t\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

describe('a CSV cell', () => {
  it('is written as the full rules write it, for every kind of text', () => {
    const awkward = fc.constantFrom(
      '',
      ' ',
      'a ',
      ' a',
      '=1+1',
      '+1',
      '-2',
      '@x',
      'a;=b',
      'a,b',
      'say "hi"',
      '\t=x',
      'x\r\n-y',
      '\u00a0=x',
      '＝1',
      'Zoë',
      'a\u001fb',
      '~!#$%^&*()_{}|:<>?[]\\/`',
    );
    const cell = fc.oneof(
      awkward,
      fc.string(),
      fc.string({ unit: fc.constantFrom('a', ' ', '=', ';', ',', '"', '\t', '\n', '-', '@', 'é', '\u2028') }),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    fc.assert(
      fc.property(cell, (value) => {
        expect(csvCell(value)).toBe(fullRules(value));
      }),
      { numRuns: 5000 },
    );
  });
});
