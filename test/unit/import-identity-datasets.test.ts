// Identity-level evidence on the real exports in ../shared/datasets (issue 17, observations 6 and 8): the expected
// values are read here from the raw files by a plain walk, not through the parsers.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';

const repoRoot = resolve(__dirname, '../..');
const DATASETS = process.env.ARW_DATASETS ?? resolve(repoRoot, '../shared/datasets');
const present = existsSync(DATASETS);
if (!present) console.warn(`import-identity-datasets: skipped, dataset folder ${DATASETS} not found (set ARW_DATASETS)`);

const raw = (rel: string) => readFileSync(join(DATASETS, rel));
const text = (rel: string) => new TextDecoder().decode(raw(rel)).replace(/^\uFEFF/, '');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (rel: string): any => JSON.parse(text(rel));
const files = (dir: string, ext: string) =>
  present
    ? readdirSync(join(DATASETS, dir))
        .filter((f) => f.endsWith(ext))
        .map((f) => `${dir}/${f}`)
    : [];
function load(rel: string) {
  const out = importFiles([{ name: rel, bytes: new Uint8Array(raw(rel)) }]);
  expect(out.refused).toEqual([]);
  return out.data;
}
const iso = (v: string) => new Date(v).toISOString();

describe.skipIf(!present)('datasets: AWS credential reports carry MFA, password sign-in and the root user', () => {
  const reports = files('aws-iam-credential-report', '.csv');
  it.each(reports)('%s', (rel) => {
    const lines = text(rel)
      .split('\n')
      .filter((l) => l.trim());
    const header = lines[0]!.split(',');
    const all = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i]!, v])) as Record<string, string>);
    // A second row for an ARN is rejected; the first is the one stored.
    const rows = all.filter((r, i) => all.findIndex((x) => x.arn === r.arn) === i);
    const d = load(rel);
    for (const r of rows) {
      const id = d.identities.find((i) => i.id === r.arn)!;
      expect(id, r.arn).toBeDefined();
      expect(id.mfa, r.arn).toBe(r.mfa_active!.toLowerCase() === 'true');
      const used = /^\d{4}-/.test(r.password_last_used!) ? iso(r.password_last_used!) : undefined;
      expect(id.passwordLastUsedAt, r.arn).toBe(used);
      if (r.user === '<root_account>') {
        expect(id).toMatchObject({ type: 'system', specialAccount: 'root' });
        expect(id.passwordLogin).toBe(used ? true : undefined);
      } else expect(id.specialAccount).toBeUndefined();
    }
  });
  it('at least one report has a root user that signed in with its password', () => {
    const withRootSignIn = reports.filter((rel) => /^<root_account>,[^,]*,[^,]*,[^,]*,\d{4}-/m.test(text(rel)));
    expect(withRootSignIn.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!present)('datasets: Okta users list', () => {
  it('lifecycle states from the status word, the word kept, and lastLogin', () => {
    const rel = 'okta/okta_api_v1_users_list.json';
    const users = json(rel) as { id: string; status: string; lastLogin: string | null }[];
    const expected: Record<string, string> = {
      STAGED: 'never-activated',
      PROVISIONED: 'never-activated',
      LOCKED_OUT: 'suspended',
      SUSPENDED: 'suspended',
      DEPROVISIONED: 'terminated',
    };
    const d = load(rel);
    for (const u of users) {
      const id = d.identities.find((i) => i.id === `okta:${u.id}`)!;
      expect({ status: id.status, sourceStatus: id.sourceStatus, lastLoginAt: id.lastLoginAt }, u.id).toEqual({
        status: expected[u.status] ?? 'active',
        sourceStatus: u.status,
        lastLoginAt: u.lastLogin ? iso(u.lastLogin) : undefined,
      });
    }
    // The file holds every kind the mapping must handle.
    expect(new Set(users.map((u) => u.status))).toEqual(
      new Set(['ACTIVE', 'STAGED', 'PROVISIONED', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'SUSPENDED']),
    );
  });
});

describe.skipIf(!present)('datasets: Entra signInActivity', () => {
  it('the last sign-in is the latest of interactive and non-interactive, "0001-01-01" meaning never', () => {
    const rel = 'entra-msgraph/msgraph_v1_identity_mocks_subset.devproxy.json';
    const withSignIn: { id: string; signInActivity: Record<string, string> }[] = [];
    for (const m of json(rel).mocks) {
      const value = m.response?.body?.value;
      // The first record of a user is the one whose fields are kept.
      if (Array.isArray(value)) for (const u of value) if (u.signInActivity && !withSignIn.some((x) => x.id === u.id)) withSignIn.push(u);
    }
    expect(withSignIn.length).toBeGreaterThan(0);
    const d = load(rel);
    let differs = 0;
    for (const u of withSignIn) {
      const s = u.signInActivity;
      const dates = [s.lastSignInDateTime, s.lastNonInteractiveSignInDateTime, s.lastSuccessfulSignInDateTime]
        .filter((v): v is string => !!v && !v.startsWith('0001-'))
        .map(iso)
        .sort();
      expect(d.identities.find((i) => i.id === `entra:${u.id.toLowerCase()}`)!.lastLoginAt, u.id).toBe(dates.at(-1));
      if (s.lastSignInDateTime && dates.at(-1) !== iso(s.lastSignInDateTime)) differs++;
    }
    // At least one user's latest sign-in is a non-interactive one (the case the old reading missed).
    expect(differs).toBeGreaterThan(0);
  });
});

describe.skipIf(!present)('datasets: Kubernetes and Google Cloud principals that are not people', () => {
  // The files that bind a User or Group subject (the others bind only service accounts).
  const withUsersOrGroups = files('kubernetes-rbac', '.yaml').filter((rel) => /kind:\s*(User|Group)\s*$/m.test(text(rel)));
  it('some files bind users or groups', () => expect(withUsersOrGroups.length).toBeGreaterThan(1));
  it.each(withUsersOrGroups)('%s: system: users and every group are not human', (rel) => {
    const subjects = new Map<string, string>();
    for (const doc of parseAllDocuments(text(rel))) {
      const o = doc.toJS();
      for (const item of o?.kind === 'List' ? (o.items ?? []) : [o])
        for (const s of item?.subjects ?? []) if (s.kind === 'User' || s.kind === 'Group') subjects.set(`k8s:${s.kind}/${s.name}`, s.name);
    }
    const d = load(rel);
    expect(subjects.size).toBeGreaterThan(0);
    for (const [id, name] of subjects) {
      const i = d.identities.find((x) => x.id === id)!;
      expect(i, id).toBeDefined();
      if (id.startsWith('k8s:Group/') || name.startsWith('system:')) expect(i.type, id).not.toBe('human');
    }
  });
  it('bootstrap bindings: system:unauthenticated and system:authenticated are system principals standing for the public', () => {
    const d = load('kubernetes-rbac/k8s_bootstrappolicy_cluster-role-bindings.yaml');
    for (const g of ['system:unauthenticated', 'system:authenticated'])
      expect(
        d.identities.find((i) => i.id === `k8s:Group/${g}`),
        g,
      ).toMatchObject({ type: 'system', principal: 'public' });
  });
  it('Google Cloud organisation policy: allUsers and groups are not human', () => {
    const rel = 'gcp-iam/custodian_organization_getIamPolicy.json';
    const members = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          if (k === 'members' && Array.isArray(x)) x.forEach((m) => members.add(String(m)));
          else walk(x);
        }
    };
    walk(json(rel));
    const sets = [...members].filter(
      (m) => m === 'allUsers' || m === 'allAuthenticatedUsers' || m.startsWith('group:') || m.startsWith('domain:'),
    );
    expect(sets.length).toBeGreaterThan(0);
    const d = load(rel);
    for (const m of sets) {
      const i = d.identities.find(
        (x) =>
          x.id === (m.startsWith('all') ? `gcp:${m}` : `gcp:${m.slice(0, m.indexOf(':'))}:${m.slice(m.indexOf(':') + 1).toLowerCase()}`),
      )!;
      expect(i, m).toMatchObject({ type: 'system' });
    }
  });
});

describe.skipIf(!present)('datasets: LDIF exports without AD attributes invent no identity evidence', () => {
  it.each(files('ldif', '.ldif'))('%s', (rel) => {
    const t = text(rel);
    const d = load(rel);
    // None of these OpenLDAP / 389 DS samples carries userAccountControl, lockout or sign-in attributes.
    expect(/^(userAccountControl|lastLogonTimestamp|pwdAccountLockedTime|nsAccountLock|lockoutTime):/im.test(t)).toBe(false);
    expect(
      d.identities.filter(
        (i) => i.passwordNeverExpires !== undefined || i.mfa !== undefined || i.lastLoginAt !== undefined || i.status !== 'active',
      ),
    ).toEqual([]);
  });
});
