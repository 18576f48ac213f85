// The binding datasets in ../shared/datasets (Google Cloud IAM policies, Kubernetes RBAC, user–permission pair lists)
// import without editing, and their identity, entitlement, assignment and credential counts match figures derived
// here independently from the raw file (a plain scan of the text or a direct walk of the parsed JSON/YAML, not
// through the parsers), plus at least one field.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { importFiles } from '../../shared/import';
import { byId, counts, files, json, load, present, raw, text } from './import-datasets-files';

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
    const valid = (m: string) =>
      m === 'allUsers' || m === 'allAuthenticatedUsers' || /^(user|serviceAccount|group|domain|deleted):./.test(m);
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
    expect(counts(out.data)).toEqual({
      identities: members.size,
      entitlements: new Set(body.bindings.map((b: { role: string }) => b.role)).size,
      assignments: pairs.size,
      credentials: 0,
    });
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
        const key =
          s.kind === 'ServiceAccount'
            ? `ServiceAccount/${s.namespace ?? o.metadata.namespace ?? 'default'}/${s.name}`
            : `${s.kind}/${s.name}`;
        subjects.add(key);
        pairs.add(`${key}|${role}`);
      }
    }
    // Inherited: a subject bound to an aggregated ClusterRole holds (in the binding's scope) every ClusterRole whose
    // labels match one of its selectors; ServiceAccounts hold what system:serviceaccounts[:their namespace] is bound to.
    const labels = new Map<string, Record<string, string>>(
      objs.filter((o) => o?.kind === 'ClusterRole').map((o) => [o.metadata.name, o.metadata.labels ?? {}]),
    );
    const parts = new Map<string, string[]>();
    for (const o of objs) {
      const sels: Record<string, string>[] = (o?.kind === 'ClusterRole' ? (o.aggregationRule?.clusterRoleSelectors ?? []) : []).map(
        (x: { matchLabels?: Record<string, string> }) => x.matchLabels ?? {},
      );
      if (sels.length)
        parts.set(
          o.metadata.name,
          [...labels]
            .filter(([n, l]) => n !== o.metadata.name && sels.some((sel) => Object.entries(sel).every(([k, v]) => l[k] === v)))
            .map(([n]) => n),
        );
    }
    const effective = new Set(pairs);
    for (const p of pairs) {
      const [subject, role] = p.split('|') as [string, string];
      const saGroup = /^Group\/system:serviceaccounts(?::(.+))?$/.exec(subject);
      if (saGroup)
        for (const sa of subjects)
          if (sa.startsWith(`ServiceAccount/${saGroup[1] ? `${saGroup[1]}/` : ''}`)) effective.add(`${sa}|${role}`);
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
    expect(counts(out.data)).toEqual({
      identities: new Set(pairs.map((p) => p[0])).size,
      entitlements: new Set(pairs.map((p) => p[1])).size,
      assignments: new Set(pairs.map((p) => p.join(' '))).size,
      credentials: 0,
    });
    const stem = rel.split('/').pop()!.replace('.txt', '');
    expect(out.data.assignments[0]).toMatchObject({
      identityId: `${stem}:user:${pairs[0]![0]}`,
      entitlementId: `${stem}:permission:${pairs[0]![1]}`,
      usageKnown: false,
    });
  });
  it('refuses the statistics CSV and the reference catalogues', () => {
    for (const rel of [
      'role-mining-benchmarks/hp/hp_benchmark_stats.csv',
      ...files('least-privilege-reference', '.json'),
      ...files('aws-iam-policy-documents', '.json'),
    ]) {
      const out = importFiles([{ name: rel, bytes: new Uint8Array(raw(rel)) }]);
      expect(out.refused, rel).toHaveLength(1);
      expect(out.data.identities).toHaveLength(0);
    }
  });
});
