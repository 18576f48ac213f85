// Google groups in IAM policies: with the Cloud Identity groups and memberships listings in the same import, a
// binding to group:X reaches X's members, nested groups included, each with its path; a member bound directly keeps
// the direct grant; a cycle of groups ends; a membership whose group is not listed is noted, not guessed.
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import { utf8 } from '../../shared/codec/digest';

const file = (name: string, body: unknown) => ({ name, bytes: utf8(JSON.stringify(body)) });
const policy = {
  version: 1,
  bindings: [
    { role: 'roles/bigquery.admin', members: ['group:data-admins@x.com'] },
    { role: 'roles/viewer', members: ['group:everyone@x.com', 'user:bob@x.com'] },
  ],
};
const groups = {
  groups: [
    { name: 'groups/01admins', groupKey: { id: 'data-admins@x.com' }, displayName: 'Data admins' },
    { name: 'groups/02analysts', groupKey: { id: 'analysts@x.com' } },
    { name: 'groups/03everyone', groupKey: { id: 'everyone@x.com' } },
  ],
};
const membership = (group: string, id: string, type: string, n: number) => ({
  name: `groups/${group}/memberships/m${n}`,
  preferredMemberKey: { id },
  roles: [{ name: 'MEMBER' }],
  type,
});
const memberships = {
  memberships: [
    membership('01admins', 'Ann@x.com', 'USER', 1),
    membership('01admins', 'analysts@x.com', 'GROUP', 2),
    membership('02analysts', 'bob@x.com', 'USER', 3),
    membership('02analysts', 'etl@proj.iam.gserviceaccount.com', 'SERVICE_ACCOUNT', 4),
    // A cycle: everyone holds analysts, analysts holds everyone.
    membership('03everyone', 'analysts@x.com', 'GROUP', 5),
    membership('02analysts', 'everyone@x.com', 'GROUP', 6),
    membership('99unlisted', 'cid@x.com', 'USER', 7),
  ],
};
const paths = (files: ReturnType<typeof file>[]) =>
  importFiles(files)
    .data.assignments.map((a) => `${a.identityId} ${a.entitlementId.split(':').pop()} [${(a.path ?? []).join(' < ')}]`)
    .sort();

describe('GCP: bindings to Google groups expanded through Cloud Identity memberships', () => {
  it('each member gets the group’s roles with its path; nested groups; direct grants stay direct; cycles end', () => {
    const all = [file('policy.json', policy), file('groups.json', groups), file('memberships.json', memberships)];
    expect(paths(all)).toEqual(
      [
        'gcp:group:data-admins@x.com roles/bigquery.admin []',
        'gcp:user:ann@x.com roles/bigquery.admin [gcp:group:data-admins@x.com]',
        'gcp:group:analysts@x.com roles/bigquery.admin [gcp:group:data-admins@x.com]',
        'gcp:user:bob@x.com roles/bigquery.admin [gcp:group:analysts@x.com < gcp:group:data-admins@x.com]',
        'gcp:serviceAccount:etl@proj.iam.gserviceaccount.com roles/bigquery.admin [gcp:group:analysts@x.com < gcp:group:data-admins@x.com]',
        'gcp:group:everyone@x.com roles/bigquery.admin [gcp:group:analysts@x.com < gcp:group:data-admins@x.com]',
        'gcp:group:everyone@x.com roles/viewer []',
        'gcp:user:bob@x.com roles/viewer []',
        'gcp:group:analysts@x.com roles/viewer [gcp:group:everyone@x.com]',
        'gcp:serviceAccount:etl@proj.iam.gserviceaccount.com roles/viewer [gcp:group:analysts@x.com < gcp:group:everyone@x.com]',
      ].sort(),
    );
    // The same in any file order.
    expect(paths([...all].reverse())).toEqual(paths(all));
  });

  it('the service account is a service, the person human; a membership of an unlisted group is noted, not guessed', () => {
    const out = importFiles([file('policy.json', policy), file('groups.json', groups), file('memberships.json', memberships)]);
    expect(out.data.identities.find((i) => i.id === 'gcp:serviceAccount:etl@proj.iam.gserviceaccount.com')?.type).toBe('service');
    expect(out.data.identities.find((i) => i.id === 'gcp:user:ann@x.com')?.type).toBe('human');
    expect(out.data.identities.some((i) => i.id === 'gcp:user:cid@x.com')).toBe(false);
    const notes = out.files.find((f) => f.file === 'memberships.json')!.errors.map((e) => e.message);
    expect(notes.some((n) => n.includes('groups/99unlisted') && n.includes('not in the files read'))).toBe(true);
  });

  it('without the memberships the policy imports as before: the group holds the roles, nobody inherits', () => {
    expect(paths([file('policy.json', policy)])).toEqual(
      [
        'gcp:group:data-admins@x.com roles/bigquery.admin []',
        'gcp:group:everyone@x.com roles/viewer []',
        'gcp:user:bob@x.com roles/viewer []',
      ].sort(),
    );
  });
});
