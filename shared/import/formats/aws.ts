// AWS IAM: the credential report (CSV, or the GetCredentialReport JSON with its Content), the output of
// get-account-authorization-details, and the ListUsers / GetGroup / ListGroups API responses.
import { base64 } from '@scure/base';
import type { Credential, Privilege } from '../../model';
import { classifyAwsRole, classifyAwsUser, maxPrivilege, privilegeFromName, type PrivilegeRating } from '../classify';
import { CsvReader } from '../csv-table';
import { baseName } from '../decode';
import type { DecodedFile, StreamedFile } from '../types';
import { asArray, defineFormat, isObject, str, strings, toInstant, unwrapResponse, type FileLog, type JsonObject, type SnapshotBuilder } from './common';

// ---------------------------------------------------------------- credential report

export const CREDENTIAL_REPORT_COLUMNS = ['user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation', 'mfa_active', 'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region', 'access_key_1_last_used_service', 'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date', 'access_key_2_last_used_region', 'access_key_2_last_used_service', 'cert_1_active', 'cert_1_last_rotated', 'cert_2_active', 'cert_2_last_rotated'];
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
      if (decoded.trimStart().startsWith(REPORT_HEAD)) return { csv: decoded.trimStart(), where: 'line of the base64-decoded report in Content' };
    } catch {
      return null;
    }
  }
  return null;
}

function parseCredentialReport(file: DecodedFile, b: SnapshotBuilder, log: FileLog): void {
  const found = reportCsvOf(file);
  if (!found) {
    log.fatal('expected an AWS IAM credential report (CSV with header user,arn,user_creation_time,... or a JSON object whose Content holds it)');
    return;
  }
  const reader = reportReader(file.name, found.where, b, log);
  reader.push(found.csv);
  reader.end();
}

/** A large report CSV read in chunks (JSON responses are always read whole and go through parseCredentialReport). */
async function parseCredentialReportStream(file: StreamedFile, b: SnapshotBuilder, log: FileLog): Promise<void> {
  if (file.json !== undefined || !file.text.replace(/^\uFEFF/, '').trimStart().startsWith(REPORT_HEAD)) return parseCredentialReport(file, b, log);
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
      creds.push({ identityId: arn, credentialId: 'console-password', kind: 'password', lastRotatedAt: date('password_last_changed'), lastUsedAt: date('password_last_used'), expiresAt: date('password_next_rotation'), active: true, source });
    }
    let activeKeys = 0;
    for (const n of [1, 2]) {
      const active = bool(`access_key_${n}_active`);
      const rotated = date(`access_key_${n}_last_rotated`);
      const used = date(`access_key_${n}_last_used_date`);
      if (active || rotated) {
        if (active) activeKeys++;
        creds.push({ identityId: arn, credentialId: `access-key-${n}`, kind: 'access-key', createdAt: rotated, lastRotatedAt: rotated, lastUsedAt: used, active: active === true, source });
      }
    }
    for (const n of [1, 2]) {
      const active = bool(`cert_${n}_active`);
      const rotated = date(`cert_${n}_last_rotated`);
      if (active || rotated) creds.push({ identityId: arn, credentialId: `certificate-${n}`, kind: 'certificate', createdAt: rotated, lastRotatedAt: rotated, active: active === true, source });
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
    b.identity({ id: arn, displayName: root ? `root user of AWS account ${account}` : user, type: cls.type, typeReason: cls.reason, status: 'active', login: root ? undefined : user, createdAt, lastLoginAt: passwordLastUsedAt, passwordLastUsedAt, passwordLogin, mfa, specialAccount: root ? 'root' : undefined }, fileName);
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

// ---------------------------------------------------------------- policy documents

interface Statement {
  effect: string;
  actions: string[];
  notActions: boolean;
  resources: string[];
}

function policyDocument(doc: unknown): unknown {
  if (typeof doc === 'string') {
    try {
      return JSON.parse(doc.trimStart().startsWith('{') ? doc : decodeURIComponent(doc));
    } catch {
      return undefined;
    }
  }
  return doc;
}

function statements(doc: unknown): Statement[] {
  const d = policyDocument(doc);
  if (!isObject(d)) return [];
  const raw = Array.isArray(d['Statement']) ? d['Statement'] : isObject(d['Statement']) ? [d['Statement']] : [];
  return raw.filter(isObject).map((s) => ({
    effect: String(s['Effect'] ?? '').toLowerCase(),
    actions: strings(s['Action'] ?? s['NotAction']).map((a) => a.toLowerCase()),
    notActions: s['Action'] === undefined && s['NotAction'] !== undefined,
    resources: strings(s['Resource'] ?? (s['NotResource'] !== undefined ? '*' : undefined)),
  }));
}

const ESCALATION = ['iam:passrole', 'iam:createaccesskey', 'iam:createloginprofile', 'iam:updateloginprofile', 'iam:attachuserpolicy', 'iam:attachrolepolicy', 'iam:attachgrouppolicy', 'iam:putuserpolicy', 'iam:putrolepolicy', 'iam:putgrouppolicy', 'iam:createpolicyversion', 'iam:setdefaultpolicyversion', 'iam:updateassumerolepolicy', 'iam:addusertogroup', 'sts:assumerole'];
const READ_PREFIXES = ['get', 'list', 'describe', 'head', 'view', 'batchget', 'search', 'lookup', 'select', 'query', 'scan', 'check', 'validate', 'estimate', 'preview', 'test', 'filter'];

/** Privilege of an IAM policy document from its Allow statements (Deny only narrows, so it is not counted). */
export function ratePolicyDocument(doc: unknown, name: string): PrivilegeRating {
  const allows = statements(doc).filter((s) => s.effect === 'allow');
  if (!allows.length) return privilegeFromName(name);
  const ratings: PrivilegeRating[] = [];
  for (const s of allows) {
    const anyResource = s.resources.includes('*');
    if (s.notActions) {
      ratings.push({ privilege: anyResource ? 'critical' : 'high', reason: `policy "${name}" allows every action except ${s.actions.join(', ')}${anyResource ? ' on *' : ''}` });
      continue;
    }
    for (const a of s.actions) {
      let p: Privilege;
      let why: string;
      const [service = '', action = ''] = a.split(':');
      if ((a === '*' || a === '*:*') && anyResource) [p, why] = ['critical', 'allows * on *'];
      else if (a === '*' || a === '*:*') [p, why] = ['high', `allows every action on ${s.resources.join(', ')}`];
      else if (a === 'iam:*' && anyResource) [p, why] = ['critical', 'allows iam:* on * (can grant itself anything)'];
      else if (ESCALATION.includes(a) || (service === 'iam' && action.includes('*') && !READ_PREFIXES.some((r) => action.startsWith(r)))) [p, why] = ['high', `allows ${a} (privilege escalation path)`];
      else if (action === '*') [p, why] = ['high', `allows every ${service} action`];
      else if (READ_PREFIXES.some((r) => action.startsWith(r))) [p, why] = ['low', `read actions such as ${a}`];
      else [p, why] = ['medium', `write actions such as ${a}`];
      ratings.push({ privilege: p, reason: `policy "${name}" ${why}` });
    }
  }
  return maxPrivilege(ratings, privilegeFromName(name));
}

// ---------------------------------------------------------------- get-account-authorization-details

const AUTH_KEYS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'];

function accountOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}

function parseAuthorizationDetails(file: DecodedFile, b: SnapshotBuilder, log: FileLog): void {
  const d = unwrapResponse(file.json);
  if (!isObject(d) || !AUTH_KEYS.some((k) => Array.isArray(d[k]))) {
    log.fatal('expected the output of aws iam get-account-authorization-details (UserDetailList, GroupDetailList, RoleDetailList, Policies)');
    return;
  }
  const source = baseName(file.name);
  const app = (arn: string) => `AWS IAM${accountOf(arn) && accountOf(arn) !== 'aws' ? ` (account ${accountOf(arn)})` : ''}`;
  const policyRating = new Map<string, PrivilegeRating>();
  for (const [i, p] of asArray(d['Policies']).entries()) {
    log.row();
    if (!isObject(p) || !str(p['Arn'])) {
      log.reject(i + 1, `Policies[${i}] has no Arn`, 'Policies');
      continue;
    }
    const arn = str(p['Arn'])!;
    const name = str(p['PolicyName']) ?? arn;
    const versions = asArray(p['PolicyVersionList']).filter(isObject);
    const def = versions.find((v) => v['IsDefaultVersion'] === true) ?? versions[0];
    const rating = def ? ratePolicyDocument(def['Document'], name) : privilegeFromName(name);
    policyRating.set(arn, rating);
    b.entitlement({ id: arn, name, application: app(arn), privilege: rating.privilege, privilegeReason: rating.reason, description: str(p['Description']) ?? `managed policy ${str(p['Path']) ?? ''}${name}` }, file.name);
  }
  const attachedPolicy = (ap: unknown): string | undefined => {
    if (!isObject(ap)) return undefined;
    const arn = str(ap['PolicyArn']);
    if (!arn) return undefined;
    if (!b.hasEntitlement(arn)) {
      const name = str(ap['PolicyName']) ?? arn.split('/').pop() ?? arn;
      const rating = privilegeFromName(name);
      const r = { privilege: rating.privilege, reason: `${rating.reason} (policy document not in this file)` };
      policyRating.set(arn, r);
      b.entitlement({ id: arn, name, application: app(arn), privilege: r.privilege, privilegeReason: r.reason, description: 'managed policy (document not in this export)' }, file.name);
    }
    return arn;
  };
  const inline = (ownerArn: string, ip: unknown) => {
    if (!isObject(ip)) return undefined;
    const pname = str(ip['PolicyName']) ?? 'inline';
    const id = `${ownerArn}#inline/${pname}`;
    const rating = ratePolicyDocument(ip['PolicyDocument'], pname);
    b.entitlement({ id, name: `${pname} (inline)`, application: app(ownerArn), privilege: rating.privilege, privilegeReason: rating.reason, description: `inline policy of ${ownerArn.split(':').pop()}` }, file.name);
    return id;
  };
  const groupByName = new Map<string, string>();
  for (const [i, g] of asArray(d['GroupDetailList']).entries()) {
    log.row();
    if (!isObject(g) || !str(g['Arn']) || !str(g['GroupName'])) {
      log.reject(i + 1, `GroupDetailList[${i}] lacks Arn or GroupName`, 'GroupDetailList');
      continue;
    }
    const arn = str(g['Arn'])!;
    const name = str(g['GroupName'])!;
    const ratings: PrivilegeRating[] = [];
    const parts: string[] = [];
    for (const ap of asArray(g['AttachedManagedPolicies'])) {
      const parn = attachedPolicy(ap);
      if (parn) {
        ratings.push(policyRating.get(parn)!);
        parts.push(b.getEntitlement(parn)?.name ?? parn);
        // The group's members hold its policies through it: effective access user → group → policy.
        b.link({ memberId: arn, groupId: parn, kind: 'policy', source });
      }
    }
    for (const ip of asArray(g['GroupPolicyList']).filter(isObject)) {
      const pname = str(ip['PolicyName']) ?? 'inline';
      ratings.push(ratePolicyDocument(ip['PolicyDocument'], pname));
      parts.push(`${pname} (inline)`);
      b.link({ memberId: arn, groupId: inline(arn, ip)!, kind: 'policy', source });
    }
    const rating = maxPrivilege(ratings, { privilege: 'low', reason: 'group with no policies' });
    groupByName.set(name, arn);
    b.entitlement({ id: arn, name: `group ${name}`, application: app(arn), privilege: rating.privilege, privilegeReason: ratings.length ? `via ${rating.reason}` : rating.reason, description: parts.length ? `IAM group with policies: ${parts.join(', ')}` : 'IAM group without policies' }, file.name);
  }
  const assign = (identityId: string, entitlementId: string | undefined) => {
    if (entitlementId) b.assign({ identityId, entitlementId, source, usageKnown: false });
  };
  for (const [i, u] of asArray(d['UserDetailList']).entries()) {
    log.row();
    if (!isObject(u) || !str(u['Arn']) || !str(u['UserName'])) {
      log.reject(i + 1, `UserDetailList[${i}] lacks Arn or UserName`, 'UserDetailList');
      continue;
    }
    const arn = str(u['Arn'])!;
    const name = str(u['UserName'])!;
    const cls = classifyAwsUser({ name });
    b.identity({ id: arn, displayName: name, login: name, type: cls.type, typeReason: cls.reason, status: 'active', createdAt: toInstant(u['CreateDate']) }, file.name);
    for (const gname of strings(u['GroupList'])) {
      let gid = groupByName.get(gname);
      if (!gid) {
        gid = `arn:aws:iam::${accountOf(arn)}:group/${gname}`;
        const rating = privilegeFromName(gname);
        b.entitlement({ id: gid, name: `group ${gname}`, application: app(arn), privilege: rating.privilege, privilegeReason: `${rating.reason} (group not in this file)` }, file.name);
        groupByName.set(gname, gid);
      }
      assign(arn, gid);
    }
    for (const ap of asArray(u['AttachedManagedPolicies'])) assign(arn, attachedPolicy(ap));
    for (const ip of asArray(u['UserPolicyList'])) assign(arn, inline(arn, ip));
  }
  for (const [i, r] of asArray(d['RoleDetailList']).entries()) {
    log.row();
    if (!isObject(r) || !str(r['Arn']) || !str(r['RoleName'])) {
      log.reject(i + 1, `RoleDetailList[${i}] lacks Arn or RoleName`, 'RoleDetailList');
      continue;
    }
    const arn = str(r['Arn'])!;
    const name = str(r['RoleName'])!;
    const services: string[] = [];
    const federated: string[] = [];
    const trustDoc = policyDocument(r['AssumeRolePolicyDocument']);
    for (const s of isObject(trustDoc) ? asArray(trustDoc['Statement']).filter(isObject) : []) {
      const principal = s['Principal'];
      if (isObject(principal)) {
        services.push(...strings(principal['Service']));
        federated.push(...strings(principal['Federated']));
      }
    }
    let cls = classifyAwsRole(services, name);
    // Roles behind SAML / IAM Identity Center are how people sign in; still a role, but say so.
    if (!services.length && federated.length) cls = { type: 'service', reason: `AWS IAM role assumed through federation (${federated.map((f) => f.split(':').pop()).join(', ')}): people sign in through it; review who can assume it` };
    const lastUsed = isObject(r['RoleLastUsed']) ? toInstant(r['RoleLastUsed']['LastUsedDate']) : undefined;
    b.identity({ id: arn, displayName: `role ${name}`, login: name, type: cls.type, typeReason: cls.reason, status: 'active', createdAt: toInstant(r['CreateDate']), lastLoginAt: lastUsed }, file.name);
    for (const ap of asArray(r['AttachedManagedPolicies'])) assign(arn, attachedPolicy(ap));
    for (const ip of asArray(r['RolePolicyList'])) assign(arn, inline(arn, ip));
  }
}

export const awsAuthorizationDetails = defineFormat({
  id: 'aws-authorization-details',
  label: 'AWS get-account-authorization-details',
  formatVersion: '2010-05-08 (IAM API)',
  parserVersion: '1.0.0',
  detect(file) {
    const d = unwrapResponse(file.json);
    if (!isObject(d)) return null;
    const keys = AUTH_KEYS.filter((k) => Array.isArray(d[k]));
    if (keys.length < 2 && !(keys.length === 1 && keys[0] !== 'Policies')) return null;
    return `JSON object with ${keys.join(', ')}: output of aws iam get-account-authorization-details`;
  },
  parseFile: (file, b, log) => parseAuthorizationDetails(file, b, log),
});

// ---------------------------------------------------------------- ListUsers / GetGroup / ListGroups

function iamApiShape(body: unknown): 'users' | 'group' | 'groups' | null {
  if (!isObject(body)) return null;
  if (isObject(body['Group']) && Array.isArray(body['Users'])) return 'group';
  if (Array.isArray(body['Users']) && asArray(body['Users']).every((u) => isObject(u) && 'UserName' in u)) return 'users';
  if (Array.isArray(body['Groups']) && asArray(body['Groups']).every((g) => isObject(g) && 'GroupName' in g)) return 'groups';
  return null;
}

function iamUser(u: JsonObject, file: DecodedFile, b: SnapshotBuilder): string | undefined {
  const arn = str(u['Arn']);
  const name = str(u['UserName']);
  if (!arn || !name) return undefined;
  const cls = classifyAwsUser({ name });
  const lastUsed = toInstant(u['PasswordLastUsed']);
  b.identity({ id: arn, displayName: name, login: name, type: cls.type, typeReason: cls.reason, status: 'active', createdAt: toInstant(u['CreateDate']), lastLoginAt: lastUsed, passwordLogin: lastUsed ? true : undefined }, file.name);
  return arn;
}

function iamGroup(g: JsonObject, file: DecodedFile, b: SnapshotBuilder): string | undefined {
  const arn = str(g['Arn']);
  const name = str(g['GroupName']);
  if (!arn || !name) return undefined;
  const rating = privilegeFromName(name);
  b.entitlement({ id: arn, name: `group ${name}`, application: `AWS IAM (account ${accountOf(arn)})`, privilege: rating.privilege, privilegeReason: `${rating.reason} (no policies in this file)` }, file.name);
  return arn;
}

export const awsIamApi = defineFormat({
  id: 'aws-iam-api',
  label: 'AWS IAM API response (ListUsers, GetGroup, ListGroups)',
  formatVersion: '2010-05-08 (IAM API)',
  parserVersion: '1.0.0',
  detect(file) {
    const body = unwrapResponse(file.json);
    const shape = iamApiShape(body);
    const wrapped = body !== file.json ? ' (boto3 placebo recording)' : '';
    if (shape === 'group') return `JSON object with Group and Users: AWS IAM GetGroup response${wrapped}`;
    if (shape === 'users') return `JSON object with Users[] of UserName/Arn: AWS IAM ListUsers response${wrapped}`;
    if (shape === 'groups') return `JSON object with Groups[] of GroupName/Arn: AWS IAM ListGroups response${wrapped}`;
    return null;
  },
  parseFile(file, b, log) {
    const body = unwrapResponse(file.json) as JsonObject;
    const shape = iamApiShape(body);
    const source = baseName(file.name);
    let gid: string | undefined;
    if (shape === 'group') {
      log.row();
      gid = iamGroup(body['Group'] as JsonObject, file, b);
      if (!gid) log.reject(1, 'Group lacks Arn or GroupName', 'Group');
    }
    const list = shape === 'groups' ? asArray(body['Groups']) : asArray(body['Users']);
    for (const [i, item] of list.entries()) {
      log.row();
      const id = isObject(item) ? (shape === 'groups' ? iamGroup(item, file, b) : iamUser(item, file, b)) : undefined;
      if (!id) {
        log.reject(i + 1, `${shape === 'groups' ? 'Groups' : 'Users'}[${i}] lacks Arn or ${shape === 'groups' ? 'GroupName' : 'UserName'}`);
        continue;
      }
      if (gid) b.assign({ identityId: id, entitlementId: gid, source, usageKnown: false });
    }
  },
});
