// The AWS datasets in ../shared/datasets (IAM credential reports, get-account-authorization-details, IAM API
// responses) import without editing, and their identity, entitlement, assignment and credential counts match figures
// derived here independently from the raw file (a plain scan of the text or a direct walk of the parsed JSON, not
// through the parsers), plus at least one field.
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import { byId, counts, files, json, load, present, raw, text } from './import-datasets-files';

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
      for (const k of ['access_key_1', 'access_key_2', 'cert_1', 'cert_2'])
        if (r[`${k}_active`].toLowerCase() === 'true' || isDate(r[`${k}_last_rotated`])) creds++;
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
    for (const x of [...d.UserDetailList, ...d.GroupDetailList, ...d.RoleDetailList])
      for (const p of x.AttachedManagedPolicies ?? []) policies.add(p.PolicyArn);
    for (const u of d.UserDetailList) {
      for (const g of u.GroupList ?? []) groups.add(g);
      inline += (u.UserPolicyList ?? []).length;
      assignments +=
        new Set(u.GroupList ?? []).size +
        new Set((u.AttachedManagedPolicies ?? []).map((p: { PolicyArn: string }) => p.PolicyArn)).size +
        (u.UserPolicyList ?? []).length;
    }
    for (const r of d.RoleDetailList) {
      inline += (r.RolePolicyList ?? []).length;
      assignments +=
        new Set((r.AttachedManagedPolicies ?? []).map((p: { PolicyArn: string }) => p.PolicyArn)).size + (r.RolePolicyList ?? []).length;
    }
    // Group inline policies are entitlements too (held through the group). Inherited: a user holds each policy
    // (attached or inline) of each of its groups, unless the user holds it directly.
    const groupPolicies = new Map<string, string[]>();
    for (const g of d.GroupDetailList) {
      inline += (g.GroupPolicyList ?? []).length;
      groupPolicies.set(g.GroupName, [
        ...(g.AttachedManagedPolicies ?? []).map((p: { PolicyArn: string }) => p.PolicyArn),
        ...(g.GroupPolicyList ?? []).map((p: { PolicyName: string }) => `${g.Arn}#inline/${p.PolicyName}`),
      ]);
    }
    let inherited = 0;
    for (const u of d.UserDetailList) {
      const own = new Set<string>([
        ...(u.AttachedManagedPolicies ?? []).map((p: { PolicyArn: string }) => p.PolicyArn),
        ...(u.UserPolicyList ?? []).map((p: { PolicyName: string }) => `${u.Arn}#inline/${p.PolicyName}`),
      ]);
      inherited += new Set((u.GroupList ?? []).flatMap((g: string) => groupPolicies.get(g) ?? []).filter((p: string) => !own.has(p))).size;
    }
    const out = load(rel);
    expect(counts(out.data)).toEqual({
      identities: d.UserDetailList.length + d.RoleDetailList.length,
      entitlements: policies.size + groups.size + inline,
      assignments,
      credentials: 0,
    });
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
      return st.some(
        (s: { Effect?: string; Action?: unknown; Resource?: unknown }) =>
          s?.Effect === 'Allow' && [s.Action].flat().includes('*') && [s.Resource].flat().includes('*'),
      );
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
