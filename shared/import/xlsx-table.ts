// XLSX workbooks for the column-mapping step, read with exceljs. Kept apart from mapping.ts so that exceljs loads
// only when a workbook is mapped (a lazy chunk in the app), and guarded: a workbook is a ZIP archive, and a small
// one can inflate to gigabytes (a zip bomb), so its entries are inflated first under a cap and exceljs sees only
// a workbook known to fit.
import ExcelJS from 'exceljs';
import { readPackageArchive } from '../codec';
import type { TableSheet } from './mapping-table';

const MiB = 1024 * 1024;

/** What a workbook may hold, inflated: far beyond a table a person maps, far below what would exhaust a tab. */
export const XLSX_LIMITS = {
  maxEntries: 2000,
  maxTotalBytes: 256 * MiB,
  maxEntryBytes: 256 * MiB,
  maxCompressionRatio: 1000,
  ratioFloorBytes: 1 * MiB,
};

export class WorkbookTooLarge extends Error {}

/**
 * Refuses a workbook that would inflate past XLSX_LIMITS, naming the file and the limit; every entry is inflated
 * (stopping as soon as one yields more than it declared), so a workbook that lies about its sizes is caught too.
 */
export async function checkWorkbookSize(name: string, bytes: Uint8Array): Promise<void> {
  const read = await readPackageArchive(bytes, XLSX_LIMITS);
  if (read.ok) return;
  if (!read.isZip) throw new WorkbookTooLarge(`${name} is not an XLSX workbook (not a ZIP archive)`);
  // The workbook's totals first, then its entries.
  const problems = [...read.problems.filter((p) => !p.startsWith('entry ')), ...read.problems.filter((p) => p.startsWith('entry '))];
  throw new WorkbookTooLarge(
    `${name} is refused: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}. A workbook for the mapping step may hold at most ${XLSX_LIMITS.maxTotalBytes / MiB} MiB uncompressed in ${XLSX_LIMITS.maxEntries.toLocaleString('en-US')} parts; save the sheet as CSV instead.`,
  );
}

/** Every worksheet of an XLSX workbook as a table (first non-empty row = header), after checkWorkbookSize. */
export async function readXlsx(name: string, bytes: Uint8Array): Promise<TableSheet[]> {
  await checkWorkbookSize(name, bytes);
  const wb = new ExcelJS.Workbook();
  const copy = bytes.slice().buffer as ArrayBuffer;
  await wb.xlsx.load(copy);
  const out: TableSheet[] = [];
  for (const ws of wb.worksheets) {
    const rows: string[][] = [];
    const lines: number[] = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const values: string[] = [];
      for (let c = 1; c <= row.cellCount; c++) values.push(cellText(row.getCell(c).value));
      rows.push(values);
      lines.push(rowNumber);
    });
    const header = (rows.shift() ?? []).map((h) => h.trim());
    lines.shift();
    const width = header.length;
    for (const r of rows) while (r.length < width) r.push('');
    out.push({ file: name, sheet: ws.name, header, rows, lines, errors: [] });
  }
  return out;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
    return '';
  }
  return String(v);
}
