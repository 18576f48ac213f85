// The directory datasets in ../shared/datasets (LDIF, SCIM, Entra ID / Graph, Okta) import without editing, and their
// identity, entitlement, assignment and credential counts match figures derived here independently from the raw file
// (a plain scan of the text or a direct walk of the parsed JSON, not through the parsers), plus at least one field.
import { describe, expect, it } from 'vitest';
import { byId, counts, files, json, load, present, text } from './import-datasets-files';

// ---- LDIF: an independent scan (unfold, split records on blank lines, last record per DN wins).
function scanLdif(t: string) {
  const body = t.replace(/\r/g, '').replace(/\n /g, '');
  const entries = new Map<string, Map<string, string[]>>();
  const norm = (dn: string) =>
    dn
      .toLowerCase()
      .split(',')
      .map((p) =>
        p
          .trim()
          .split('=')
          .map((s) => s.trim())
          .join('='),
      )
      .join(',');
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
  const GROUPS = [
    'groupofnames',
    'groupofuniquenames',
    'posixgroup',
    'nsmanagedroledefinition',
    'nssimpleroledefinition',
    'nsroledefinition',
    'groupa',
    'groupb',
  ];
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
      if (attr === 'memberuid')
        for (const u of vals) if (uidToKey.has(u.toLowerCase())) pairs.add(`${uidToKey.get(u.toLowerCase())}|${gk}`);
      if (attr === 'member' || attr === 'uniquemember' || attr === 'memberb')
        for (const v of vals) if (personKeys.has(norm(v))) pairs.add(`${norm(v)}|${gk}`);
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
    expect(counts(out.data)).toEqual({
      identities: scan.people.length,
      entitlements: scan.groups,
      assignments: scan.assignments,
      credentials: 0,
    });
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
    const res: {
      id: string;
      userName?: string;
      groups?: { value: string }[];
      members?: { value: string; $ref?: string; type?: string }[];
    }[] = Array.isArray(d) ? d : (d.Resources ?? [d]);
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
    for (const u of users.values())
      for (const g of u.groups ?? []) {
        ents.add(g.value);
        pairs.add(`${u.id}|${g.value}`);
      }
    for (const g of groups.values())
      for (const m of g.members ?? []) {
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
    expect(u).toMatchObject({
      employeeId: '701984',
      department: 'Tour Operations',
      managerId: 'scim:26118915-6090-4610-87e4-49d8ca9f808d',
      email: 'bjensen@example.com',
      status: 'active',
    });
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
    const roles = new Set<string>([
      ...d.privileged_roles.map((r: { DisplayName: string }) => r.DisplayName),
      ...Object.values(principals).flatMap((p) => p.roles),
    ]);
    const assignments = Object.values(principals).reduce((n, p) => n + new Set(p.roles).size, 0);
    const out = load(rel);
    expect(counts(out.data)).toEqual({ identities: Object.keys(principals).length, entitlements: roles.size, assignments, credentials: 0 });
    const ga = out.data.entitlements.find((e) => e.name === 'Global Administrator')!;
    expect(ga.privilege).toBe('critical');
    expect(byId(out.data, 'entra:b3a51547-3f8c-475b-83f7-315ecc411111')!.typeReason).toBe('Entra service principal');
  });
  it('PowerShell service principals (UTF-16LE with BOM): identities and their key/password credentials', () => {
    const rel = 'entra-msgraph/scubagear_MockServicePrincipals.utf16.json';
    const d = json(rel) as {
      Id: string;
      KeyCredentials: unknown[] | null;
      PasswordCredentials: unknown[] | null;
      FederatedIdentityCredentials: unknown[] | null;
    }[];
    const creds = d.reduce(
      (n, sp) =>
        n + (sp.KeyCredentials ?? []).length + (sp.PasswordCredentials ?? []).length + (sp.FederatedIdentityCredentials ?? []).length,
      0,
    );
    const out = load(rel);
    expect(counts(out.data)).toEqual({ identities: d.length, entitlements: 0, assignments: 0, credentials: creds });
    const c = out.data.credentials.find((x) => x.kind === 'client-secret')!;
    expect(c.expiresAt).toBe(new Date(4102444800000).toISOString());
  });
  it('PowerShell applications: requested API permissions as entitlements, credentials', () => {
    const rel = 'entra-msgraph/scubagear_MockApplications.utf16.json';
    const d = json(rel) as {
      Id: string;
      RequiredResourceAccess: { ResourceAccess: { Id: string; Type: string }[] }[];
      KeyCredentials: unknown[] | null;
      PasswordCredentials: unknown[] | null;
      FederatedIdentityCredentials: unknown[] | null;
    }[];
    const perms = new Set(d.flatMap((a) => a.RequiredResourceAccess.flatMap((r) => r.ResourceAccess.map((x) => `${x.Type}:${x.Id}`))));
    const assignments = d.reduce(
      (n, a) => n + new Set(a.RequiredResourceAccess.flatMap((r) => r.ResourceAccess.map((x) => `${x.Type}:${x.Id}`))).size,
      0,
    );
    const creds = d.reduce(
      (n, a) => n + (a.KeyCredentials ?? []).length + (a.PasswordCredentials ?? []).length + (a.FederatedIdentityCredentials ?? []).length,
      0,
    );
    const out = load(rel);
    expect(counts(out.data)).toEqual({ identities: d.length, entitlements: perms.size, assignments, credentials: creds });
    expect(out.data.entitlements.find((e) => e.name === 'RoleManagement.ReadWrite.Directory')!.privilege).toBe('critical');
  });
  it('app role assignments without principals: the roles as entitlements', () => {
    const rel = 'entra-msgraph/scubagear_MockServicePrincipalAppRoleAssignments.utf16.json';
    const d = json(rel) as { AppRoleId: string; RoleDisplayName: string }[];
    const out = load(rel);
    expect(counts(out.data)).toEqual({
      identities: 0,
      entitlements: new Set(d.map((x) => x.AppRoleId)).size,
      assignments: 0,
      credentials: 0,
    });
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
      const isUser =
        typed === '#microsoft.graph.user' || s('userPrincipalName') !== undefined || (top && !typed && /^users(\/\*)?$/.test(path));
      const key = s('id') ?? s('userPrincipalName') ?? s('mail') ?? (s('displayName') ? `name:${s('displayName')}` : undefined);
      if (isUser && key && (top || s('id'))) users.add(key.toLowerCase());
      if (Array.isArray(r.value)) walk(r.value, true, path);
      if (Array.isArray(r.members)) walk(r.members, false, path);
    };
    for (const m of d.mocks) walk(m.response.body, true, m.request.url.split('?')[0]!.replace('https://graph.microsoft.com/v1.0/', ''));
    const out = load(rel);
    const parsed = new Set(
      out.data.identities.filter((i) => /^Entra (guest )?user/.test(i.typeReason ?? '')).map((i) => i.id.replace(/^entra:/, '')),
    );
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
