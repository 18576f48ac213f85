// Generic tables through a column mapping: delimiter/quote sniffing, header, suggestions, preview, presets,
// one-row-per-membership exports, errors with line and column, XLSX worksheets.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { decodeFile, importFiles } from '../../shared/import';
import {
  applyMapping,
  findPreset,
  headerSignature,
  mappedEvidence,
  mappedFormat,
  presetFor,
  previewMapping,
  readDate,
  readTable,
  suggestMapping,
  type ColumnMapping,
} from '../../shared/import';
import { readXlsx } from '../../shared/import/xlsx-table';

const membership = [
  'User Name;Email;Group;Last Login;Status',
  'ann;ann@x.com;Admins;2026-01-02;enabled',
  'ann;ann@x.com;"Staff; all";2026-01-02;enabled',
  'svc-backup;;Backup Operators;;disabled',
  'bob;bob@x.com;Staff; all;01/31/2026;enabled',
  '',
].join('\r\n');

describe('column mapping', () => {
  it('sniffs the delimiter and quotes, reads the header and keeps line numbers', () => {
    const t = readTable({ name: 'm.csv', text: membership });
    expect(t.delimiter).toBe(';');
    expect(t.header).toEqual(['User Name', 'Email', 'Group', 'Last Login', 'Status']);
    expect(t.rows[1]![2]).toBe('Staff; all');
    expect(t.lines).toEqual([2, 3, 4, 5]);
  });

  it('reads TSV, a BOM and UTF-16 through decodeFile, and quoted newlines', () => {
    const text = '\uFEFFuser\tgroup\tnote\nann\tAdmins\t"two\nlines"\nbob\tStaff\tx\n';
    const bytes = new Uint8Array([0xff, 0xfe, ...Array.from(text.slice(1)).flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])]);
    const t = readTable(decodeFile({ name: 't.tsv', bytes }));
    expect(t.delimiter).toBe('\t');
    expect(t.header).toEqual(['user', 'group', 'note']);
    expect(t.rows).toHaveLength(2);
    expect(t.rows[0]![2]).toBe('two\nlines');
    expect(t.lines).toEqual([2, 4]);
  });

  it('suggests fields from common header names', () => {
    expect(suggestMapping(['User Name', 'Email', 'Group', 'Last Login', 'Status']).columns).toEqual({
      identityId: 'User Name',
      email: 'Email',
      entitlementName: 'Group',
      lastLoginAt: 'Last Login',
      status: 'Status',
    });
    const m = suggestMapping([
      'sAMAccountName',
      'displayName',
      'employeeID',
      'memberOf',
      'lastLogonTimestamp',
      'Application',
      'Last Used',
    ]).columns;
    expect(m).toMatchObject({
      identityId: 'sAMAccountName',
      displayName: 'displayName',
      employeeId: 'employeeID',
      entitlementName: 'memberOf',
      lastLoginAt: 'lastLogonTimestamp',
      application: 'Application',
      lastUsedAt: 'Last Used',
    });
  });

  it('stores one-row-per-membership exports: one identity per user, one entitlement per group, one assignment per row', () => {
    const t = readTable({ name: 'members.csv', text: membership });
    const mapping: ColumnMapping = { ...suggestMapping(t.header), defaults: { application: 'Payroll' } };
    const batch = applyMapping(t, mapping);
    expect(batch.files[0]).toMatchObject({ rowsRead: 4, rowsRejected: 1 });
    // Row 5 has an unquoted ";" in the group: 6 fields instead of 5, rejected with its line.
    expect(batch.files[0]!.errors[0]).toMatchObject({ line: 5, message: 'expected 5 fields, found 6' });
    expect(batch.data.identities.map((i) => i.id)).toEqual(['members:ann', 'members:svc-backup']);
    expect(batch.data.identities[0]).toMatchObject({ login: 'ann', email: 'ann@x.com' });
    expect(batch.data.identities[1]).toMatchObject({ status: 'disabled', type: 'service' });
    expect(batch.data.identities[0]!.lastLoginAt).toBe('2026-01-02T00:00:00.000Z');
    expect(batch.data.entitlements.map((e) => e.id)).toEqual(['Payroll:Admins', 'Payroll:Staff; all', 'Payroll:Backup Operators']);
    expect(batch.data.assignments).toHaveLength(3);
    // No usage column: usage is unknown, not "never used".
    expect(batch.data.assignments.every((a) => a.usageKnown === false)).toBe(true);
  });

  it('with a usage column, an empty cell means never used (usage known)', () => {
    const t = readTable({ name: 'u.csv', text: 'user,role,last used\nann,admin,2026-02-01\nbob,admin,\n' });
    const batch = applyMapping(t, suggestMapping(t.header));
    expect(batch.data.assignments).toEqual([
      { identityId: 'u:ann', entitlementId: 'u:admin', lastUsedAt: '2026-02-01T00:00:00.000Z', source: 'u.csv' },
      { identityId: 'u:bob', entitlementId: 'u:admin', source: 'u.csv' },
    ]);
  });

  it('previews the first rows as they will be stored, with field errors naming line and column', () => {
    const t = readTable({
      name: 'p.csv',
      text: 'user,group,created,privilege\nann,g1,2026-13-45,high\nbob,g2,2025-05-05,extreme\ncid,g3,2025-05-05,low\n',
    });
    const mapping = suggestMapping(t.header);
    mapping.columns.privilege = 'privilege';
    mapping.columns.createdAt = 'created';
    const preview = previewMapping(t, mapping, 2);
    expect(preview).toHaveLength(2);
    expect(preview[0]!.errors[0]).toMatchObject({ file: 'p.csv', line: 2, column: 3, field: 'created' });
    expect(preview[0]!.errors[0]!.message).toMatch(/is not a date/);
    expect(preview[1]!.errors[0]).toMatchObject({ line: 3, column: 4, field: 'privilege' });
    const stored = applyMapping(t, mapping);
    expect(stored.data.identities.map((i) => i.id)).toEqual(['p:cid']);
    expect(stored.data.entitlements[0]).toMatchObject({ privilege: 'low', privilegeReason: 'column "privilege" says "low"' });
    expect(previewMapping(t, mapping, 5)[2]).toMatchObject({
      line: 4,
      identity: { id: 'p:cid', login: 'cid' },
      assignment: { identityId: 'p:cid', entitlementId: 'p:g3' },
    });
  });

  it('refuses a mapping without an identity column, or naming a column the file does not have', () => {
    const t = readTable({ name: 'x.csv', text: 'a,b\n1,2\n' });
    expect(applyMapping(t, { columns: { entitlementName: 'b' } }).files[0]!.fatal?.message).toMatch(/at least one identity column/);
    expect(applyMapping(t, { columns: { identityId: 'user' } }).files[0]!.fatal?.message).toMatch(/not in this header: user/);
  });

  it('offers a saved preset for a file with the same header (order, case and spacing aside)', () => {
    const mapping = suggestMapping(['User Name', 'Group']);
    const preset = presetFor('HR groups', ['User Name', 'Group'], mapping);
    expect(findPreset(['group', 'user_name'], [preset])?.name).toBe('HR groups');
    expect(findPreset(['group', 'user', 'extra'], [preset])).toBeUndefined();
    expect(headerSignature(['A b', 'C'])).toBe(headerSignature(['c', 'a_B']));
  });

  it('reads dates as exported by spreadsheets', () => {
    expect(readDate('2026-03-01')).toBe('2026-03-01T00:00:00.000Z');
    expect(readDate('03/01/2026')).toBe('2026-03-01T00:00:00.000Z');
    expect(readDate('01/03/2026', 'dmy')).toBe('2026-03-01T00:00:00.000Z');
    expect(readDate('01.03.2026')).toBe('2026-03-01T00:00:00.000Z');
    expect(readDate('never')).toBeUndefined();
    expect(readDate('31/31/2026')).toBeNull();
  });

  it('reads every worksheet of an XLSX workbook', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Members');
    ws.addRow(['Login', 'Role', 'Granted']);
    ws.addRow(['ann', 'Approver', new Date(Date.UTC(2025, 0, 2))]);
    ws.addRow(['bob', 'Viewer', new Date(Date.UTC(2025, 1, 3))]);
    wb.addWorksheet('Notes').addRow(['nothing here']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const sheets = await readXlsx('roles.xlsx', bytes);
    expect(sheets.map((s) => s.sheet)).toEqual(['Members', 'Notes']);
    const members = sheets[0]!;
    expect(members.header).toEqual(['Login', 'Role', 'Granted']);
    expect(members.lines).toEqual([2, 3]);
    const batch = applyMapping(members, suggestMapping(members.header));
    expect(batch.files[0]!.file).toBe('roles.xlsx [Members]');
    expect(batch.data.assignments[0]).toMatchObject({ identityId: 'roles:ann', grantedAt: '2025-01-02T00:00:00.000Z' });
  });

  it('imports CSV files matching a saved preset through importFiles, with evidence and correlation', () => {
    const header = ['Login', 'Email', 'Role'];
    const preset = presetFor('App roles', header, suggestMapping(header));
    const okta = JSON.stringify([{ id: '00u1', status: 'ACTIVE', profile: { login: 'ann@x.com', email: 'ann@x.com' } }]);
    const enc = new TextEncoder();
    const out = importFiles(
      [
        { name: 'app-roles.csv', bytes: enc.encode('login,EMAIL,role\nann,ann@x.com,Approver\n') },
        { name: 'okta.json', bytes: enc.encode(okta) },
      ],
      { formats: [mappedFormat(preset)] },
    );
    expect(out.refused).toEqual([]);
    expect(out.sources.find((s) => s.file === 'app-roles.csv')).toMatchObject({
      format: 'mapped-table',
      formatReason: 'header matches the saved column mapping "App roles"',
      rowsStored: 1,
    });
    expect(out.data.identities).toHaveLength(1);
    expect(out.correlation.merged[0]!.reason).toMatch(/^email "ann@x.com"/);
    expect(out.data.assignments[0]!.identityId).toBe(out.data.identities[0]!.id);
    const table = readTable({ name: 'app-roles.csv', text: 'Login,Email,Role\nann,ann@x.com,Approver\n' });
    const batch = applyMapping(table, preset.mapping);
    expect(
      mappedEvidence({ name: 'app-roles.csv', size: 10, sha256: 'ab' }, table, preset, batch, '2026-01-01T00:00:00.000Z'),
    ).toMatchObject({ format: 'mapped-table', rowsRead: 1, rowsStored: 1, rowsRejected: 0 });
  });
});
