// Identity-level evidence (issue 17, observations 6 and 8): sign-in dates, MFA, password-never-expires, lifecycle
// states with the source's own word, and classes that are not human (root, anonymous and system principals, groups),
// from hand-made inputs of every format that carries them.
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import { applyMapping, readTable, suggestMapping } from '../../shared/import';
import { mergeIdentities } from '../../shared/import/merge';
import type { Identity } from '../../shared/model';
import { utf8 } from '../../shared/codec/digest';

const file = (name: string, text: string) => ({ name, bytes: utf8(text) });
function load(...files: { name: string; bytes: Uint8Array }[]) {
  const out = importFiles(files);
  expect(out.refused.map((r) => r.message)).toEqual([]);
  expect(out.files.flatMap((f) => f.errors.map((e) => e.message))).toEqual([]);
  return out.data;
}
const find = (ids: Identity[], id: string) => {
  const i = ids.find((x) => x.id === id);
  expect(i, id).toBeDefined();
  return i!;
};

const REPORT_HEAD =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

describe('AWS credential report: MFA, password sign-in and the root user', () => {
  const report = [
    REPORT_HEAD,
    '<root_account>,arn:aws:iam::111122223333:root,2015-01-01T00:00:00+00:00,not_supported,2026-03-04T05:06:07+00:00,not_supported,not_supported,false,true,2016-01-01T00:00:00+00:00,2026-02-01T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    'old-console,arn:aws:iam::111122223333:user/old-console,2019-01-01T00:00:00+00:00,true,2022-02-03T04:05:06+00:00,2019-01-01T00:00:00+00:00,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    'maria,arn:aws:iam::111122223333:user/maria,2019-01-01T00:00:00+00:00,true,2026-11-01T00:00:00+00:00,2026-01-01T00:00:00+00:00,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    'ci,arn:aws:iam::111122223333:user/ci,2019-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2020-01-01T00:00:00+00:00,2026-11-01T00:00:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  ].join('\n');

  it('reads mfa_active and password_last_used for every user', () => {
    const d = load(file('credential-report.csv', report));
    expect(find(d.identities, 'arn:aws:iam::111122223333:user/old-console')).toMatchObject({
      mfa: false,
      passwordLogin: true,
      passwordLastUsedAt: '2022-02-03T04:05:06.000Z',
      lastLoginAt: '2022-02-03T04:05:06.000Z',
      type: 'human',
    });
    expect(find(d.identities, 'arn:aws:iam::111122223333:user/maria')).toMatchObject({
      mfa: true,
      passwordLastUsedAt: '2026-11-01T00:00:00.000Z',
    });
    const ci = find(d.identities, 'arn:aws:iam::111122223333:user/ci');
    expect(ci).toMatchObject({ mfa: false, passwordLogin: false });
    expect(ci.passwordLastUsedAt).toBeUndefined();
  });

  it('the root user is a system identity, marked root, with its sign-in, MFA and access-key evidence', () => {
    const d = load(file('credential-report.csv', report));
    const root = find(d.identities, 'arn:aws:iam::111122223333:root');
    expect(root).toMatchObject({
      type: 'system',
      specialAccount: 'root',
      passwordLogin: true,
      mfa: false,
      passwordLastUsedAt: '2026-03-04T05:06:07.000Z',
      lastLoginAt: '2026-03-04T05:06:07.000Z',
    });
    expect(root.typeReason).toMatch(/root user/);
    expect(root.typeReason).toMatch(/not a person/);
    expect(d.credentials.filter((c) => c.identityId === root.id)).toEqual([
      expect.objectContaining({ credentialId: 'access-key-1', active: true, lastUsedAt: '2026-02-01T00:00:00.000Z' }),
    ]);
  });

  it('a root row without a password sign-in does not claim a password login', () => {
    const d = load(
      file(
        'r.csv',
        [
          REPORT_HEAD,
          '<root_account>,arn:aws:iam::1:root,2015-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
        ].join('\n'),
      ),
    );
    const root = find(d.identities, 'arn:aws:iam::1:root');
    expect(root).toMatchObject({ type: 'system', specialAccount: 'root', mfa: true });
    expect(root.passwordLogin).toBeUndefined();
    expect(root.lastLoginAt).toBeUndefined();
  });
});

describe('Okta: lifecycle states, lastLogin and factors', () => {
  const user = (id: string, status: string, lastLogin: string | null = null) => ({
    id,
    status,
    lastLogin,
    created: '2024-01-01T00:00:00.000Z',
    profile: { login: `${id}@x.com`, email: `${id}@x.com` },
  });
  const users = [
    user('00ustaged000000000a', 'STAGED'),
    user('00uprov00000000000a', 'PROVISIONED'),
    user('00ulocked000000000a', 'LOCKED_OUT', '2026-10-01T00:00:00.000Z'),
    user('00ususp0000000000aa', 'SUSPENDED', '2025-01-02T03:04:05.000Z'),
    user('00udeprov000000000a', 'DEPROVISIONED'),
    user('00uactive000000000a', 'ACTIVE', '2026-11-20T10:00:00.000Z'),
    user('00uexpired00000000a', 'PASSWORD_EXPIRED', '2026-06-01T00:00:00.000Z'),
  ];

  it('maps STAGED and PROVISIONED to never activated, LOCKED_OUT and SUSPENDED to suspended, DEPROVISIONED to terminated, keeping the word', () => {
    const d = load(file('users.json', JSON.stringify(users)));
    const got = Object.fromEntries(d.identities.map((i) => [i.sourceStatus, i.status]));
    expect(got).toEqual({
      STAGED: 'never-activated',
      PROVISIONED: 'never-activated',
      LOCKED_OUT: 'suspended',
      SUSPENDED: 'suspended',
      DEPROVISIONED: 'terminated',
      ACTIVE: 'active',
      PASSWORD_EXPIRED: 'active',
    });
    expect(find(d.identities, 'okta:00ususp0000000000aa').lastLoginAt).toBe('2025-01-02T03:04:05.000Z');
  });

  it('reads MFA from a /users/{id}/factors response: on when one factor is ACTIVE, off when none is', () => {
    const factors = (status: string) => [
      { id: 'opf1', factorType: 'token:software:totp', provider: 'GOOGLE', status, profile: { credentialId: 'a@x.com' } },
      { id: 'emf1', factorType: 'email', provider: 'OKTA', status: 'PENDING_ACTIVATION', profile: { email: 'a@x.com' } },
    ];
    const d = load(
      file('users.json', JSON.stringify(users)),
      file('user-00uactive000000000a-factors.json', JSON.stringify(factors('ACTIVE'))),
      file('user-00uexpired00000000a-factors.json', JSON.stringify(factors('PENDING_ACTIVATION'))),
    );
    expect(find(d.identities, 'okta:00uactive000000000a').mfa).toBe(true);
    expect(find(d.identities, 'okta:00uexpired00000000a').mfa).toBe(false);
    expect(find(d.identities, 'okta:00ustaged000000000a').mfa).toBeUndefined();
    expect(d.identities).toHaveLength(users.length);
  });

  it('refuses a factors response whose file name does not name its user', () => {
    const out = importFiles([file('factors.json', JSON.stringify([{ id: 'f', factorType: 'sms', provider: 'OKTA', status: 'ACTIVE' }]))]);
    expect(out.refused[0]?.message).toMatch(/user id \(00u\.\.\.\) in the file name/);
  });
});

describe('Entra / Graph: sign-in activity, accountEnabled and MFA registration', () => {
  const users = {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users(id,displayName,userPrincipalName,accountEnabled,signInActivity)',
    value: [
      {
        id: 'a1',
        displayName: 'Ann',
        userPrincipalName: 'ann@x.com',
        accountEnabled: true,
        signInActivity: { lastSignInDateTime: '2026-01-01T00:00:00Z', lastNonInteractiveSignInDateTime: '2026-11-01T00:00:00Z' },
      },
      {
        id: 'b2',
        displayName: 'Bob',
        userPrincipalName: 'bob@x.com',
        accountEnabled: false,
        signInActivity: { lastSignInDateTime: '2024-05-06T07:08:09Z', lastNonInteractiveSignInDateTime: '0001-01-01T00:00:00Z' },
      },
      { id: 'c3', displayName: 'Cy', userPrincipalName: 'cy@x.com', accountEnabled: true },
    ],
  };
  const registration = {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#reports/authenticationMethods/userRegistrationDetails',
    value: [
      {
        id: 'a1',
        userPrincipalName: 'ann@x.com',
        userDisplayName: 'Ann',
        isMfaRegistered: true,
        isMfaCapable: true,
        methodsRegistered: ['microsoftAuthenticatorPush'],
      },
      {
        id: 'b2',
        userPrincipalName: 'bob@x.com',
        userDisplayName: 'Bob',
        isMfaRegistered: false,
        isMfaCapable: false,
        methodsRegistered: [],
      },
    ],
  };

  it('takes the latest sign-in of either kind, ignores the 0001-01-01 "never", and keeps accountEnabled', () => {
    const d = load(file('users.json', JSON.stringify(users)));
    expect(find(d.identities, 'entra:a1')).toMatchObject({
      lastLoginAt: '2026-11-01T00:00:00.000Z',
      status: 'active',
      sourceStatus: 'accountEnabled true',
    });
    expect(find(d.identities, 'entra:b2')).toMatchObject({
      lastLoginAt: '2024-05-06T07:08:09.000Z',
      status: 'disabled',
      sourceStatus: 'accountEnabled false',
    });
    expect(find(d.identities, 'entra:c3').mfa).toBeUndefined();
  });

  it('reads isMfaRegistered from the userRegistrationDetails report onto the users', () => {
    const d = load(file('users.json', JSON.stringify(users)), file('registration.json', JSON.stringify(registration)));
    expect(d.identities).toHaveLength(3);
    expect(find(d.identities, 'entra:a1').mfa).toBe(true);
    expect(find(d.identities, 'entra:b2').mfa).toBe(false);
    expect(find(d.identities, 'entra:c3').mfa).toBeUndefined();
  });

  it('reads StrongAuthenticationMethods from a PowerShell (MSOnline) user dump', () => {
    const ps = [
      {
        Id: 'd4',
        UserPrincipalName: 'dee@x.com',
        DisplayName: 'Dee',
        AccountEnabled: true,
        StrongAuthenticationMethods: [{ MethodType: 'PhoneAppNotification', IsDefault: true }],
      },
      { Id: 'e5', UserPrincipalName: 'eve@x.com', DisplayName: 'Eve', AccountEnabled: true, StrongAuthenticationMethods: [] },
    ];
    const d = load(file('msol-users.json', JSON.stringify(ps)));
    expect(find(d.identities, 'entra:d4').mfa).toBe(true);
    expect(find(d.identities, 'entra:e5').mfa).toBe(false);
  });
});

describe('LDIF: Active Directory userAccountControl, lastLogonTimestamp and lockout; OpenLDAP ppolicy', () => {
  const filetime = (iso: string) => String(BigInt(Date.parse(iso) + 11644473600000) * 10000n);
  const entry = (cn: string, ...attrs: string[]) =>
    [`dn: CN=${cn},OU=Staff,DC=corp,DC=example`, 'objectClass: user', 'objectClass: person', `sAMAccountName: ${cn}`, ...attrs, ''].join(
      '\n',
    );
  const ldif = [
    'version: 1',
    '',
    entry('neverexp', 'userAccountControl: 66048', `lastLogonTimestamp: ${filetime('2024-11-20T08:00:00Z')}`),
    entry('gone', 'userAccountControl: 514'),
    entry('lockedbit', 'userAccountControl: 528'),
    entry('lockedtime', 'userAccountControl: 512', 'lockoutTime: 134000000000000000'),
    entry('unlocked', 'userAccountControl: 512', 'lockoutTime: 0'),
    entry('smartcard', 'userAccountControl: 262656'),
    entry('ppolicy', 'pwdAccountLockedTime: 20261101120000Z'),
    entry('adminlock', 'pwdAccountLockedTime: 000001010000Z'),
  ].join('\n');

  it('0x10000 is password never expires, 0x2 disabled, 0x10 or lockoutTime suspended, with the flags in sourceStatus', () => {
    const d = load(file('ad.ldif', ldif));
    const by = (cn: string) => find(d.identities, `CN=${cn},OU=Staff,DC=corp,DC=example`);
    expect(by('neverexp')).toMatchObject({
      status: 'active',
      passwordNeverExpires: true,
      lastLoginAt: '2024-11-20T08:00:00.000Z',
      sourceStatus: 'userAccountControl 0x10200 (DONT_EXPIRE_PASSWORD)',
    });
    expect(by('gone')).toMatchObject({ status: 'disabled', sourceStatus: 'userAccountControl 0x202 (ACCOUNTDISABLE)' });
    expect(by('gone').passwordNeverExpires).toBeUndefined();
    expect(by('lockedbit')).toMatchObject({ status: 'suspended', sourceStatus: 'userAccountControl 0x210 (LOCKOUT)' });
    expect(by('lockedtime')).toMatchObject({
      status: 'suspended',
      sourceStatus: 'userAccountControl 0x200; lockoutTime 134000000000000000',
    });
    expect(by('unlocked').status).toBe('active');
    expect(by('smartcard')).toMatchObject({ status: 'active', mfa: true });
    expect(by('neverexp').mfa).toBeUndefined();
    expect(by('ppolicy')).toMatchObject({ status: 'suspended', sourceStatus: 'pwdAccountLockedTime 20261101120000Z' });
    expect(by('adminlock')).toMatchObject({ status: 'disabled' });
  });
});

describe('SCIM: active and a provider sign-in attribute', () => {
  it('active false is disabled with the word kept; meta.lastLogin or an extension lastLogin is the last sign-in', () => {
    const list = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 2,
      Resources: [
        {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          id: 'u1',
          userName: 'ann@x.com',
          active: false,
          meta: { resourceType: 'User', created: '2020-01-01T00:00:00Z', lastLogin: '2023-04-05T06:07:08Z' },
        },
        {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:example:params:scim:schemas:extension:signin:2.0:User'],
          id: 'u2',
          userName: 'bob@x.com',
          active: true,
          meta: { resourceType: 'User' },
          'urn:example:params:scim:schemas:extension:signin:2.0:User': { lastLogin: '2026-10-01T00:00:00Z' },
        },
      ],
    };
    const d = load(file('scim-users.json', JSON.stringify(list)));
    expect(d.identities.map((i) => [i.status, i.sourceStatus, i.lastLoginAt])).toEqual([
      ['disabled', 'active false', '2023-04-05T06:07:08.000Z'],
      ['active', 'active true', '2026-10-01T00:00:00.000Z'],
    ]);
  });
});

describe('not humans: anonymous and system principals, groups', () => {
  it('Kubernetes system:anonymous, system:unauthenticated, system:authenticated, control-plane users and groups are not human', () => {
    const yaml = [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: ClusterRoleBinding',
      'metadata: {name: public}',
      'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}',
      'subjects:',
      '- {kind: User, name: "system:anonymous"}',
      '- {kind: Group, name: "system:unauthenticated"}',
      '- {kind: Group, name: "system:authenticated"}',
      '- {kind: User, name: "system:kube-scheduler"}',
      '- {kind: Group, name: "system:masters"}',
      '- {kind: Group, name: "system:serviceaccounts:ci"}',
      '- {kind: Group, name: "dev-team"}',
      '- {kind: User, name: "jane@x.com"}',
      '',
    ].join('\n');
    const d = load(file('crb.yaml', yaml));
    const types = Object.fromEntries(d.identities.map((i) => [i.id, i.type]));
    expect(types).toEqual({
      'k8s:User/system:anonymous': 'system',
      'k8s:Group/system:unauthenticated': 'system',
      'k8s:Group/system:authenticated': 'system',
      'k8s:User/system:kube-scheduler': 'system',
      'k8s:Group/system:masters': 'system',
      'k8s:Group/system:serviceaccounts:ci': 'service',
      'k8s:Group/dev-team': 'system',
      'k8s:User/jane@x.com': 'human',
    });
    for (const i of d.identities.filter((x) => x.type !== 'human'))
      expect(i.typeReason, i.id).toMatch(/not (a|one) person|service accounts/);
    expect(find(d.identities, 'k8s:User/system:anonymous').principal).toBe('public');
    expect(find(d.identities, 'k8s:Group/dev-team').principal).toBe('group');
  });

  it('Google Cloud allUsers, allAuthenticatedUsers, groups and domains are not human', () => {
    const policy = {
      version: 1,
      etag: 'x',
      bindings: [
        { role: 'roles/viewer', members: ['allUsers', 'allAuthenticatedUsers', 'group:devs@x.com', 'domain:x.com', 'user:ann@x.com'] },
      ],
    };
    const d = load(file('project_getIamPolicy.json', JSON.stringify(policy)));
    expect(Object.fromEntries(d.identities.map((i) => [i.id, i.type]))).toEqual({
      'gcp:allUsers': 'system',
      'gcp:allAuthenticatedUsers': 'system',
      'gcp:group:devs@x.com': 'system',
      'gcp:domain:x.com': 'system',
      'gcp:user:ann@x.com': 'human',
    });
  });

  it('an Entra group holding an app role is not human', () => {
    const body = {
      '@odata.context': "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('s')/appRoleAssignedTo",
      value: [
        {
          id: 'x',
          appRoleId: '00000000-0000-0000-0000-000000000000',
          principalId: 'g1',
          principalType: 'Group',
          principalDisplayName: 'Sales',
          resourceDisplayName: 'CRM',
          resourceId: 's',
        },
      ],
    };
    const d = load(file('assigned.json', JSON.stringify(body)));
    expect(find(d.identities, 'entra:g1')).toMatchObject({ type: 'system', principal: 'group' });
  });
});

describe('mapped CSV status words', () => {
  it('staged and provisioned are never activated, locked and suspended are suspended, the word kept', () => {
    const t = readTable({
      name: 'people.csv',
      text: ['login,status', 'a,STAGED', 'b,provisioned', 'c,LOCKED_OUT', 'd,Suspended', 'e,enabled', ''].join('\n'),
    });
    const batch = applyMapping(t, suggestMapping(t.header));
    expect(batch.files[0]!.errors).toEqual([]);
    expect(batch.data.identities.map((i) => [i.login, i.status, i.sourceStatus])).toEqual([
      ['a', 'never-activated', 'STAGED'],
      ['b', 'never-activated', 'provisioned'],
      ['c', 'suspended', 'LOCKED_OUT'],
      ['d', 'suspended', undefined],
      ['e', 'active', 'enabled'],
    ]);
  });
});

describe('correlation keeps identity evidence together', () => {
  it('the most severe status keeps its own source word; MFA off and never-expiring passwords are not hidden by another record', () => {
    const okta: Identity = {
      id: 'okta:1',
      displayName: 'Ann',
      type: 'human',
      status: 'active',
      sourceStatus: 'ACTIVE',
      mfa: true,
      lastLoginAt: '2026-01-01T00:00:00.000Z',
      sources: ['okta.json'],
    };
    const ad: Identity = {
      id: 'CN=Ann',
      displayName: 'Ann',
      type: 'human',
      status: 'suspended',
      sourceStatus: 'userAccountControl 0x10210 (LOCKOUT, DONT_EXPIRE_PASSWORD)',
      mfa: false,
      passwordNeverExpires: true,
      lastLoginAt: '2025-01-01T00:00:00.000Z',
      sources: ['ad.ldif'],
    };
    const aws: Identity = {
      id: 'arn:aws:iam::1:user/ann',
      displayName: 'ann',
      type: 'human',
      status: 'active',
      passwordLastUsedAt: '2026-02-01T00:00:00.000Z',
      sources: ['report.csv'],
    };
    const m = mergeIdentities([okta, ad, aws]);
    expect(m).toMatchObject({
      status: 'suspended',
      sourceStatus: ad.sourceStatus,
      mfa: false,
      passwordNeverExpires: true,
      lastLoginAt: '2026-01-01T00:00:00.000Z',
      passwordLastUsedAt: '2026-02-01T00:00:00.000Z',
    });
    expect(mergeIdentities([aws, okta])).toMatchObject({ status: 'active', sourceStatus: 'ACTIVE', mfa: true });
  });
});
