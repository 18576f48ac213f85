// Writes tables as an .xlsx workbook a person can read: frozen header, autofilter, column widths, dates as dates.
//
// exceljs lays out the workbook (parts, styles, header rows, column widths, frozen panes, autofilters). Its
// in-memory writer renders about 5,000 rows a second on these machines (20 s for a 100,000-row sheet), and its
// faster streaming writer is missing from its browser build. So exceljs writes every sheet with its header only,
// and the data rows are rendered here as SpreadsheetML and put into each sheet's <sheetData>, using the very style
// ids exceljs assigned to each column; text goes to exceljs's shared-string table. The result is re-zipped
// deterministically (archive-writer.ts).
import type ExcelJSModule from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { utf8 } from './digest';
import { assembleZip, openZipEntry, startZipEntry, type PendingZipEntry } from './archive-writer';
import { createPacer, type Pacer } from './event-loop-pacer';
import { ByteWriter } from './sheet-xml-writer';
import { neutraliseFormula } from './formula-safety';
import { rowAt, type CellValue, type ColumnKind, type LateTable, type RowSource, type StreamedTable, type Table } from './table-cells';

export interface WorkbookInfo {
  title: string;
  creator: string;
  /** Written as the workbook's created/modified time (fixed, so the same input gives the same bytes). */
  createdAt: Date;
  /** Rows per sheet, header included (EXCEL_MAX_ROWS unless a test needs a small one to see the split). */
  maxSheetRows?: number;
}

/** Excel's rows per worksheet, the header row included: a longer sheet continues in "Name (2)", "Name (3)", … */
export const EXCEL_MAX_ROWS = 1_048_576;
/** Excel's longest sheet name. */
const SHEET_NAME_MAX = 31;

const NUMBER_FORMATS: Partial<Record<ColumnKind, string>> = {
  decimal: '0.00',
  percent: '0%',
  date: 'yyyy-mm-dd hh:mm:ss',
};

const HEADER_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE9ECEF' } } as const;

type AnyTable = Table | LateTable | StreamedTable;

/**
 * The workbook of `tables`, sheets in the order given. Late tables (their rows a promise) are written after all the
 * others, once their rows arrive (or in their place, `inPlace`); streamed tables as their runs arrive. Each must then
 * have the row count it declared.
 */
export async function writeWorkbook(given: readonly AnyTable[], info: WorkbookInfo, pacer: Pacer = createPacer()): Promise<Uint8Array> {
  const tables = splitAtRowLimit(given, info.maxSheetRows ?? EXCEL_MAX_ROWS);
  const layout = await workbookLayout(tables, info);
  const parts = unzipSync(layout);
  const sharedStringsXml = parts[SHARED_STRINGS];
  if (!sharedStringsXml) throw new Error(`exceljs did not write ${SHARED_STRINGS}`);
  const strings = new SharedStrings(strFromU8(sharedStringsXml));
  // Each sheet starts compressing as soon as it is rendered, while the next one is.
  const pending = new Map<string, PendingZipEntry>();
  const sheets = tables.map((table, index) => ({ table, path: `xl/worksheets/sheet${index + 1}.xml` }));
  const last = (t: AnyTable) => isLate(t) && !t.inPlace;
  for (const { table, path } of [...sheets.filter((s) => !last(s.table)), ...sheets.filter((s) => last(s.table))]) {
    const xml = parts[path];
    if (!xml) throw new Error(`exceljs did not write ${path} for sheet "${table.name}"`);
    let runs: Iterable<Table['rows']> | AsyncIterable<RowSource>;
    if (isStreamed(table)) runs = table.runs;
    else if (isLate(table)) {
      const rows = await table.rows;
      if (rows.length !== table.rowCount)
        throw new Error(`sheet "${table.name}": ${rows.length} rows arrived, ${table.rowCount} were declared`);
      runs = [rows];
    } else runs = [table.rows];
    const sheet = { name: table.name, columns: table.columns, rowCount: rowCount(table), runs };
    pending.set(path, await withRows(path, strFromU8(xml), sheet, strings, pacer));
  }
  pending.set(SHARED_STRINGS, startZipEntry({ name: SHARED_STRINGS, bytes: utf8(strings.xml()) }));
  return assembleZip(Object.entries(parts).map(([name, bytes]) => pending.get(name) ?? startZipEntry({ name, bytes })));
}

/**
 * Each table that would pass `maxRows` (header included) as several sheets in its place: "Decisions",
 * "Decisions (2)", … each a view on the same rows (nothing copied), every row in exactly one of them.
 */
export function splitAtRowLimit(tables: readonly AnyTable[], maxRows: number): AnyTable[] {
  if (!(Number.isInteger(maxRows) && maxRows >= 2)) throw new Error(`a sheet needs room for a header and a row, not ${maxRows} rows`);
  const perSheet = maxRows - 1;
  return tables.flatMap((table): AnyTable[] => {
    const count = rowCount(table);
    if (count <= perSheet) return [table];
    // Late tables (the Summary, the report's short sheets) are not split: that would need their rows before the layout.
    if (isLate(table)) throw new Error(`sheet "${table.name}": ${count} rows declared, more than a sheet's ${perSheet}`);
    if (isStreamed(table)) {
      // The parts take their rows in turn from the one stream of runs.
      const cursor = new RunCursor(table.runs);
      const parts: StreamedTable[] = [];
      for (let part = 0; part * perSheet < count; part++) {
        const length = Math.min(perSheet, count - part * perSheet);
        const final = (part + 1) * perSheet >= count;
        parts.push({
          name: continuationName(table.name, part),
          columns: table.columns,
          rowCount: length,
          runs: cursor.take(length, final),
        });
      }
      return parts;
    }
    const rows = table.rows;
    const parts: Table[] = [];
    for (let part = 0; part * perSheet < count; part++) {
      const offset = part * perSheet;
      const view: RowSource = { length: Math.min(perSheet, count - offset), row: (i) => rowAt(rows, offset + i) };
      parts.push({ name: continuationName(table.name, part), columns: table.columns, rows: view });
    }
    return parts;
  });
}

function continuationName(name: string, part: number): string {
  if (part === 0) return name;
  const suffix = ` (${part + 1})`;
  return `${name.slice(0, SHEET_NAME_MAX - suffix.length)}${suffix}`;
}

function isLate(table: AnyTable): table is LateTable {
  return 'rowCount' in table && !('runs' in table);
}

function isStreamed(table: AnyTable): table is StreamedTable {
  return 'runs' in table;
}

function rowCount(table: AnyTable): number {
  return 'rowCount' in table ? table.rowCount : table.rows.length;
}

/** A stream of runs taken in turns (a streamed table split at the row limit): each part takes its rows, in order. */
class RunCursor {
  private readonly iterator: AsyncIterator<RowSource>;
  private run: RowSource | null = null;
  private at = 0;

  constructor(runs: AsyncIterable<RowSource>) {
    this.iterator = runs[Symbol.asyncIterator]();
  }

  /** The next `count` rows (fewer if the stream ends first); `final`: the stream must then be at its end. */
  async *take(count: number, final: boolean): AsyncGenerator<RowSource> {
    let need = count;
    while (need > 0) {
      if (!this.run || this.at >= this.run.length) {
        const next = await this.iterator.next();
        if (next.done) return;
        this.run = next.value;
        this.at = 0;
        continue;
      }
      const run = this.run;
      const from = this.at;
      const n = Math.min(need, run.length - from);
      this.at += n;
      need -= n;
      yield from === 0 && n === run.length ? run : { length: n, row: (i) => rowAt(run, from + i) };
    }
    if (!final) return;
    // Rows past the declared count: yielded, so that the part's count check names them.
    if (this.run && this.at < this.run.length) yield { length: this.run.length - this.at, row: () => [] };
    for (let next = await this.iterator.next(); !next.done; next = await this.iterator.next()) yield next.value;
  }
}

const SHARED_STRINGS = 'xl/sharedStrings.xml';

/** The workbook's shared-string table: exceljs's own strings (the headers) first, then every text cell's. */
class SharedStrings {
  private readonly index = new Map<string, number>();
  private readonly added: string[] = [];
  private readonly existing: number;
  private references = 0;

  constructor(private readonly layoutXml: string) {
    this.existing = (layoutXml.match(/<si>/g) ?? []).length;
  }

  /** One more cell showing string `index` (already in the table). */
  reference(index: number): number {
    this.references++;
    return index;
  }

  indexOf(text: string): number {
    this.references++;
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.existing + this.added.length;
      this.index.set(text, i);
      this.added.push(textElement(text));
    }
    return i;
  }

  xml(): string {
    const end = this.layoutXml.lastIndexOf('</sst>');
    const withCounts = this.layoutXml
      .slice(0, end)
      .replace(/ count="\d+"/, ` count="${this.existing + this.references}"`)
      .replace(/ uniqueCount="\d+"/, ` uniqueCount="${this.existing + this.added.length}"`);
    return `${withCounts}${this.added.map((t) => `<si>${t}</si>`).join('')}</sst>`;
  }
}

async function workbookLayout(tables: readonly AnyTable[], info: WorkbookInfo): Promise<Uint8Array> {
  // Loaded when the first workbook is written: in the app, exceljs is a chunk of its own, not in every worker's start.
  const { default: ExcelJS } = (await import('exceljs')) as { default: typeof ExcelJSModule };
  const workbook = new ExcelJS.Workbook();
  workbook.creator = info.creator;
  workbook.lastModifiedBy = info.creator;
  workbook.title = info.title;
  workbook.created = info.createdAt;
  workbook.modified = info.createdAt;
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
    sheet.columns = table.columns.map((column) => ({
      header: column.header,
      width: column.width,
      ...(NUMBER_FORMATS[column.kind] ? { style: { numFmt: NUMBER_FORMATS[column.kind] } } : {}),
    }));
    const header = sheet.getRow(1);
    header.font = { bold: true };
    header.eachCell((cell) => {
      cell.fill = HEADER_FILL;
    });
    sheet.autoFilter = `A1:${columnLetter(table.columns.length - 1)}${Math.max(1, rowCount(table) + 1)}`;
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** A sheet's rows as they come: one run (a table whose rows are at hand) or many (a streamed table). */
interface SheetRows {
  name: string;
  columns: Table['columns'];
  rowCount: number;
  runs: Iterable<Table['rows']> | AsyncIterable<RowSource>;
}

/**
 * The sheet with the table's data rows after the header row exceljs wrote, and its dimension widened to match. The
 * XML goes to its entry in slices of about a megabyte (compressed as it comes where the host streams).
 */
async function withRows(path: string, sheetXml: string, table: SheetRows, strings: SharedStrings, pacer: Pacer): Promise<PendingZipEntry> {
  const end = sheetXml.indexOf('</sheetData>');
  if (end < 0) throw new Error(`sheet "${table.name}": no <sheetData> in the layout`);
  const styles = columnStyleIds(sheetXml, table.columns.length);
  const lastCell = `${columnLetter(table.columns.length - 1)}${table.rowCount + 1}`;
  const entry = openZipEntry(path, { digest: false });
  const out = new ByteWriter(2 * SHEET_SLICE_BYTES);
  out.utf8(sheetXml.slice(0, end).replace(/<dimension ref="[^"]*"\/>/, `<dimension ref="A1:${lastCell}"/>`));
  // Rendered in slices: the sheets before this one compress meanwhile (see event-loop-pacer.ts).
  const seen = table.columns.map(() => new Map<CellValue, number>());
  let written = 0;
  for await (const rows of table.runs) {
    if (written + rows.length > table.rowCount)
      throw new Error(`sheet "${table.name}": more rows arrived than the ${table.rowCount} declared`);
    for (let from = 0; from < rows.length; from += ROWS_PER_SLICE) {
      renderRows(out, table.columns, rows, written, styles, strings, seen, from, Math.min(rows.length, from + ROWS_PER_SLICE));
      if (out.size >= SHEET_SLICE_BYTES) await entry.write(out.takeView());
      await pacer.pace();
    }
    written += rows.length;
  }
  if (written !== table.rowCount) throw new Error(`sheet "${table.name}": ${written} rows arrived, ${table.rowCount} were declared`);
  out.utf8(sheetXml.slice(end));
  await entry.write(out.takeView());
  return entry.close().entry;
}

const SHEET_SLICE_BYTES = 1 << 20;

/** The style id exceljs gave each column (<col min max style>), so data cells carry the column's number format. */
function columnStyleIds(sheetXml: string, count: number): Array<string | null> {
  const ids: Array<string | null> = new Array(count).fill(null);
  for (const match of sheetXml.matchAll(/<col min="(\d+)" max="(\d+)"[^>]*?style="(\d+)"/g)) {
    for (let c = Number(match[1]); c <= Number(match[2]) && c <= count; c++) ids[c - 1] = match[3]!;
  }
  return ids;
}

const ROWS_PER_SLICE = 256;
/** Values a column remembers with their shared-string index (bounded: a column of ids would hold every row). */
const SEEN_PER_COLUMN = 1 << 16;

/** Rows [from, to) of `rows`, the first of them the sheet's data row `before` + from (numbered after the header). */
function renderRows(
  out: ByteWriter,
  columns: Table['columns'],
  rows: Table['rows'],
  before: number,
  styles: Array<string | null>,
  strings: SharedStrings,
  seen: Map<CellValue, number>[],
  from: number,
  to: number,
): void {
  // Per column, the cell's opening up to the row number ('<c r="B') and what follows it (' s="3"').
  const opening = columns.map((_, c) => `<c r="${columnLetter(c)}`);
  const styled = styles.map((s) => (s ? `" s="${s}"` : '"'));
  // Per column, the last shared-string cell's value and index: neighbouring rows often repeat a value (an
  // identity's several grants, one reviewer's run), and then neither formula check nor lookup is needed again.
  const lastValue: CellValue[] = new Array(columns.length).fill(null);
  const lastIndex: number[] = new Array(columns.length).fill(0);
  for (let r = from; r < to; r++) {
    const rowNumber = before + r + 2;
    const row = rowAt(rows, r);
    out.ascii('<row r="');
    out.integer(rowNumber);
    out.ascii('">');
    for (let c = 0; c < columns.length; c++) {
      const value = row[c] ?? null;
      if (value === null || value === '') continue;
      const column = columns[c]!;
      out.ascii(opening[c]!);
      out.integer(rowNumber);
      const serial = excelSerial(value, column.kind);
      if (serial !== null) {
        out.ascii(styled[c]!);
        out.ascii('><v>');
        out.ascii(String(serial));
        out.ascii('</v></c>');
        continue;
      }
      if (column.distinct) {
        out.ascii('" t="inlineStr"><is>');
        out.utf8(textElement(cellText(value)));
        out.ascii('</is></c>');
        continue;
      }
      let index: number;
      if (value === lastValue[c]) index = strings.reference(lastIndex[c]!);
      else {
        // The column's own values first (a few kinds or names, against the table's every string): no formula
        // check and a smaller table to look in.
        const known = seen[c]!.get(value);
        if (known !== undefined) index = strings.reference(known);
        else {
          index = strings.indexOf(cellText(value));
          if (seen[c]!.size < SEEN_PER_COLUMN) seen[c]!.set(value, index);
        }
        lastValue[c] = value;
        lastIndex[c] = index;
      }
      out.ascii('" t="s"><v>');
      out.integer(index);
      out.ascii('</v></c>');
    }
    out.ascii('</row>');
  }
}

/** A text cell's content: formula-like text neutralised, booleans in words. */
function cellText(value: string | number | boolean | Date): string {
  return neutraliseFormula(typeof value === 'boolean' ? (value ? 'Yes' : 'No') : String(value));
}

const EXCEL_EPOCH_OFFSET_DAYS = 25569; // 1970-01-01 as an Excel (1900 date system) serial
const DAY_MS = 86_400_000;

/** The number a cell holds: a number, or a date as an Excel serial (days since 1900, UTC); null for text. */
function excelSerial(value: CellValue, kind: ColumnKind): number | null {
  if (value instanceof Date) return value.getTime() / DAY_MS + EXCEL_EPOCH_OFFSET_DAYS;
  if (typeof value === 'number') return Number.isFinite(value) && kind !== 'text' ? value : null;
  if (kind === 'date' && typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms / DAY_MS + EXCEL_EPOCH_OFFSET_DAYS;
  }
  return null;
}

// XML 1.0 cannot carry C0 control characters (item ids hold U+001F as their separator): each is shown as its
// Unicode control picture (U+001F → ␟), visible and unambiguous; lone surrogates and U+FFFE/U+FFFF become U+FFFD.
// A CR is kept as a character reference, which XML parsers do not turn into LF.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;
const UNREPRESENTABLE = /[\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text as a sheet shows it: control characters as control pictures. */
export function sheetText(value: string): string {
  return value.replace(CONTROL, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0))).replace(UNREPRESENTABLE, '\uFFFD');
}

function textElement(value: string): string {
  // Most cells need no change: one scan finds out, and only those that do go through the replacements.
  if (!NEEDS_WORK.test(value)) return `<t>${value}</t>`;
  const escaped = sheetText(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
  const preserve = /^\s|\s$|[\t\n]|&#13;/.test(escaped) ? ' xml:space="preserve"' : '';
  return `<t${preserve}>${escaped}</t>`;
}

// Anything textElement must change or mark: controls, tab/LF/CR, markup characters, surrogates, U+FFFE/U+FFFF,
// leading or trailing white space.
// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[\u0000-\u001F&<>\uD800-\uDFFF\uFFFE\uFFFF]|^\s|\s$/;

/** 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}
