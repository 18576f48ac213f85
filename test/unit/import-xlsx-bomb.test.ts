// XLSX zip bombs in the column-mapping step (issue #22): a workbook is a ZIP archive; before exceljs reads it, its
// entries are checked and inflated under a cap (XLSX_LIMITS), and a workbook over it is refused at once with a
// message naming the file and the limit, instead of inflating gigabytes on the UI thread.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { XLSX_LIMITS, readXlsx } from '../../shared/import/xlsx-table';
import { entriesOf, rawZip, type RawEntry } from '../fixtures/packages/package-kit';

async function workbook(): Promise<RawEntry[]> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Members');
  ws.addRow(['Login', 'Role']);
  ws.addRow(['ann', 'Approver']);
  return (await entriesOf(new Uint8Array(await wb.xlsx.writeBuffer()))).map((e) => ({ name: e.name, data: e.bytes }));
}

async function refusal(entries: RawEntry[]): Promise<string> {
  const started = Date.now();
  const error = await readXlsx('bomb.xlsx', rawZip(entries)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(Date.now() - started).toBeLessThan(5000);
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
}

describe('readXlsx refuses a zip bomb before exceljs inflates it', () => {
  it('an honest workbook still reads', async () => {
    const sheets = await readXlsx('roles.xlsx', rawZip(await workbook()));
    expect(sheets[0]).toMatchObject({ sheet: 'Members', header: ['Login', 'Role'], rows: [['ann', 'Approver']] });
  });

  it('an entry declaring more than the cap: refused, naming the file, the entry and the limit', async () => {
    const message = await refusal([
      ...(await workbook()),
      { name: 'xl/worksheets/sheet2.xml', data: new Uint8Array(1000), declaredSize: 300 * 1024 * 1024 },
    ]);
    expect(message).toMatch(
      /^bomb\.xlsx is refused: .*entry "xl\/worksheets\/sheet2\.xml" declares 300(\.0)? MiB; the limit is 256(\.0)? MiB per entry/,
    );
    expect(message).toMatch(/A workbook for the mapping step may hold at most 256 MiB uncompressed in 2,000 parts/);
  });

  it('an entry that inflates past what it declares (a lying bomb): refused once it yields more', async () => {
    const message = await refusal([
      ...(await workbook()),
      { name: 'xl/sharedStrings.xml', data: new Uint8Array(4 * 1024 * 1024), declaredSize: 1000 },
    ]);
    expect(message).toMatch(/^bomb\.xlsx is refused: .*xl\/sharedStrings\.xml/);
  });

  it('entries that together declare more than the cap', async () => {
    const parts = Array.from({ length: 3 }, (_, i) => ({
      name: `xl/media/image${i}.bin`,
      data: new Uint8Array(10),
      declaredSize: 100 * 1024 * 1024,
    }));
    expect(await refusal([...(await workbook()), ...parts])).toMatch(/declare 300(\.0)? MiB in all; the limit is 256(\.0)? MiB/);
  });

  it('more entries than the cap', async () => {
    const many = Array.from({ length: XLSX_LIMITS.maxEntries + 1 }, (_, i) => ({
      name: `xl/media/p${i}.bin`,
      data: new Uint8Array(1),
      method: 0 as const,
    }));
    expect(await refusal([...(await workbook()), ...many])).toMatch(/at most 2000 are accepted/);
  });
});
