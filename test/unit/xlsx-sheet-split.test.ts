// report.xlsx and every workbook the package writes: a sheet longer than Excel's row limit continues in
// "Name (2)", "Name (3)", … with its header; read back with exceljs, every row is there exactly once.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { EXCEL_MAX_ROWS, splitAtRowLimit, writeWorkbook, type RowSource, type Table } from '../../shared/codec';

const columns: Table['columns'] = [
  { header: 'Item', kind: 'text', width: 20, distinct: true },
  { header: 'Reviewer', kind: 'text', width: 20 },
  { header: 'Number', kind: 'integer', width: 10 },
];

function items(count: number): RowSource {
  return { length: count, row: (i) => [`item-${i}`, `reviewer-${i % 3}`, i] };
}

async function readBack(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

describe("sheets split at Excel's row limit", () => {
  it("the limit is Excel's: 1,048,576 rows, header included", () => {
    expect(EXCEL_MAX_ROWS).toBe(1_048_576);
    // A sheet of exactly that many rows (header + 1,048,575) stays one sheet; one row more makes two.
    const at = splitAtRowLimit([{ name: 'Decisions', columns, rows: items(EXCEL_MAX_ROWS - 1) }], EXCEL_MAX_ROWS);
    expect(at.map((t) => t.name)).toEqual(['Decisions']);
    const over = splitAtRowLimit([{ name: 'Decisions', columns, rows: items(EXCEL_MAX_ROWS) }], EXCEL_MAX_ROWS);
    expect(over.map((t) => t.name)).toEqual(['Decisions', 'Decisions (2)']);
    expect(over.map((t) => (t as Table).rows.length)).toEqual([EXCEL_MAX_ROWS - 1, 1]);
  });

  it('with a limit of 5 rows, 11 items become Items, Items (2), Items (3), each with its header, every row once and in order', async () => {
    const bytes = await writeWorkbook(
      [
        { name: 'Summary', columns: [{ header: 'Field', kind: 'text', width: 10 }], rowCount: 2, rows: Promise.resolve([['a'], ['b']]) },
        { name: 'Items', columns, rows: items(11) },
        { name: 'Policy', columns: [{ header: 'Setting', kind: 'text', width: 10 }], rows: [['x'], ['y'], ['z'], ['w']] },
      ],
      { title: 't', creator: 'test', createdAt: new Date(0), maxSheetRows: 5 },
    );
    const workbook = await readBack(bytes);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Summary', 'Items', 'Items (2)', 'Items (3)', 'Policy']);
    const seen: unknown[][] = [];
    for (const name of ['Items', 'Items (2)', 'Items (3)']) {
      const sheet = workbook.getWorksheet(name)!;
      expect(sheet.rowCount, name).toBeLessThanOrEqual(5);
      expect(sheet.getRow(1).values, name).toEqual([undefined, 'Item', 'Reviewer', 'Number']);
      sheet.eachRow((row, n) => {
        if (n > 1) seen.push((row.values as unknown[]).slice(1));
      });
    }
    expect(seen).toEqual(Array.from({ length: 11 }, (_, i) => [`item-${i}`, `reviewer-${i % 3}`, i]));
    // A table at the limit exactly (header + 4 rows) is not split.
    expect(workbook.getWorksheet('Policy')!.rowCount).toBe(5);
    expect(workbook.getWorksheet('Summary')!.getRow(3).values).toEqual([undefined, 'b']);
  });

  it("a continuation keeps the name within Excel's 31 characters", () => {
    const name = 'A sheet name of thirty-one char';
    expect(name).toHaveLength(31);
    const parts = splitAtRowLimit([{ name, columns, rows: items(25) }], 3);
    expect(parts).toHaveLength(13);
    expect(parts.every((p) => p.name.length <= 31)).toBe(true);
    expect(parts[12]!.name).toBe('A sheet name of thirty-one (13)');
    expect(new Set(parts.map((p) => p.name)).size).toBe(13);
  });

  it('a late table over the limit, or a limit without room for a row, is refused', () => {
    expect(() => splitAtRowLimit([{ name: 'Late', columns, rowCount: 9, rows: Promise.resolve([]) }], 5)).toThrow(
      /"Late": 9 rows declared/,
    );
    expect(() => splitAtRowLimit([], 1)).toThrow(/room for a header and a row/);
  });
});
