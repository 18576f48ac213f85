// Format details that the public samples do not exercise: Active Directory attributes, LDIF change records and
// URL values, base64 credential reports, malformed rows, Okta links through file names, detection reasons.
import { base64 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { FORMATS, decodeFile, detectFormat, importFiles } from '../../shared/import';
import { utf8 } from '../../shared/codec/digest';

const file = (name: string, text: string) => ({ name, bytes: utf8(text) });

describe('LDIF', () => {
  const ad = [
    'version: 1',
    '',
    '# Active Directory export (ldifde)',
    'dn: CN=Ann Lee,OU=Staff,DC=corp,DC=example',
    'objectClass: top',
    'objectClass: person',
    'objectClass: organizationalPerson',
    'objectClass: user',
    'cn: Ann Lee',
    'sAMAccountName: alee',
    'userPrincipalName: alee@corp.example',
    'mail: ann.lee@example.com',
    'employeeID: 4711',
    'userAccountControl: 514',
    'lastLogonTimestamp: 133500000000000000',
    'pwdLastSet: 133400000000000000',
    'memberOf: CN=Domain Admins,CN=Users,DC=corp,DC=example',
    '',
    'dn: CN=svc-sql,OU=Service,DC=corp,DC=example',
    'objectClass: user',
    'sAMAccountName: sqlrunner',
    'servicePrincipalName: MSSQLSvc/db1.corp.example:1433',
    'userAccountControl: 66048',
    '',
    'dn: CN=gmsa-web,CN=Managed Service Accounts,DC=corp,DC=example',
    'objectClass: msDS-GroupManagedServiceAccount',
    'objectClass: computer',
    'sAMAccountName: gmsa-web$',
    '',
    'dn: CN=WS01,OU=Computers,DC=corp,DC=example',
    'objectClass: computer',
    'objectClass: user',
    'sAMAccountName: WS01$',
    '',
  ].join('\r\n');

  it('reads Active Directory attributes: disabled bit, FILETIME, SPN and managed service accounts', () => {
    const out = importFiles([file('ad.ldif', ad)]);
    expect(out.refused).toEqual([]);
    const [ann, sql, gmsa, ws] = out.data.identities;
    expect(ann).toMatchObject({
      status: 'disabled',
      login: 'alee@corp.example',
      employeeId: '4711',
      email: 'ann.lee@example.com',
      type: 'human',
    });
    // 133500000000000000 ticks of 100 ns since 1601-01-01.
    expect(ann!.lastLoginAt).toBe(new Date(133500000000000000 / 10000 - 11644473600000).toISOString());
    expect(out.data.credentials).toEqual([
      expect.objectContaining({
        identityId: ann!.id,
        kind: 'password',
        lastRotatedAt: new Date(133400000000000000 / 10000 - 11644473600000).toISOString(),
        active: false,
      }),
    ]);
    expect(sql).toMatchObject({
      status: 'active',
      type: 'service',
      typeReason: 'directory account with a servicePrincipalName (Kerberos service)',
    });
    expect(gmsa).toMatchObject({ type: 'service' });
    expect(gmsa!.typeReason).toMatch(/msDS-\*ServiceAccount/);
    expect(ws).toMatchObject({ type: 'workload', typeReason: 'Active Directory computer account' });
    const da = out.data.entitlements.find((e) => e.name === 'Domain Admins')!;
    expect(da.privilege).toBe('critical');
    expect(out.data.assignments).toEqual([expect.objectContaining({ identityId: ann!.id, entitlementId: da.id, usageKnown: false })]);
  });

  it('links posixGroup memberUid to accounts by uid', () => {
    const text =
      'dn: uid=ann,ou=p,dc=x\nobjectClass: posixAccount\nobjectClass: account\nuid: ann\n\ndn: cn=wheel,ou=g,dc=x\nobjectClass: posixGroup\ncn: wheel\nmemberUid: ann\nmemberUid: ghost\n';
    const out = importFiles([file('nis.ldif', text)]);
    expect(out.data.assignments).toEqual([
      expect.objectContaining({ identityId: 'uid=ann,ou=p,dc=x', entitlementId: 'cn=wheel,ou=g,dc=x' }),
    ]);
    expect(out.files[0]!.errors).toEqual([
      expect.objectContaining({
        line: 0,
        field: 'member',
        message: '1 member value(s) name entries that are not in this file; those memberships are not stored',
      }),
    ]);
    expect(out.data.entitlements[0]!.privilege).toBe('high');
  });

  it('refuses change records, URL values and bad base64 per record, naming the line', () => {
    const text = [
      'dn: uid=a,dc=x',
      'objectClass: person',
      'cn: A',
      '',
      'dn: uid=b,dc=x',
      'changetype: modify',
      'replace: cn',
      'cn: B',
      '-',
      '',
      'dn: uid=c,dc=x',
      'objectClass: person',
      'jpegPhoto:< file:///tmp/c.jpg',
      '',
      'dn: uid=d,dc=x',
      'objectClass: person',
      'cn:: !!!notbase64',
      '',
    ].join('\n');
    const out = importFiles([file('mixed.ldif', text)]);
    const f = out.files[0]!;
    expect(f).toMatchObject({ rowsRead: 4, rowsRejected: 3 });
    expect(f.errors.map((e) => [e.line, e.field])).toEqual([
      [5, 'changetype'],
      [13, 'jpegphoto'],
      [17, 'cn'],
    ]);
    expect(f.errors[0]!.message).toMatch(/changetype: modify/);
    expect(f.errors[1]!.message).toMatch(/":<"/);
    expect(f.errors[2]!.message).toMatch(/base64/);
    expect(out.data.identities.map((i) => i.id)).toEqual(['uid=a,dc=x']);
  });

  it('takes changetype: add records as content', () => {
    const out = importFiles([file('add.ldif', 'dn: uid=a,dc=x\nchangetype: add\nobjectClass: inetOrgPerson\ncn: A\n')]);
    expect(out.data.identities).toHaveLength(1);
  });

  it('keeps 100,000 entries fast (entries per second reported by the bench)', () => {
    const parts: string[] = [];
    for (let i = 0; i < 100_000; i++)
      parts.push(
        `dn: uid=u${i},ou=People,dc=example,dc=com\nobjectClass: inetOrgPerson\ncn: User ${i}\nuid: u${i}\nmail: u${i}@example.com\n`,
      );
    parts.push(
      `dn: cn=all,ou=Groups,dc=example,dc=com\nobjectClass: groupOfNames\ncn: all\n${Array.from({ length: 100_000 }, (_, i) => `member: uid=u${i},ou=People,dc=example,dc=com`).join('\n')}\n`,
    );
    const t = Date.now();
    const out = importFiles([file('big.ldif', parts.join('\n'))]);
    const ms = Date.now() - t;
    expect(out.data.identities).toHaveLength(100_000);
    expect(out.data.assignments).toHaveLength(100_000);
    expect(ms).toBeLessThan(15_000);
  });
});

describe('AWS credential report', () => {
  const header =
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const row =
    'dev,arn:aws:iam::1:user/dev,2020-01-01T00:00:00+00:00,true,2026-01-01T00:00:00+00:00,N/A,N/A,true,false,2021-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';

  it('reads the API JSON with base64 Content and explains the detection', () => {
    const json = JSON.stringify({
      Content: base64.encode(utf8(`${header}\n${row}\n`)),
      ReportFormat: 'text/csv',
      GeneratedTime: '2026-01-02T00:00:00Z',
    });
    const d = detectFormat(decodeFile(file('report.json', json)))!;
    expect(d.parser.id).toBe('aws-credential-report');
    expect(d.reason).toBe('JSON object with Content (base64) and ReportFormat text/csv: AWS IAM GetCredentialReport API response');
    const out = importFiles([file('report.json', json)]);
    expect(out.data.identities[0]).toMatchObject({
      login: 'dev',
      type: 'human',
      passwordLogin: true,
      lastLoginAt: '2026-01-01T00:00:00.000Z',
    });
    expect(out.data.credentials.map((c) => [c.credentialId, c.active])).toEqual([
      ['console-password', true],
      ['access-key-1', false],
    ]);
  });

  it('rejects a row with a bad date, naming line and field', () => {
    const bad = row.replace('2026-01-01T00:00:00+00:00', 'yesterday');
    const out = importFiles([file('r.csv', `${header}\n${row.replace('dev', 'ok').replace('user/dev', 'user/ok')}\n${bad}\n`)]);
    expect(out.files[0]).toMatchObject({ rowsRead: 2, rowsRejected: 1 });
    expect(out.files[0]!.errors[0]).toMatchObject({ line: 3, field: 'password_last_used' });
    expect(out.files[0]!.errors[0]!.message).toMatch(/"yesterday" is not a date/);
  });
});

describe('Okta', () => {
  it('records group membership when the file name carries the group id', () => {
    const users = JSON.stringify([{ id: '00u1abcdefghijklmno', status: 'SUSPENDED', profile: { login: 'a@x.com', email: 'a@x.com' } }]);
    const out = importFiles([file('group-00g1abcdefghijklmno-users.json', users)]);
    expect(out.data.identities[0]).toMatchObject({ status: 'suspended', sourceStatus: 'SUSPENDED' });
    expect(out.data.assignments).toEqual([
      expect.objectContaining({ identityId: 'okta:00u1abcdefghijklmno', entitlementId: 'okta:00g1abcdefghijklmno' }),
    ]);
  });
});

describe('detection', () => {
  it('every format explains itself, and plain text that is no identity data is refused with a clear message', () => {
    for (const f of FORMATS) expect(f.label.length).toBeGreaterThan(3);
    const out = importFiles([file('notes.txt', 'Meeting notes\nnothing to see here\n')]);
    expect(out.refused[0]!.message).toMatch(/^not a known identity-data format/);
  });

  it('Kubernetes JSON from kubectl -o json', () => {
    const list = {
      kind: 'List',
      apiVersion: 'v1',
      items: [
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'b', namespace: 'dev' },
          roleRef: { kind: 'ClusterRole', name: 'edit' },
          subjects: [
            { kind: 'User', name: 'jane@x.com' },
            { kind: 'ServiceAccount', name: 'ci' },
          ],
        },
      ],
    };
    const out = importFiles([file('rb.json', JSON.stringify(list))]);
    expect(out.sources[0]!.format).toBe('kubernetes-rbac');
    expect(out.data.entitlements[0]).toMatchObject({ id: 'k8s:dev:ClusterRole/edit', privilege: 'high' });
    expect(out.data.identities.map((i) => [i.id, i.type])).toEqual([
      ['k8s:User/jane@x.com', 'human'],
      ['k8s:ServiceAccount/dev/ci', 'service'],
    ]);
  });
});

describe('workbench CSV usage columns', () => {
  const identities = 'id,displayName,email,type,status\nu1,Ann,,human,active\n';
  const entitlements = 'id,name,application,privilege\ne1,E,App,low\ne2,F,App,low\n';
  it('an empty lastUsedAt is "never used"; a file without the column has no usage data', () => {
    const withUsage = importFiles([
      file('identities.csv', identities),
      file('entitlements.csv', entitlements),
      file('assignments.csv', 'identityId,entitlementId,grantedAt,lastUsedAt,source\nu1,e1,2025-01-01,,x\n'),
    ]);
    expect(withUsage.data.assignments[0]).toEqual({ identityId: 'u1', entitlementId: 'e1', grantedAt: '2025-01-01', source: 'x' });
    const without = importFiles([
      file('identities.csv', identities),
      file('entitlements.csv', entitlements),
      file('assignments.csv', 'identityId,entitlementId,grantedAt\nu1,e1,2025-01-01\n'),
    ]);
    expect(without.data.assignments[0]).toMatchObject({ usageKnown: false });
    expect(without.data.assignments[0]!.lastUsedAt).toBeUndefined();
  });
});

describe('Okta HAR recordings', () => {
  it('takes group members and roles from the request URLs of a HAR file', () => {
    const entry = (url: string, body: unknown) => ({
      request: { method: 'GET', url },
      response: { status: 200, content: { mimeType: 'application/json', text: JSON.stringify(body) } },
    });
    const har = {
      log: {
        version: '1.2',
        entries: [
          entry('https://acme.okta.com/api/v1/groups/00gabcdefghijklmnopq/users', [
            { id: '00u1', status: 'ACTIVE', profile: { login: 'a@x.com', email: 'a@x.com' } },
          ]),
          entry('https://acme.okta.com/api/v1/groups?limit=200', [
            { id: '00gabcdefghijklmnopq', type: 'OKTA_GROUP', profile: { name: 'Finance Admins' } },
          ]),
          entry('https://acme.okta.com/api/v1/users/00u1/roles', [
            { id: 'r1', label: 'Super Administrator', type: 'SUPER_ADMIN', status: 'ACTIVE' },
          ]),
          { request: { url: 'https://acme.okta.com/login' }, response: { content: { text: '<html>' } } },
        ],
      },
    };
    const out = importFiles([file('okta.har', JSON.stringify(har))]);
    expect(out.sources[0]).toMatchObject({
      format: 'okta',
      formatReason: 'HAR recording with 3 Okta API response(s) (/api/v1/...): Okta API',
    });
    expect(out.data.entitlements.map((e) => [e.id, e.name, e.privilege])).toEqual([
      ['okta:00gabcdefghijklmnopq', 'Finance Admins', 'high'],
      ['okta:role:SUPER_ADMIN', 'Super Administrator', 'critical'],
    ]);
    expect(out.data.assignments.map((a) => `${a.identityId}>${a.entitlementId}`)).toEqual([
      'okta:00u1>okta:00gabcdefghijklmnopq',
      'okta:00u1>okta:role:SUPER_ADMIN',
    ]);
  });
});

describe('Graph HAR recordings', () => {
  it('links members to the group named in the request URL, and groups to the user of /users/{id}/memberOf', () => {
    const entry = (url: string, body: unknown) => ({
      request: { method: 'GET', url },
      response: { status: 200, content: { mimeType: 'application/json', text: JSON.stringify(body) } },
    });
    const g = '11111111-0000-0000-0000-000000000001';
    const har = {
      log: {
        entries: [
          entry('https://graph.microsoft.com/v1.0/groups', {
            '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#groups',
            value: [{ id: g, displayName: 'Payroll Admins', securityEnabled: true }],
          }),
          entry(`https://graph.microsoft.com/v1.0/groups/${g}/members`, {
            '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects',
            value: [
              { '@odata.type': '#microsoft.graph.user', id: 'u-1', userPrincipalName: 'ann@x.com' },
              { '@odata.type': '#microsoft.graph.servicePrincipal', id: 'sp-1', appId: 'app-1', displayName: 'Sync' },
            ],
          }),
          entry('https://graph.microsoft.com/v1.0/users/u-2/memberOf', {
            '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects',
            value: [{ '@odata.type': '#microsoft.graph.group', id: g, displayName: 'Payroll Admins' }],
          }),
        ],
      },
    };
    const out = importFiles([file('graph.har', JSON.stringify(har))]);
    expect(out.sources[0]!.format).toBe('entra-graph');
    expect(out.data.entitlements.map((e) => [e.id, e.privilege])).toEqual([[`entra:${g}`, 'high']]);
    expect(out.data.assignments.map((a) => a.identityId).sort()).toEqual(['entra:sp-1', 'entra:u-1', 'entra:u-2']);
    expect(out.data.identities.find((i) => i.id === 'entra:u-2')!.typeReason).toMatch(/memberOf/);
  });
});

describe('LDIF nested groups', () => {
  it('expands a group that is a member of another group (the inherited grant carries its path), and says so on the outer group', () => {
    const text =
      'dn: uid=a,dc=x\nobjectClass: person\ncn: A\n\ndn: cn=inner,dc=x\nobjectClass: groupOfNames\ncn: inner\nmember: uid=a,dc=x\n\ndn: cn=outer,dc=x\nobjectClass: groupOfNames\ncn: outer\nmember: cn=inner,dc=x\n';
    const out = importFiles([file('n.ldif', text)]);
    expect(out.data.assignments.map((a) => [a.entitlementId, a.path ?? []])).toEqual([
      ['cn=inner,dc=x', []],
      ['cn=outer,dc=x', ['cn=inner,dc=x']],
    ]);
    expect(out.data.links).toEqual([{ memberId: 'cn=inner,dc=x', groupId: 'cn=outer,dc=x', kind: 'group', source: 'n.ldif' }]);
    expect(out.data.entitlements.find((e) => e.id === 'cn=outer,dc=x')!.description).toBe(
      'also grants to the members of nested group(s): inner',
    );
  });
});
