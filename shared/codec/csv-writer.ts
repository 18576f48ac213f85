// RFC 4180 CSV with CRLF line ends, safe against formula injection. Dates are written as ISO 8601 (UTC). A field
// holding a semicolon or a tab is quoted too, and the text after such a separator is neutralised as a cell of its
// own: Excel in semicolon-separator locales splits it into cells whatever the quotes say.
import { neutraliseAfterSeparators, neutraliseFormula } from './formula-safety';
import { ByteWriter, SIZE_CHECKPOINT } from './sheet-xml-writer';
import { rowAt, type CellValue, type Table } from './table-cells';
import type { Pacer } from './event-loop-pacer';

const NEEDS_QUOTES = /[",;\t\r\n]|^\s|\s$/;

export function csvCell(value: CellValue): string {
  const textValue = cellText(value);
  // Most cells (ids, names, dates) need neither quotes nor an apostrophe: one scan tells, without the three regexes.
  if (isPlainCell(textValue)) return textValue;
  const safe = neutraliseAfterSeparators(neutraliseFormula(textValue));
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * True when csvCell leaves the text as it is: printable ASCII without `"`, `,` or `;`, not starting with a formula
 * trigger (= + - @) or a space, not ending with a space. Anything else goes through the full rules.
 */
function isPlainCell(text: string): boolean {
  const n = text.length;
  if (n === 0) return true;
  const first = text.charCodeAt(0);
  if (first === 0x3d || first === 0x2b || first === 0x2d || first === 0x40 || first === 0x20) return false;
  if (text.charCodeAt(n - 1) === 0x20) return false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x2c || c === 0x3b) return false;
  }
  return true;
}

/** One CSV row (no line end) straight into `out`: no array of cells, no joined string. */
export function writeCsvRow(out: ByteWriter, cells: readonly CellValue[]): void {
  for (let c = 0; c < cells.length; c++) {
    if (c > 0) out.ascii(',');
    writeCsvCell(out, cells[c]!);
  }
}

/** csvCell(value)'s UTF-8 into `out`: most cells are copied as they are checked, no second pass or string for them. */
export function writeCsvCell(out: ByteWriter, value: CellValue): void {
  if (value === null) return;
  const text = typeof value === 'string' ? value : cellText(value);
  if (!out.plainCsvCell(text)) out.utf8(csvCell(text));
}

function cellText(value: CellValue): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** tableToCsv as UTF-8, written row by row into one buffer (no large string to join and encode). */
export function tableToCsvBytes(table: Table): Uint8Array {
  const out = new ByteWriter(1024 + Math.min(table.rows.length, 2 * SIZE_CHECKPOINT) * table.columns.length * 32);
  out.utf8(table.columns.map((c) => csvCell(c.header)).join(','));
  out.ascii('\r\n');
  for (let r = 0; r < table.rows.length; r++) {
    if (r === SIZE_CHECKPOINT) out.extrapolate(r, table.rows.length);
    out.utf8(rowAt(table.rows, r).map(csvCell).join(','));
    out.ascii('\r\n');
  }
  return out.trimmedBytes();
}

/** tableToCsvBytes's bytes in slices of about a megabyte, yielding to the event loop as the pacer asks. */
export async function writeTableCsv(table: Table, sink: (slice: Uint8Array) => Promise<void>, pacer: Pacer): Promise<void> {
  const out = new ByteWriter(2 * CSV_SLICE);
  out.utf8(table.columns.map((c) => csvCell(c.header)).join(','));
  out.ascii('\r\n');
  for (let r = 0; r < table.rows.length; r++) {
    writeCsvRow(out, rowAt(table.rows, r));
    out.ascii('\r\n');
    if (out.size >= CSV_SLICE) {
      await sink(out.takeView());
      if (pacer.due()) await pacer.pace();
    }
  }
  await sink(out.takeView());
}

const CSV_SLICE = 1 << 20;

export function tableToCsv(table: Table): string {
  const lines = [table.columns.map((c) => csvCell(c.header)).join(',')];
  for (let r = 0; r < table.rows.length; r++) lines.push(rowAt(table.rows, r).map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
