// report.xlsx as a person opens it: the eight sheets, a frozen header row with filters, column widths, dates as
// real dates, numbers as numbers, read back with exceljs.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isOverridden } from '../../shared/package';
import { samplePackage, type SamplePackage } from '../fixtures/packages/package-kit';

const SHEETS = [
  'Summary',
  'Decisions',
  'Overrides',
  'Revocations and rotations',
  'High-risk approvals',
  'Reviewer metrics',
  'Sources',
  'Policy',
];

let sample: SamplePackage;
let workbook: ExcelJS.Workbook;

beforeAll(async () => {
  sample = await samplePackage({ items: 60, seed: 17 });
  workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(sample.built.files['report.xlsx']! as unknown as ArrayBuffer);
});

const sheet = (name: string) => workbook.getWorksheet(name)!;
const header = (name: string) => (sheet(name).getRow(1).values as unknown[]).slice(1);
const column = (name: string, title: string) => {
  const index = header(name).indexOf(title) + 1;
  expect(index, `${name}: column ${title}`).toBeGreaterThan(0);
  return sheet(name).getColumn(index);
};

describe('report.xlsx', () => {
  it('has the eight sheets in order', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual(SHEETS);
  });

  it.each(SHEETS)('%s: frozen bold header, autofilter over every row, set column widths', (name) => {
    const s = sheet(name);
    expect(s.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(s.getRow(1).font?.bold).toBe(true);
    const lastColumn = String.fromCharCode(64 + header(name).length);
    expect(s.autoFilter).toBe(`A1:${lastColumn}${Math.max(1, s.rowCount)}`);
    expect(s.columns.every((c) => typeof c.width === 'number' && c.width >= 8)).toBe(true);
  });

  it('Decisions: one row per item; dates are dates, confidence a number, acceptance Yes/No', () => {
    expect(sheet('Decisions').rowCount).toBe(61);
    const decided = column('Decisions', 'Decided at (UTC)').values.slice(2);
    expect(decided.every((v) => v instanceof Date)).toBe(true);
    expect((decided[0] as Date).toISOString()).toBe(sample.input.items[0]!.decision!.at);
    expect(column('Decisions', 'Decided at (UTC)').numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(
      column('Decisions', 'Suggestion confidence')
        .values.slice(2)
        .filter((v) => v !== undefined)
        .every((v) => typeof v === 'number'),
    ).toBe(true);
    expect(new Set(column('Decisions', 'Accepted suggestion').values.slice(2))).toEqual(new Set(['Yes', 'No']));
    expect(header('Decisions')).toEqual(expect.arrayContaining(['Suggested action', 'Decision', 'Reviewer', 'Rationale', 'Approver']));
  });

  it('Overrides: exactly the overridden items, each with its rationale', () => {
    const report = sample.built.manifest.predicate;
    expect(sheet('Overrides').rowCount - 1).toBe(report.counts.overridden);
    const overridden = sample.input.items.filter((i) => isOverridden({ ...i, suggestion: i.suggestion }));
    // Item ids hold U+001F, which XML cannot carry: the sheet shows it as the control picture ␟.
    expect(column('Overrides', 'Item').values.slice(2)).toEqual(overridden.map((i) => i.itemId.replace('\u001f', '\u241f')));
    expect(
      column('Overrides', 'Rationale')
        .values.slice(2)
        .every((v) => typeof v === 'string' && v.length > 10),
    ).toBe(true);
  });

  it('High-risk approvals: step-up items show their approver and approval time', () => {
    const status = column('High-risk approvals', 'Approval').values.slice(2);
    expect(status).toContain('approved');
    expect(
      column('High-risk approvals', 'Approved at (UTC)')
        .values.slice(2)
        .filter(Boolean)
        .every((v) => v instanceof Date),
    ).toBe(true);
  });

  it('Reviewer metrics: acceptance rate as a percentage, seconds per decision', () => {
    expect(column('Reviewer metrics', 'Reviewer').values.slice(2)).toEqual(['Alice Reviewer', 'Bob Approver']);
    expect(column('Reviewer metrics', 'Acceptance rate').numFmt).toBe('0%');
    const rates = column('Reviewer metrics', 'Acceptance rate').values.slice(2) as number[];
    expect(rates.every((r) => r > 0 && r <= 1)).toBe(true);
    expect((column('Reviewer metrics', 'Median seconds per decision').values.slice(2) as number[]).every((s) => s > 0)).toBe(true);
  });

  it('Summary, Sources and Policy carry the evidence', () => {
    const fields = column('Summary', 'Field').values.slice(2);
    expect(fields).toEqual(
      expect.arrayContaining([
        'Campaign',
        'Items',
        'Decided',
        'Overridden',
        'Step-up approved',
        'Open',
        'Policy digest',
        'Audit-chain head',
        'Signed by',
      ]),
    );
    const items = sheet('Summary')
      .getRow(fields.indexOf('Items') + 2)
      .getCell(2).value;
    expect(items).toBe(60);
    expect(
      sheet('Summary')
        .getRow(fields.indexOf('Campaign created') + 2)
        .getCell(3).value,
    ).toBeInstanceOf(Date);
    expect(sheet('Sources').rowCount).toBe(4);
    expect(
      column('Sources', 'Imported at (UTC)')
        .values.slice(2)
        .every((v) => v instanceof Date),
    ).toBe(true);
    expect(sheet('Policy').getRow(2).values).toEqual([undefined, '(digest)', sample.input.policy.digest]);
    expect(column('Policy', 'Setting').values).toContain('unusedAccess.windowDays');
  });
});
