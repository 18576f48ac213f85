// Importers that carry nesting fill effective access: hand-made nested inputs (test/fixtures/nested) with their
// expected effective sets and paths, cycles included.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import type { SnapshotData } from '../../shared/model';

const fixture = (name: string) => ({ name, bytes: new Uint8Array(readFileSync(resolve(__dirname, '../fixtures/nested', name))) });
function load(...names: string[]) {
  const out = importFiles(names.map(fixture));
  expect(out.refused).toEqual([]);
  return out.data;
}
/** "identity > entitlement [path]" with ids shortened by `short`, sorted. */
function effective(d: SnapshotData, short: (id: string) => string) {
  return d.assignments.map((a) => `${short(a.identityId)} > ${short(a.entitlementId)} [${(a.path ?? []).map(short).join(' → ')}]`).sort();
}
const rdn = (dn: string) => /^[^=]+=([^,]+)/.exec(dn)?.[1] ?? dn;

describe('LDIF nesting', () => {
  it('OpenLDAP style (member / uniqueMember naming groups): chains, paths, a cycle', () => {
    const d = load('openldap-nested.ldif');
    expect(effective(d, rdn)).toEqual([
      'ann > ap-team []',
      'ann > erp-payments-approve [ap-team → finance-all]',
      'ann > finance-all [ap-team]',
      'bob > erp-payments-approve [finance-all]',
      'bob > finance-all []',
      'cyd > loop-a []',
      'cyd > loop-b [loop-a]',
    ]);
    expect(d.cycles?.map((c) => c.map(rdn))).toEqual([['loop-a', 'loop-b']]);
    const erp = d.assignments.find((a) => a.identityId.startsWith('uid=ann') && rdn(a.entitlementId) === 'erp-payments-approve')!;
    expect(erp.derivedFrom).toEqual(['cn=ap-team,ou=groups,dc=example,dc=com']);
    expect(erp.usageKnown).toBe(false);
  });

  it('AD style (memberOf on people and groups): shortest path through a diamond, a group known only from memberOf, a cycle', () => {
    const d = load('ad-memberof.ldif');
    expect(effective(d, rdn)).toEqual([
      'Dana Ops > Helpdesk []',
      'Dana Ops > Ops Team []',
      'Dana Ops > Remote Desktop Users [Helpdesk]',
      'Dana Ops > Server Operators [Ops Team]',
    ]);
    const so = d.assignments.find((a) => rdn(a.entitlementId) === 'Server Operators')!;
    expect(so.derivedFrom!.map(rdn)).toEqual(['Ops Team', 'Helpdesk']);
    expect(d.entitlements.find((e) => rdn(e.id) === 'Server Operators')!.description).toMatch(/known from memberof only/);
    expect(d.cycles?.map((c) => c.map(rdn))).toEqual([['Helpdesk', 'Remote Desktop Users']]);
  });
});

describe('Entra / Graph nesting', () => {
  const name = (d: SnapshotData) => {
    const names = new Map<string, string>([
      ...d.identities.map((i) => [i.id, i.displayName] as const),
      ...d.entitlements.map((e) => [e.id, e.name] as const),
    ]);
    return (id: string) => names.get(id) ?? id;
  };
  it('nested groups ($expand=members with group members) and a group-based app role assignment', () => {
    const d = load('entra-groups.json', 'entra-app-role-assignments.json');
    const people = effective(d, name(d)).filter((l) => !l.startsWith('Finance All >'));
    expect(people).toEqual(
      [
        'Ann Payables > AP Team []',
        'Ann Payables > Finance All [AP Team]',
        'Ann Payables > ERP role 33333333-0000-0000-0000-000000000001 [AP Team → Finance All]',
        'Bob Finance > ERP role 33333333-0000-0000-0000-000000000001 [Finance All]',
        'Bob Finance > Finance All []',
        'Cy Loop > Cycle A []',
        'Cy Loop > Cycle B [Cycle A]',
      ]
        .map((l) => l.replace('ERP role ', ''))
        .sort(),
    );
    expect(d.cycles?.map((c) => c.map(name(d)))).toEqual([['Cycle A', 'Cycle B']]);
  });
});

describe('AWS authorization details: user → group → managed and inline policies', () => {
  it('each policy of each group, with the group as its path; a policy held directly stays direct', () => {
    const d = load('aws-authorization-details.json');
    const short = (id: string) => id.replace('arn:aws:iam::111122223333:', '').replace('arn:aws:iam::aws:policy/', 'policy/');
    expect(effective(d, short)).toEqual(
      [
        'user/alice > group/Admins #inline/break-glass [group/Admins]',
        'user/alice > group/Admins []',
        'user/alice > group/Devs []',
        'user/alice > policy/AdministratorAccess [group/Admins]',
        'user/alice > policy/ReadOnlyAccess []',
        'user/bob > group/Devs []',
        'user/bob > policy/ReadOnlyAccess [group/Devs]',
      ]
        .map((l) => l.replace('group/Admins #', 'group/Admins#'))
        .sort(),
    );
    expect(d.entitlements.find((e) => e.id.endsWith('group/Admins#inline/break-glass'))!.privilege).toBe('critical');
    expect(d.links?.every((l) => l.kind === 'policy')).toBe(true);
  });
});

describe('Kubernetes RBAC: aggregated ClusterRoles and the implicit ServiceAccount groups', () => {
  it('a user bound to an aggregate holds its parts; the ServiceAccounts of a namespace hold what its group is bound to', () => {
    const d = load('k8s-nested.yaml');
    const short = (id: string) => id.replace(/^k8s:/, '');
    expect(effective(d, short).filter((l) => !l.startsWith('Group/'))).toEqual([
      'ServiceAccount/ci/builder > ci:ClusterRole/secret-reader [Group/system:serviceaccounts:ci]',
      'User/olga@example.com > cluster:ClusterRole/ops-aggregate []',
      'User/olga@example.com > cluster:ClusterRole/pod-reader [cluster:ClusterRole/ops-aggregate]',
    ]);
    // The ServiceAccount of another namespace is not in system:serviceaccounts:ci.
    expect(d.assignments.some((a) => a.identityId === 'k8s:ServiceAccount/shop/web')).toBe(false);
  });
});
