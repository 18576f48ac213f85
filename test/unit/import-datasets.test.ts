// Every identity-data file in ../shared/datasets imports without editing, and its identity, entitlement,
// assignment and credential counts match figures derived here independently from the raw file (by a plain
// scan of the text or a direct walk of the parsed JSON/YAML, not through the parsers), plus at least one field.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import { countDirectAssignments, type SnapshotData } from '../../shared/model';

const repoRoot = resolve(__dirname, '../..');
const DATASETS = process.env.ARW_DATASETS ?? resolve(repoRoot, '../shared/datasets');
const present = existsSync(DATASETS);
if (!present) console.warn(`import-datasets: skipped, dataset folder ${DATASETS} not found (set ARW_DATASETS)`);

const raw = (rel: string) => readFileSync(join(DATASETS, rel));
const text = (rel: string) => {
  const b = raw(rel);
  if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b.subarray(2));
  return new TextDecoder().decode(b).replace(/^\uFEFF/, '');
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (rel: string): any => JSON.parse(text(rel));

function load(rel: string) {
  const out = importFiles([{ name: rel, bytes: new Uint8Array(raw(rel)) }]);
  expect(out.refused, `${rel} refused: ${out.refused.map((r) => r.message).join('; ')}`).toEqual([]);
  expect(out.sources).toHaveLength(1);
  return out;
}
/** Assignments counted are the direct grants the file lists; inherited ones (with a path) are checked apart. */
function counts(d: SnapshotData) {
  return { identities: d.identities.length, entitlements: d.entitlements.length, assignments: countDirectAssignments(d), credentials: d.credentials.length };
}
const byId = (d: SnapshotData, id: string) => d.identities.find((i) => i.id === id);
const files = (dir: string, ext: string) => (present ? readdirSync(join(DATASETS, dir)).filter((f) => f.endsWith(ext)).map((f) => `${dir}/${f}`) : []);

describe.skipIf(!present)('datasets: AWS IAM credential reports', () => {
  // Independent: the report CSV (the file itself, or JSON Content / data.Content), split on newlines and commas
  // (the reports hold no quoted fields). One identity per data row; credentials = password_enabled "true" +
  // each access key / certificate that is active or has a last_rotated date.
  const reports = files('aws-iam-credential-report', '').filter((f) => !f.endsWith('ReportNotPresent.json') && !f.endsWith('.md'));
  it.each(reports)('%s', (rel) => {
    const csv: string = rel.endsWith('.csv') ? text(rel) : (json(rel).Content ?? json(rel).data.Content);
    const lines = csv.split('\n').filter((l) => l.trim() !== '');
    const header = lines[0]!.split(',');
    const all = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
    // A second row for the same ARN is rejected (one report has one); the first is kept.
    const rows = all.filter((r, i) => all.findIndex((x) => x.arn === r.arn) === i);
    const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}T/.test(v);
    let creds = 0;
    for (const r of rows) {
      if (r.password_enabled.toLowerCase() === 'true') creds++;
      for (const k of ['access_key_1', 'access_key_2', 'cert_1', 'cert_2']) if (r[`${k}_active`].toLowerCase() === 'true' || isDate(r[`${k}_last_rotated`])) creds++;
    }
    const out = load(rel);
    expect(counts(out.data)).toEqual({ identities: rows.length, entitlements: 0, assignments: 0, credentials: creds });
    expect(out.sources[0]!.rowsRejected).toBe(all.length - rows.length);
    const first = rows[0]!;
    const id = byId(out.data, first.arn)!;
    expect(id).toBeDefined();
    if (first.user === '<root_account>') expect(id.displayName).toContain(first.arn.split(':')[4]);
    else expect(id.login).toBe(first.user);
    if (isDate(first.password_last_used)) expect(id.lastLoginAt).toBe(new Date(first.password_last_used).toISOString());
  });

  it('classifies a user with an access key and no console password as a service identity', () => {
    const out = load('aws-iam-credential-report/cloudmapper_demo_credential_report.csv');
    const auditor = byId(out.data, 'arn:aws:iam::123456789012:user/auditor_tmp')!;
    expect(auditor.type).toBe('service');
    expect(auditor.typeReason).toBe('AWS IAM user with access keys and no console password');
    expect(auditor.passwordLogin).toBe(false);
  });

  it('refuses the ReportNotPresent error response with a message saying so', () => {
    const rel = 'aws-iam-credential-report/custodian_unused_keys.GetCredentialReport_error_ReportNotPresent.json';
    const out = importFiles([{ name: rel, bytes: new Uint8Array(raw(rel)) }]);
    expect(out.refused).toHaveLength(1);
    expect(out.refused[0]!.message).toMatch(/ReportNotPresent/);
  });
});

describe.skipIf(!present)('datasets: AWS get-account-authorization-details', () => {
  // Independent: walk the JSON. Identities = users + roles. Entitlements = managed policies (Policies ∪ every
  // AttachedManagedPolicies ARN) + groups (GroupDetailList ∪ GroupList names) + user, group and role inline policies.
  // Assignments = each user's groups, attached and inline policies + each role's attached and inline policies.
  it.each(files('aws-account-authorization-details', '.json'))('%s', (rel) => {
    const d = json(rel);
    const policies = new Set<string>(d.Policies.map((p: { Arn: string }) => p.Arn));
    const groups = new Set<string>(d.GroupDetailList.map((g: { GroupName: string }) => g.GroupName));
    let inline = 0;
    let assignments = 0;
    for (const x of [...d.UserDetailList, ...d.GroupDetailList, ...d.RoleDetailList]) for (const p of x.AttachedManagedPolicies ?? []) policies.add(p.PolicyArn);
    for (const u of d.UserDetailList) {
      for (const g of u.GroupList ?? []) groups.add(g);
      inline += (u.UserPolicyList ?? []).length;
      assignments += new Set(u.GroupList ?? []).size + new Set((u.AttachedManagedPolicies ?? []).map((p: { PolicyArn: string }) => p.PolicyArn)).size + (u.UserPolicyList ?? []).length;
    }
    for (const r of d.RoleDetailList) {
      inline += (r.RolePolicyList ?? []).length;
      assignments += new Set((r.AttachedManagedPolicies ?? []).map((p: { PolicyArn: string }) => p.PolicyArn)).size + (r.RolePolicyList ?? []).length;
    }
    // Group inline policies are entitlements too (held through the group). Inherited: a user holds each policy
    // (attached or inline) of each of its groups, unless the user holds it directly.
    const groupPolicies = new Map<string, string[]>();
    for (const g of d.GroupDetailList) {
      inline += (g.GroupPolicyList ?? []).length;
      groupPolicies.set(g.GroupName, [...(g.AttachedManagedPolicies ?? []).map((p: { PolicyArn: string }) => p.PolicyArn), ...(g.GroupPolicyList ?? []).map((p: { PolicyName: string }) => `${g.Arn}#inline/${p.PolicyName}`)]);
    }
    let inherited = 0;
    for (const u of d.UserDetailList) {
      const own = new Set<string>([...(u.AttachedManagedPolicies ?? []).map((p: { PolicyArn: string }) => p.PolicyArn), ...(u.UserPolicyList ?? []).map((p: { PolicyName: string }) => `${u.Arn}#inline/${p.PolicyName}`)]);
      inherited += new Set((u.GroupList ?? []).flatMap((g: string) => groupPolicies.get(g) ?? []).filter((p: string) => !own.has(p))).size;
    }
    const out = load(rel);
    expect(counts(out.data)).toEqual({ identities: d.UserDetailList.length + d.RoleDetailList.length, entitlements: policies.size + groups.size + inline, assignments, credentials: 0 });
    expect(out.data.assignments.length - assignments).toBe(inherited);
    const role = d.RoleDetailList[0];
    const rid = byId(out.data, role.Arn)!;
    expect(rid.type === 'workload' || rid.type === 'service').toBe(true);
  });

  it('rates a policy that allows * on * as critical, with the reason', () => {
    const rel = 'aws-account-authorization-details/cloudsplaining_example.json';
    const d = json(rel);
    // Independent: a managed policy whose default version has an Allow statement with Action "*" and Resource "*".
    const star = d.Policies.find((p: { PolicyVersionList: { IsDefaultVersion: boolean; Document: { Statement: unknown } }[] }) => {
      const doc = p.PolicyVersionList.find((v) => v.IsDefaultVersion)?.Document;
      const st = Array.isArray(doc?.Statement) ? doc.Statement : [doc?.Statement];
      return st.some((s: { Effect?: string; Action?: unknown; Resource?: unknown }) => s?.Effect === 'Allow' && [s.Action].flat().includes('*') && [s.Resource].flat().includes('*'));
    });
    expect(star).toBeDefined();
    const out = load(rel);
    const e = out.data.entitlements.find((x) => x.id === star.Arn)!;
    expect(e.privilege).toBe('critical');
    expect(e.privilegeReason).toContain('allows * on *');
  });
});

describe.skipIf(!present)('datasets: AWS IAM API responses', () => {
  // Independent: data.Users / data.Groups lengths; a GetGroup response is one group with its Users as members.
  const rels = files('aws-iam-api-responses', '.json').filter((f) => /ListUsers|GetGroup|ListGroups/.test(f));
  it.each(rels)('%s', (rel) => {
    const d = json(rel).data;
    const out = load(rel);
    const users = (d.Users ?? []).length;
    const groups = d.Group ? 1 : (d.Groups ?? []).length;
    expect(counts(out.data)).toEqual({ identities: users, entitlements: groups, assignments: d.Group ? users : 0, credentials: 0 });
    if (users) expect(byId(out.data, d.Users[0].Arn)!.login).toBe(d.Users[0].UserName);
    else expect(out.data.entitlements[0]!.name).toBe(`group ${(d.Group ?? d.Groups[0]).GroupName}`);
  });
  it('refuses the account summary and Access Advisor reports as not identity data', () => {
    for (const rel of files('aws-iam-api-responses', '.json').filter((f) => /summary|last-accessed/.test(f))) {
      const out = importFiles([{ name: rel, bytes: new Uint8Array(raw(rel)) }]);
      expect(out.refused[0]?.message, rel).toMatch(/^not identity data/);
    }
  });
});

// ---- LDIF: an independent scan (unfold, split records on blank lines, last record per DN wins).
function scanLdif(t: string) {
  const body = t.replace(/\r/g, '').replace(/\n /g, '');
  const entries = new Map<string, Map<string, string[]>>();
  const norm = (dn: string) => dn.toLowerCase().split(',').map((p) => p.trim().split('=').map((s) => s.trim()).join('=')).join(',');
  for (const block of body.split(/\n\s*\n/)) {
    const attrs = new Map<string, string[]>();
    for (const line of block.split('\n')) {
      if (line.startsWith('#') || !line.includes(':')) continue;
      const m = /^([^:;]+)(?:;[^:]*)?(::?)\s?(.*)$/.exec(line)!;
      const v = m[2] === '::' ? Buffer.from(m[3]!, 'base64').toString('utf8') : m[3]!.trim();
      const k = m[1]!.toLowerCase();
      attrs.set(k, [...(attrs.get(k) ?? []), v]);
    }
    const dn = attrs.get('dn')?.[0];
    if (dn) entries.set(norm(dn), attrs);
  }
  const PEOPLE = ['person', 'organizationalperson', 'inetorgperson', 'openldapperson', 'posixaccount', 'account'];
  const GROUPS = ['groupofnames', 'groupofuniquenames', 'posixgroup', 'nsmanagedroledefinition', 'nssimpleroledefinition', 'nsroledefinition', 'groupa', 'groupb'];
  const oc = (a: Map<string, string[]>) => (a.get('objectclass') ?? []).map((c) => c.toLowerCase());
  const groups = [...entries].filter(([, a]) => oc(a).some((c) => GROUPS.includes(c)));
  const people = [...entries].filter(([, a]) => !oc(a).some((c) => GROUPS.includes(c)) && oc(a).some((c) => PEOPLE.includes(c)));
  const personKeys = new Set(people.map(([k]) => k));
  const uidToKey = new Map(people.flatMap(([k, a]) => (a.get('uid') ?? []).map((u) => [u.toLowerCase(), k] as const)));
  const groupKeys = new Set(groups.map(([k]) => k));
  const pairs = new Set<string>();
  const stubGroups = new Set<string>();
  for (const [gk, a] of groups) {
    for (const [attr, vals] of a) {
      if (attr === 'memberuid') for (const u of vals) if (uidToKey.has(u.toLowerCase())) pairs.add(`${uidToKey.get(u.toLowerCase())}|${gk}`);
      if (attr === 'member' || attr === 'uniquemember' || attr === 'memberb') for (const v of vals) if (personKeys.has(norm(v))) pairs.add(`${norm(v)}|${gk}`);
    }
  }
  for (const [pk, a] of people) {
    for (const [attr, vals] of a) {
      if (!attr.startsWith('memberof') && attr !== 'nsroledn') continue;
      for (const v of vals) {
        if (!groupKeys.has(norm(v))) stubGroups.add(norm(v));
        pairs.add(`${pk}|${norm(v)}`);
      }
    }
  }
  return { people, groups: groups.length + stubGroups.size, assignments: pairs.size };
}

describe.skipIf(!present)('datasets: LDIF', () => {
  it.each(files('ldif', '.ldif'))('%s', (rel) => {
    const scan = scanLdif(text(rel));
    const out = load(rel);
    expect(counts(out.data)).toEqual({ identities: scan.people.length, entitlements: scan.groups, assignments: scan.assignments, credentials: 0 });
    expect(out.sources[0]!.rowsRejected).toBe(0);
    // Field: the first person's mail (or cn) is carried over.
    const [, a] = scan.people[0]!;
    const dn = a.get('dn')![0]!;
    const id = byId(out.data, dn.trim())!;
    expect(id).toBeDefined();
    if (a.get('mail')) expect(id.email).toBe(a.get('mail')![0]);
    else expect(id.displayName).toBe(a.get('displayname')?.[0] ?? a.get('cn')?.[0] ?? a.get('uid')![0]);
  });
  it('decodes base64 values and unfolds folded lines (openldap test.ldif)', () => {
    const out = load('ldif/openldap_tests_test.ldif');
    const bjensen = out.data.identities.find((i) => i.login === 'bjensen')!;
    expect(bjensen.id).toBe('cn=Barbara Jensen,ou=Information Technology Division,ou=People,dc=example,dc=com');
    expect(bjensen.email).toBe('bjensen@mailgw.example.com');
  });
});

describe.skipIf(!present)('datasets: SCIM', () => {
  // Independent: resources = the object itself, its Resources, or the array. Users have userName (first of
  // each id kept), groups the rest; entitlements = groups ∪ users' groups[].value; identities = users ∪ group
  // members that are users ($ref /Users/ or type User); assignments = users' groups + such members.
  const rels = files('scim', '.json').filter((f) => !/schema|error|patch_op|bulk_request/.test(f));
  it.each(rels)('%s', (rel) => {
    const d = json(rel);
    const res: { id: string; userName?: string; groups?: { value: string }[]; members?: { value: string; $ref?: string; type?: string }[] }[] = Array.isArray(d) ? d : (d.Resources ?? [d]);
    const users = new Map<string, (typeof res)[number]>();
    const groups = new Map<string, (typeof res)[number]>();
    for (const r of res) {
      if (r.userName !== undefined) {
        if (!users.has(r.id)) users.set(r.id, r);
      } else groups.set(r.id, r);
    }
    const ents = new Set(groups.keys());
    const idents = new Set(users.keys());
    const pairs = new Set<string>();
    for (const u of users.values()) for (const g of u.groups ?? []) {
      ents.add(g.value);
      pairs.add(`${u.id}|${g.value}`);
    }
    for (const g of groups.values()) for (const m of g.members ?? []) {
      if (m.type === 'Group' || m.$ref?.includes('/Groups/')) continue;
      idents.add(m.value);
      pairs.add(`${m.value}|${g.id}`);
    }
    const out = load(rel);
    expect(counts(out.data)).toEqual({ identities: idents.size, entitlements: ents.size, assignments: pairs.size, credentials: 0 });
    const firstUser = [...users.values()][0];
    if (firstUser) expect(byId(out.data, `scim:${firstUser.id}`)!.login).toBe(firstUser.userName);
    else expect(out.data.entitlements.map((e) => e.id)).toContain(`scim:${[...groups.keys()][0]}`);
  });
  it('reads the enterprise extension (employeeNumber, department, manager)', () => {
    const out = load('scim/scim2models_rfc7643-8.3-enterprise_user.json');
    const u = out.data.identities[0]!;
    expect(u).toMatchObject({ employeeId: '701984', department: 'Tour Operations', managerId: 'scim:26118915-6090-4610-87e4-49d8ca9f808d', email: 'bjensen@example.com', status: 'active' });
  });
  it('rejects a second user with an id already used in the same file, naming both', () => {
    const out = load('scim/i2scim_TestUsers.json');
    expect(out.files[0]!.rowsRejected).toBe(1);
    expect(out.files[0]!.errors[0]!.message).toMatch(/duplicate user id "2819c223/);
  });
});

describe.skipIf(!present)('datasets: Entra ID / Graph', () => {
  it('ScubaGear ProviderSettingsExport: privileged users and service principals with their roles', () => {
    const rel = 'entra-msgraph/scubagear_sample_ProviderSettingsExport_AAD_subset.json';
    const d = json(rel);
    // Independent: principals = keys of the two dictionaries; roles = privileged_roles names ∪ every role name
    // listed on a principal; assignments = distinct roles per principal.
    const principals = { ...d.privileged_users, ...d.privileged_service_principals } as Record<string, { roles: string[] }>;
    const roles = new Set<string>([...d.privileged_roles.map((r: { DisplayName: string }) => r.DisplayName), ...Object.values(principals).flatMap((p) => p.roles)]);
    const assignments = Object.values(principals).reduce((n, p) => n + new Set(p.roles).size, 0);
    const out = load(rel);
    expect(counts(out.data)).toEqual({ identities: Object.keys(principals).length, entitlements: roles.size, assignments, credentials: 0 });
    const ga = out.data.entitlements.find((e) => e.name === 'Global Administrator')!;
    expect(ga.privilege).toBe('critical');
    expect(byId(out.data, 'entra:b3a51547-3f8c-475b-83f7-315ecc411111')!.typeReason).toBe('Entra service principal');
  });
  it('PowerShell service principals (UTF-16LE with BOM): identities and their key/password credentials', () => {
    const rel = 'entra-msgraph/scubagear_MockServicePrincipals.utf16.json';
    const d = json(rel) as { Id: string; KeyCredentials: unknown[] | null; PasswordCredentials: unknown[] | null; FederatedIdentityCredentials: unknown[] | null }[];
    const creds = d.reduce((n, sp) => n + (sp.KeyCredentials ?? []).length + (sp.PasswordCredentials ?? []).length + (sp.FederatedIdentityCredentials ?? []).length, 0);
    const out = load(rel);
    expect(counts(out.data)).toEqual({ identities: d.length, entitlements: 0, assignments: 0, credentials: creds });
    const c = out.data.credentials.find((x) => x.kind === 'client-secret')!;
    expect(c.expiresAt).toBe(new Date(4102444800000).toISOString());
  });
  it('PowerShell applications: requested API permissions as entitlements, credentials', () => {
    const rel = 'entra-msgraph/scubagear_MockApplications.utf16.json';
    const d = json(rel) as { Id: string; RequiredResourceAccess: { ResourceAccess: { Id: string; Type: string }[] }[]; KeyCredentials: unknown[] | null; PasswordCredentials: unknown[] | null; FederatedIdentityCredentials: unknown[] | null }[];
    const perms = new Set(d.flatMap((a) => a.RequiredResourceAccess.flatMap((r) => r.ResourceAccess.map((x) => `${x.Type}:${x.Id}`))));
    const assignments = d.reduce((n, a) => n + new Set(a.RequiredResourceAccess.flatMap((r) => r.ResourceAccess.map((x) => `${x.Type}:${x.Id}`))).size, 0);
    const creds = d.reduce((n, a) => n + (a.KeyCredentials ?? []).length + (a.PasswordCredentials ?? []).length + (a.FederatedIdentityCredentials ?? []).length, 0);
    const out = load(rel);
    expect(counts(out.data)).toEqual({ identities: d.length, entitlements: perms.size, assignments, credentials: creds });
    expect(out.data.entitlements.find((e) => e.name === 'RoleManagement.ReadWrite.Directory')!.privilege).toBe('critical');
  });
  it('app role assignments without principals: the roles as entitlements', () => {
    const rel = 'entra-msgraph/scubagear_MockServicePrincipalAppRoleAssignments.utf16.json';
    const d = json(rel) as { AppRoleId: string; RoleDisplayName: string }[];
    const out = load(rel);
    expect(counts(out.data)).toEqual({ identities: 0, entitlements: new Set(d.map((x) => x.AppRoleId)).size, assignments: 0, credentials: 0 });
    expect(out.data.entitlements.map((e) => e.name)).toContain(d[0]!.RoleDisplayName);
  });
  it('Dev Proxy mocks of Graph responses: users with signInActivity, groups, roles', () => {
    const rel = 'entra-msgraph/msgraph_v1_identity_mocks_subset.devproxy.json';
    const d = json(rel) as { mocks: { request: { url: string }; response: { body: unknown } }[] };
    // Independent, two bounds: (1) every object returned by GET /users or /users/{id} (or typed
    // #microsoft.graph.user, or carrying a userPrincipalName) is a user identity, keyed by id, UPN, mail or
    // name; (2) every user identity's key occurs somewhere in the file (nothing is invented).
    const users = new Set<string>();
    const walk = (o: unknown, top: boolean, path: string) => {
      if (Array.isArray(o)) return o.forEach((x) => walk(x, top, path));
      if (!o || typeof o !== 'object') return;
      const r = o as Record<string, unknown>;
      const s = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : undefined);
      const typed = s('@odata.type');
      const isUser = typed === '#microsoft.graph.user' || s('userPrincipalName') !== undefined || (top && !typed && /^users(\/\*)?$/.test(path));
      const key = s('id') ?? s('userPrincipalName') ?? s('mail') ?? (s('displayName') ? `name:${s('displayName')}` : undefined);
      if (isUser && key && (top || s('id'))) users.add(key.toLowerCase());
      if (Array.isArray(r.value)) walk(r.value, true, path);
      if (Array.isArray(r.members)) walk(r.members, false, path);
    };
    for (const m of d.mocks) walk(m.response.body, true, m.request.url.split('?')[0]!.replace('https://graph.microsoft.com/v1.0/', ''));
    const out = load(rel);
    const parsed = new Set(out.data.identities.filter((i) => /^Entra (guest )?user/.test(i.typeReason ?? '')).map((i) => i.id.replace(/^entra:/, '')));
    for (const u of users) expect(parsed, u).toContain(u);
    const rawText = text(rel).toLowerCase();
    for (const p of parsed) expect(rawText).toContain(p.replace(/^name:/, ''));
    expect(parsed.size).toBeGreaterThanOrEqual(users.size);
    const signedIn = out.data.identities.find((i) => i.lastLoginAt);
    expect(signedIn?.lastLoginAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(out.data.entitlements.some((e) => e.name === 'Global Administrator' || e.privilege === 'critical')).toBe(true);
  });
});

describe.skipIf(!present)('datasets: Okta', () => {
  // Independent: the top-level array's length (users, groups) or its distinct role types.
  it.each(['okta/okta_api_v1_users_list.json', 'okta/okta_api_v1_group_users.json'])('%s', (rel) => {
    const d = json(rel) as { id: string; status: string; lastLogin: string | null; profile: { login: string; email: string } }[];
    const out = load(rel);
    expect(counts(out.data)).toEqual({ identities: d.length, entitlements: 0, assignments: 0, credentials: 0 });
    const withLogin = d.find((u) => u.lastLogin) ?? d[0]!;
    const id = byId(out.data, `okta:${withLogin.id}`)!;
    expect(id.login).toBe(withLogin.profile.login);
    expect(id.sourceStatus).toBe(withLogin.status);
    if (withLogin.lastLogin) expect(id.lastLoginAt).toBe(new Date(withLogin.lastLogin).toISOString());
  });
  it('okta/okta_api_v1_groups_list.json', () => {
    const d = json('okta/okta_api_v1_groups_list.json') as { id: string; profile: { name: string } }[];
    const out = load('okta/okta_api_v1_groups_list.json');
    expect(counts(out.data)).toEqual({ identities: 0, entitlements: d.length, assignments: 0, credentials: 0 });
    expect(out.data.entitlements.find((e) => e.id === `okta:${d[0]!.id}`)!.name).toBe(d[0]!.profile.name);
  });
  it('okta/okta_api_v1_user_roles.json', () => {
    const d = json('okta/okta_api_v1_user_roles.json') as { type: string; label: string }[];
    const out = load('okta/okta_api_v1_user_roles.json');
    expect(counts(out.data)).toEqual({ identities: 0, entitlements: new Set(d.map((r) => r.type)).size, assignments: 0, credentials: 0 });
    expect(out.data.entitlements[0]!.name).toBe(d[0]!.label);
  });
});

describe.skipIf(!present)('datasets: Google Cloud IAM', () => {
  // Independent: body.bindings; entitlements = distinct roles; identities = distinct members with a known
  // prefix (or allUsers/allAuthenticatedUsers); assignments = distinct (member, role); a member without a
  // prefix is one rejected row. Service account lists: body.accounts.
  it.each(files('gcp-iam', '.json'))('%s', (rel) => {
    const body = json(rel).body;
    const out = load(rel);
    if (body.accounts) {
      expect(counts(out.data)).toEqual({ identities: body.accounts.length, entitlements: 0, assignments: 0, credentials: 0 });
      expect(byId(out.data, `gcp:serviceAccount:${body.accounts[0].email.toLowerCase()}`)!.type).toBe('service');
      return;
    }
    const valid = (m: string) => m === 'allUsers' || m === 'allAuthenticatedUsers' || /^(user|serviceAccount|group|domain|deleted):./.test(m);
    const members = new Set<string>();
    const pairs = new Set<string>();
    let bad = 0;
    for (const b of body.bindings as { role: string; members: string[] }[]) {
      for (const m of b.members) {
        if (!valid(m)) {
          bad++;
          continue;
        }
        members.add(m.toLowerCase());
        pairs.add(`${m.toLowerCase()}|${b.role}`);
      }
    }
    expect(counts(out.data)).toEqual({ identities: members.size, entitlements: new Set(body.bindings.map((b: { role: string }) => b.role)).size, assignments: pairs.size, credentials: 0 });
    expect(out.sources[0]!.rowsRejected).toBe(bad);
    const sa = [...members].find((m) => m.startsWith('serviceaccount:'));
    if (sa) expect(out.data.identities.find((i) => i.id.toLowerCase() === `gcp:${sa}`)!.typeReason).toMatch(/serviceAccount/);
  });
});

describe.skipIf(!present)('datasets: Kubernetes RBAC', () => {
  // Independent: yaml documents (List items flattened). Identities = distinct subjects (kind/namespace/name) of
  // bindings + ServiceAccount objects; entitlements = distinct scoped roleRefs (RoleBinding: namespace-scoped)
  // ∪ defined Roles/ClusterRoles; assignments = distinct (subject, scoped role).
  it.each(files('kubernetes-rbac', '.yaml'))('%s', (rel) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const objs: any[] = parseAllDocuments(text(rel)).flatMap((d) => {
      const v = d.toJS();
      return v?.kind === 'List' ? v.items : [v];
    });
    const subjects = new Set<string>();
    const roles = new Set<string>();
    const pairs = new Set<string>();
    for (const o of objs) {
      if (!o) continue;
      if (o.kind === 'Role') roles.add(`${o.metadata.namespace ?? 'default'}:Role/${o.metadata.name}`);
      if (o.kind === 'ClusterRole') roles.add(`cluster:ClusterRole/${o.metadata.name}`);
      if (o.kind === 'ServiceAccount') subjects.add(`ServiceAccount/${o.metadata.namespace ?? 'default'}/${o.metadata.name}`);
      if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') continue;
      const scope = o.kind === 'RoleBinding' ? (o.metadata.namespace ?? 'default') : 'cluster';
      const role = `${scope}:${o.roleRef.kind}/${o.roleRef.name}`;
      roles.add(role);
      for (const s of o.subjects ?? []) {
        const key = s.kind === 'ServiceAccount' ? `ServiceAccount/${s.namespace ?? o.metadata.namespace ?? 'default'}/${s.name}` : `${s.kind}/${s.name}`;
        subjects.add(key);
        pairs.add(`${key}|${role}`);
      }
    }
    // Inherited: a subject bound to an aggregated ClusterRole holds (in the binding's scope) every ClusterRole whose
    // labels match one of its selectors; ServiceAccounts hold what system:serviceaccounts[:their namespace] is bound to.
    const labels = new Map<string, Record<string, string>>(objs.filter((o) => o?.kind === 'ClusterRole').map((o) => [o.metadata.name, o.metadata.labels ?? {}]));
    const parts = new Map<string, string[]>();
    for (const o of objs) {
      const sels: Record<string, string>[] = (o?.kind === 'ClusterRole' ? (o.aggregationRule?.clusterRoleSelectors ?? []) : []).map((x: { matchLabels?: Record<string, string> }) => x.matchLabels ?? {});
      if (sels.length) parts.set(o.metadata.name, [...labels].filter(([n, l]) => n !== o.metadata.name && sels.some((sel) => Object.entries(sel).every(([k, v]) => l[k] === v))).map(([n]) => n));
    }
    const effective = new Set(pairs);
    for (const p of pairs) {
      const [subject, role] = p.split('|') as [string, string];
      const saGroup = /^Group\/system:serviceaccounts(?::(.+))?$/.exec(subject);
      if (saGroup) for (const sa of subjects) if (sa.startsWith(`ServiceAccount/${saGroup[1] ? `${saGroup[1]}/` : ''}`)) effective.add(`${sa}|${role}`);
    }
    for (const p of [...effective]) {
      const [subject, role] = p.split('|') as [string, string];
      const m = /^(.*):ClusterRole\/(.*)$/.exec(role);
      for (const c of (m && parts.get(m[2]!)) || []) {
        roles.add(`${m![1]}:ClusterRole/${c}`);
        effective.add(`${subject}|${m![1]}:ClusterRole/${c}`);
      }
    }
    const out = load(rel);
    expect(counts(out.data)).toEqual({ identities: subjects.size, entitlements: roles.size, assignments: pairs.size, credentials: 0 });
    expect(out.data.assignments).toHaveLength(effective.size);
    const sa = [...subjects].find((s) => s.startsWith('ServiceAccount/'));
    if (sa) expect(byId(out.data, `k8s:${sa}`)!.typeReason).toBe('Kubernetes ServiceAccount');
  });
  it('rates cluster-admin critical and system:masters is bound to it', () => {
    const out = load('kubernetes-rbac/k8s_bootstrappolicy_cluster-role-bindings.yaml');
    const e = out.data.entitlements.find((x) => x.id === 'k8s:cluster:ClusterRole/cluster-admin')!;
    expect(e.privilege).toBe('critical');
    expect(out.data.assignments).toContainEqual(expect.objectContaining({ identityId: 'k8s:Group/system:masters', entitlementId: e.id }));
  });
});

describe.skipIf(!present)('datasets: user–permission pair lists (HP role-mining benchmarks)', () => {
  // Independent: whitespace split of every non-empty line; distinct first / second columns / pairs.
  it.each(files('role-mining-benchmarks/hp', '.txt'))('%s', (rel) => {
    const pairs = text(rel)
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((p) => p.length === 2);
    const out = load(rel);
    expect(counts(out.data)).toEqual({ identities: new Set(pairs.map((p) => p[0])).size, entitlements: new Set(pairs.map((p) => p[1])).size, assignments: new Set(pairs.map((p) => p.join(' '))).size, credentials: 0 });
    const stem = rel.split('/').pop()!.replace('.txt', '');
    expect(out.data.assignments[0]).toMatchObject({ identityId: `${stem}:user:${pairs[0]![0]}`, entitlementId: `${stem}:permission:${pairs[0]![1]}`, usageKnown: false });
  });
  it('refuses the statistics CSV and the reference catalogues', () => {
    for (const rel of ['role-mining-benchmarks/hp/hp_benchmark_stats.csv', ...files('least-privilege-reference', '.json'), ...files('aws-iam-policy-documents', '.json')]) {
      const out = importFiles([{ name: rel, bytes: new Uint8Array(raw(rel)) }]);
      expect(out.refused, rel).toHaveLength(1);
      expect(out.data.identities).toHaveLength(0);
    }
  });
});
