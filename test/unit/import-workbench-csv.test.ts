import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles, type ImportFile } from '../../shared/import';
import { sha256Hex } from '../../shared/codec/digest';

const dir = resolve(__dirname, '../fixtures/workbench-csv');
const fixture = (): ImportFile[] => readdirSync(dir).map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) }));
const file = (name: string, text: string): ImportFile => ({ name, bytes: new TextEncoder().encode(text) });
const header = {
  identities: 'id,displayName,email,type,status,department,title,managerId,ownerId,createdAt',
  entitlements: 'id,name,application,privilege,description,ownerId',
  assignments: 'identityId,entitlementId,grantedAt,lastUsedAt,source',
};

describe('workbench CSV v1', () => {
  it('imports the sample with counts derived from the raw files and keeps evidence', () => {
    const files = fixture();
    // Independent count: non-empty lines minus the header (the sample has no quoted newlines).
    const lines = (name: string) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter((l) => l.trim()).length - 1;
    const outcome = importFiles(files);
    expect(outcome.refused).toEqual([]);
    expect(outcome.data.identities).toHaveLength(lines('identities.csv'));
    expect(outcome.data.entitlements).toHaveLength(lines('entitlements.csv'));
    expect(outcome.data.assignments).toHaveLength(lines('assignments.csv'));
    expect(outcome.data.credentials).toHaveLength(lines('credentials.csv'));
    expect(outcome.data.identities.find((i) => i.id === 'u1006')?.displayName).toBe("O'Brien, Kate");
    const evidence = outcome.sources.find((s) => s.file === 'assignments.csv')!;
    expect(evidence.sha256).toBe(sha256Hex(files.find((f) => f.name === 'assignments.csv')!.bytes));
    expect(evidence).toMatchObject({ format: 'workbench-csv', formatVersion: '1', rowsRejected: 0 });
  });

  it('reports bad rows with file, line and field, and keeps the good ones', () => {
    const outcome = importFiles([
      file(
        'identities.csv',
        `${header.identities}\nu1,Ann,,human,active,,,,,2024-01-01\nu2,Bob,,robot,active,,,,,\nu3,"Multi\nline",,human,gone,,,,,`,
      ),
      file('entitlements.csv', `${header.entitlements}\ne1,E1,App,high,,\n`),
      file('assignments.csv', `${header.assignments}\nu1,e1,2024-01-01,yesterday,\nu9,e1,,,\nu1,e1,2024-01-01,,\n`),
    ]);
    const errors = outcome.files.flatMap((f) => f.errors);
    expect(errors).toContainEqual(expect.objectContaining({ file: 'identities.csv', line: 3, field: 'type' }));
    // A quoted newline makes the row start on line 4 and end on line 5: the error names the start.
    expect(errors).toContainEqual(expect.objectContaining({ file: 'identities.csv', line: 4, field: 'status' }));
    expect(errors).toContainEqual(
      expect.objectContaining({ file: 'assignments.csv', line: 2, field: 'lastUsedAt', message: expect.stringContaining('ISO 8601') }),
    );
    expect(errors).toContainEqual(expect.objectContaining({ file: 'assignments.csv', line: 3, field: 'identityId' }));
    expect(outcome.data.identities.map((i) => i.id)).toEqual(['u1']);
    expect(outcome.data.assignments).toHaveLength(1);
  });

  it('refuses a file that is not identity data, and a header missing required columns', () => {
    const outcome = importFiles([file('notes.txt', 'hello world'), file('identities.csv', 'id,name\n1,x\n')]);
    expect(outcome.refused.map((r) => r.file).sort()).toEqual(['identities.csv', 'notes.txt']);
    expect(outcome.refused.find((r) => r.file === 'notes.txt')!.message).toMatch(/not a known identity-data format/);
  });

  it('reads UTF-8 with BOM and UTF-16 LE', () => {
    const text = `${header.identities}\nu1,Zoë,,human,active,,,,,\n`;
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    const u16 = new Uint8Array(2 + text.length * 2);
    u16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      u16[2 + i * 2] = text.charCodeAt(i) & 0xff;
      u16[3 + i * 2] = text.charCodeAt(i) >> 8;
    }
    for (const bytes of [bom, u16]) {
      const outcome = importFiles([{ name: 'identities.csv', bytes }]);
      expect(outcome.data.identities[0]?.displayName).toBe('Zoë');
    }
  });
});
