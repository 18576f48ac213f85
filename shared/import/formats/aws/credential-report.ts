// The AWS IAM credential report: the CSV, or the GetCredentialReport JSON with the CSV in its Content.
import { base64 } from '@scure/base';
import type { Credential } from '../../../model';
import { classifyAwsUser } from '../../classify';
import { CsvReader } from '../../csv-table';
import { baseName } from '../../decode';
import type { DecodedFile, StreamedFile } from '../../types';
import { defineFormat, isObject, toInstant, unwrapResponse, type FileLog, type SnapshotBuilder } from '../common';

export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
];
const REPORT_HEAD = 'user,arn,user_creation_time,password_enabled';
const SENTINELS = new Set(['n/a', 'no_information', 'not_supported', '']);

function reportCsvOf(file: DecodedFile): { csv: string; where: string } | null {
  const t = file.text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith(REPORT_HEAD)) return { csv: t, where: 'line' };
  const body = unwrapResponse(file.json);
  if (isObject(body) && typeof body['Content'] === 'string') {
    const content = body['Content'].trim();
    if (content.startsWith(REPORT_HEAD)) return { csv: content, where: 'line of the report in Content' };
    try {
      const decoded = new TextDecoder('utf-8').decode(base64.decode(content.replace(/\s+/g, '')));
      if (decoded.trimStart().startsWith(REPORT_HEAD))
        return { csv: decoded.trimStart(), where: 'line of the base64-decoded report in Content' };
    } catch {
      return null;
    }
  }
  return null;
}

function parseCredentialReport(file: DecodedFile, b: SnapshotBuilder, log: FileLog): void {
  const found = reportCsvOf(file);
  if (!found) {
    log.fatal(
      'expected an AWS IAM credential report (CSV with header user,arn,user_creation_time,... or a JSON object whose Content holds it)',
    );
    return;
  }
  const reader = reportReader(file.name, found.where, b, log);
  reader.push(found.csv);
  reader.end();
}

/** A large report CSV read in chunks (JSON responses are always read whole and go through parseCredentialReport). */
async function parseCredentialReportStream(file: StreamedFile, b: SnapshotBuilder, log: FileLog): Promise<void> {
  if (
    file.json !== undefined ||
    !file.text
      .replace(/^\uFEFF/, '')
      .trimStart()
      .startsWith(REPORT_HEAD)
  )
    return parseCredentialReport(file, b, log);
  const reader = reportReader(file.name, 'line', b, log);
  // The report starts at its header: what precedes it (BOM, blank lines) is dropped, as reportCsvOf trims it.
  let start = true;
  for await (let chunk of file.chunks()) {
    if (start) {
      chunk = chunk.replace(/^\uFEFF/, '').trimStart();
      if (!chunk) continue;
      start = false;
    }
    reader.push(chunk);
  }
  reader.end();
}

/** The report's rows as they come: checked, then stored as an identity with its credentials. */
function reportReader(fileName: string, where: string, b: SnapshotBuilder, log: FileLog): { push(chunk: string): void; end(): void } {
  const source = baseName(fileName);
  const seenArns = new Map<string, number>();
  const syntax: { line: number; message: string }[] = [];
  let header: string[] | null = null;
  let col = new Map<string, number>();
  let failed = false;
  const firstError = log.outcome.errors.length;
  const takeRow = (row: string[], line: number) => {
    if (!header) {
      header = row.map((h) => h.trim());
      const missing = CREDENTIAL_REPORT_COLUMNS.slice(0, 4).filter((c) => !header!.includes(c));
      if (missing.length) {
        log.fatal(`credential report header lacks ${missing.join(', ')}`, 1);
        failed = true;
      }
      col = new Map(header.map((h, i) => [h, i] as const));
      return;
    }
    if (failed) return;
    log.row();
    const raw = (c: string) => (row[col.get(c) ?? -1] ?? '').trim();
    const problems: { field: string; message: string }[] = [];
    const date = (c: string): string | undefined => {
      const v = raw(c);
      if (SENTINELS.has(v.toLowerCase())) return undefined;
      const d = toInstant(v);
      if (!d) problems.push({ field: c, message: `${c} "${v}" is not a date (expected ISO 8601, N/A, no_information or not_supported)` });
      return d;
    };
    const bool = (c: string): boolean | undefined => {
      const v = raw(c).toLowerCase();
      if (v === 'true') return true;
      if (v === 'false') return false;
      if (SENTINELS.has(v)) return undefined;
      problems.push({ field: c, message: `${c} "${raw(c)}" is not true or false` });
      return undefined;
    };
    if (row.length !== header.length) {
      log.reject(line, `expected ${header.length} fields, found ${row.length} (${where} ${line})`);
      return;
    }
    const user = raw('user');
    const arn = raw('arn');
    if (!user || !arn.startsWith('arn:')) {
      log.reject(line, !user ? 'user is required' : `arn "${arn}" is not an ARN`, !user ? 'user' : 'arn');
      return;
    }
    const firstLine = seenArns.get(arn);
    if (firstLine !== undefined) {
      log.reject(line, `second row for ${arn} (first on ${where} ${firstLine}); this row is not stored`, 'arn');
      return;
    }
    seenArns.set(arn, line);
    const root = user === '<root_account>';
    const account = arn.split(':')[4] ?? '';
    const passwordEnabled = bool('password_enabled');
    const creds: Credential[] = [];
    if (passwordEnabled) {
      creds.push({
        identityId: arn,
        credentialId: 'console-password',
        kind: 'password',
        lastRotatedAt: date('password_last_changed'),
        lastUsedAt: date('password_last_used'),
        expiresAt: date('password_next_rotation'),
        active: true,
        source,
      });
    }
    let activeKeys = 0;
    for (const n of [1, 2]) {
      const active = bool(`access_key_${n}_active`);
      const rotated = date(`access_key_${n}_last_rotated`);
      const used = date(`access_key_${n}_last_used_date`);
      if (active || rotated) {
        if (active) activeKeys++;
        creds.push({
          identityId: arn,
          credentialId: `access-key-${n}`,
          kind: 'access-key',
          createdAt: rotated,
          lastRotatedAt: rotated,
          lastUsedAt: used,
          active: active === true,
          source,
        });
      }
    }
    for (const n of [1, 2]) {
      const active = bool(`cert_${n}_active`);
      const rotated = date(`cert_${n}_last_rotated`);
      if (active || rotated)
        creds.push({
          identityId: arn,
          credentialId: `certificate-${n}`,
          kind: 'certificate',
          createdAt: rotated,
          lastRotatedAt: rotated,
          active: active === true,
          source,
        });
    }
    const createdAt = date('user_creation_time');
    const passwordLastUsedAt = date('password_last_used');
    const mfa = col.has('mfa_active') ? bool('mfa_active') : undefined;
    if (problems.length) {
      log.reject(line, problems.map((p) => p.message).join('; '), problems[0]!.field);
      return;
    }
    const cls = classifyAwsUser({ name: user, root, passwordEnabled: root ? undefined : passwordEnabled, accessKeys: activeKeys });
    // The root row says not_supported for password_enabled; a password sign-in date proves it has one.
    const passwordLogin = root ? (passwordLastUsedAt ? true : undefined) : passwordEnabled;
    b.identity(
      {
        id: arn,
        displayName: root ? `root user of AWS account ${account}` : user,
        type: cls.type,
        typeReason: cls.reason,
        status: 'active',
        login: root ? undefined : user,
        createdAt,
        lastLoginAt: passwordLastUsedAt,
        passwordLastUsedAt,
        passwordLogin,
        mfa,
        specialAccount: root ? 'root' : undefined,
      },
      fileName,
    );
    for (const c of creds) b.credential(c);
  };
  const reader = new CsvReader(
    ',',
    (row, line) => {
      if (!(row.length === 1 && row[0] === '')) takeRow(row, line);
    },
    (line, message) => syntax.push({ line, message }),
  );
  return {
    push: (chunk) => reader.push(chunk),
    end() {
      reader.end();
      if (!header) {
        log.fatal(`credential report header lacks ${CREDENTIAL_REPORT_COLUMNS.slice(0, 4).join(', ')}`, 1);
        return;
      }
      if (failed || !syntax.length) return;
      // CSV syntax notes come before the row errors, as when the whole table was read first.
      const rowErrors = log.outcome.errors.splice(firstError);
      for (const e of syntax) log.note(e.line, `CSV syntax (${where}): ${e.message}`);
      log.outcome.errors.push(...rowErrors);
    },
  };
}

export const awsCredentialReport = defineFormat({
  id: 'aws-credential-report',
  label: 'AWS IAM credential report',
  formatVersion: '2010-05-08 (IAM API)',
  parserVersion: '1.0.0',
  detect(file) {
    const t = file.text.replace(/^\uFEFF/, '').trimStart();
    if (t.startsWith(REPORT_HEAD)) return 'CSV header starts user,arn,user_creation_time,password_enabled: AWS IAM credential report';
    const body = unwrapResponse(file.json);
    if (!isObject(body) || typeof body['Content'] !== 'string') return null;
    const found = reportCsvOf(file);
    if (!found) return null;
    const plain = found.where === 'line of the report in Content';
    return `JSON object with Content (${plain ? 'plain CSV' : 'base64'})${typeof body['ReportFormat'] === 'string' ? ` and ReportFormat ${body['ReportFormat']}` : ''}: AWS IAM GetCredentialReport API response`;
  },
  parseFile: (file, b, log) => parseCredentialReport(file, b, log),
  parseFileStream: (file, b, log) => parseCredentialReportStream(file, b, log),
});
