// Formula injection beyond the first character (issue #22): a field holding a semicolon or a tab is quoted (Excel in
// semicolon-separator locales splits an unquoted one into cells, the second starting with "="), and leading
// whitespace before = + - @ and the full-width ＝＋－＠ are neutralised like the ASCII forms, in CSV and XLSX alike.
// Through the whole package too: the verifier re-renders the CSV with the same writer, so the package stays valid.
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCertificationPackage, neutraliseFormula, verifyPackage } from '../../shared/package';
import { csvCell } from '../../shared/codec/csv-writer';
import { writeWorkbook } from '../../shared/codec/xlsx-writer';
import { sampleCertificationInput, signAuditEvents } from '../fixtures/packages/sample-campaign';
import { reviewerFor } from '../fixtures/packages/webcrypto-signer';
import { PEOPLE, sampleSigners, text } from '../fixtures/packages/package-kit';

const SEPARATED = ["x;=cmd|' /C calc'!A0;", 'a\t=1+1', 'ok;@SUM(1+1)'];
const HIDDEN_TRIGGERS = [
  ' =1+1',
  '  +1+1',
  '\u00a0-2+3',
  '\n@SUM(1)',
  '＝1+1',
  '＋1+1',
  '－2+3',
  '＠SUM(1)',
  ' ＝HYPERLINK("http://evil.example")',
];
/** What a spreadsheet would run: a cell whose first non-blank character is a formula trigger. */
const runnable = (cell: string) => /^[\s\u00a0]*[=+\-@＝＋－＠]/.test(cell);

describe('CSV cells', () => {
  it.each(SEPARATED)('%j is quoted, and what follows a separator cannot start a formula either', (value) => {
    const cell = csvCell(value);
    expect(cell).toMatch(/^".*"$/);
    // Read as a comma CSV: one field, the text with an apostrophe after each separator that needed one.
    const [field] = Papa.parse<string[]>(`${cell}\r\n`, { skipEmptyLines: true }).data[0]!;
    expect(field!.replace(/([;\t])'/g, '$1')).toBe(value);
    // Cut at semicolons or tabs after a leading unquoted field, as a semicolon-locale spreadsheet reads the line.
    for (const delimiter of [';', '\t']) {
      const cells = Papa.parse<string[]>(`id,${cell}\r\n`, { delimiter, skipEmptyLines: true }).data.flat();
      expect(cells.filter(runnable), delimiter).toEqual([]);
    }
  });

  it.each(HIDDEN_TRIGGERS)('%j (whitespace or full-width before the trigger) gets the apostrophe', (value) => {
    expect(neutraliseFormula(value)).toBe(`'${value}`);
    const back = Papa.parse<string[]>(`${csvCell(value)}\r\n`, { skipEmptyLines: false }).data[0]!;
    // A line break is a separator too: what follows it is neutralised as well.
    expect(back).toEqual([`'${value.replace(/\n/, "\n'")}`]);
  });

  it('text with a trigger later on, or blank text, is left as it was', () => {
    for (const safe of ['a=b', 'x ＝ y', '   ', '', 'alice@example.com']) expect(neutraliseFormula(safe)).toBe(safe);
  });
});

describe('XLSX cells', () => {
  it('whitespace-led and full-width triggers are neutralised in shared and inline strings', async () => {
    const bytes = await writeWorkbook(
      [
        {
          name: 'Cells',
          columns: [
            { header: 'Shared', kind: 'text', width: 20 },
            { header: 'Inline', kind: 'text', width: 20, distinct: true },
          ],
          rows: HIDDEN_TRIGGERS.map((v) => [v, v]),
        },
      ],
      { title: 't', creator: 'test', createdAt: new Date(0) },
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Cells')!;
    HIDDEN_TRIGGERS.forEach((v, i) => expect(sheet.getRow(i + 2).values).toEqual([undefined, `'${v}`, `'${v}`]));
  });
});

describe('through the whole package', () => {
  let files: Record<string, Uint8Array>;
  let valid: string;
  beforeAll(async () => {
    const signers = await sampleSigners();
    const payloads = [...SEPARATED, ...HIDDEN_TRIGGERS];
    const input = sampleCertificationInput(
      signers.map((s, i) => reviewerFor(s, PEOPLE[i]!)),
      { items: payloads.length, seed: 6 },
    );
    payloads.forEach((p, k) => {
      const item = input.items[k]!;
      item.identity.displayName = p;
      item.target!.name = p;
    });
    // Each decision signed by its reviewer, as the app records it.
    const built = await buildCertificationPackage(await signAuditEvents(input, signers), signers);
    files = built.files;
    valid = (await verifyPackage(built.bytes)).verdict;
  });

  it('verifies (the verifier renders the CSV with the same writer)', () => expect(valid).toBe('valid'));

  it.each(['decisions.csv', 'remediation.csv'])('%s read with a semicolon separator: no cell a spreadsheet would run', (name) => {
    const csv = text(files[name]!);
    for (const delimiter of [';', '\t', ',']) {
      const cells = Papa.parse<string[]>(csv, { delimiter, skipEmptyLines: true }).data.flat();
      expect(cells.filter(runnable), `${name} split on ${JSON.stringify(delimiter)}`).toEqual([]);
    }
  });
});
