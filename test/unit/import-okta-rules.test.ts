// Okta group rules (GET /api/v1/groups/rules): memberships of a group an active rule assigns are granted by the
// rule (path: the rule, link kind 'rule'), except for excluded users; inactive rules mark nothing. Hand-built exports
// in Okta's documented shape, in separate files (any order) and in a HAR recording; the real member sample too.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import { countDirectAssignments } from '../../shared/model';
import { utf8 } from '../../shared/codec/digest';

const file = (name: string, body: unknown) => ({ name, bytes: utf8(JSON.stringify(body)) });
const G_FIN = '00gfinance0000000000';
const G_ENG = '00gengineering000000';
const G_OPS = '00gops0000000000000a';
const user = (id: string, login: string, department: string) => ({ id, status: 'ACTIVE', profile: { login, email: login, department } });
const ann = user('00uann00000000000000', 'ann@x.com', 'Finance');
const bob = user('00ubob00000000000000', 'bob@x.com', 'Finance');
const cid = user('00ucid00000000000000', 'cid@x.com', 'Engineering');
const groups = [
  { id: G_FIN, type: 'OKTA_GROUP', profile: { name: 'finance-all' } },
  { id: G_ENG, type: 'OKTA_GROUP', profile: { name: 'engineering' } },
  { id: G_OPS, type: 'OKTA_GROUP', profile: { name: 'ops-contractors' } },
];
/** A rule as the Group Rules API returns it. */
function rule(
  id: string,
  name: string,
  status: string,
  expression: string,
  groupIds: string[],
  exclude: { users?: string[]; groups?: string[] } = {},
) {
  return {
    type: 'group_rule',
    id,
    status,
    name,
    created: '2024-01-10T10:00:00.000Z',
    lastUpdated: '2024-02-01T10:00:00.000Z',
    conditions: {
      people: { users: { exclude: exclude.users ?? [] }, groups: { exclude: exclude.groups ?? [] } },
      expression: { value: expression, type: 'urn:okta:expression:1.0' },
    },
    actions: { assignUserToGroups: { groupIds } },
  };
}
const rules = [
  rule('0prfinance0000000000', 'Finance by department', 'ACTIVE', 'user.department=="Finance"', [G_FIN], { users: [bob.id] }),
  rule('0prengineering000000', 'Engineers', 'INACTIVE', 'user.department=="Engineering"', [G_ENG]),
];
const exportFiles = () => [
  file('okta-rules.json', rules),
  file('users.json', [ann, bob, cid]),
  file('groups.json', groups),
  file(`group-${G_FIN}-users.json`, [ann, bob]),
  file(`group-${G_ENG}-users.json`, [cid]),
];
const find = (out: ReturnType<typeof importFiles>, identity: string, group: string) =>
  out.data.assignments.find((a) => a.identityId === `okta:${identity}` && a.entitlementId === `okta:${group}`);

describe('Okta group rules', () => {
  it('a membership in a group an active rule assigns is granted by the rule; an excluded user and an inactive rule are direct', () => {
    const out = importFiles(exportFiles());
    expect(out.refused).toEqual([]);
    expect(out.sources.find((s) => s.file === 'okta-rules.json')).toMatchObject({
      format: 'okta',
      formatReason: expect.stringContaining('/api/v1/groups/rules'),
      rowsRead: 2,
      rowsRejected: 0,
    });
    expect(find(out, ann.id, G_FIN)).toMatchObject({
      path: ['okta:rule:0prfinance0000000000'],
      derivedFrom: ['okta:rule:0prfinance0000000000'],
      usageKnown: false,
    });
    // Bob is excluded from the rule by id: an administrator put him there, so the membership is direct.
    expect(find(out, bob.id, G_FIN)!.path).toBeUndefined();
    // The engineering rule is inactive: it assigns no one.
    expect(find(out, cid.id, G_ENG)!.path).toBeUndefined();
    expect(out.files.find((f) => f.file === 'okta-rules.json')!.errors).toEqual([
      expect.objectContaining({ line: 2, field: 'status', message: expect.stringContaining('Engineers is INACTIVE') }),
    ]);
    // The rule is named on the path, and the link says the access comes from a rule.
    const r = out.data.entitlements.find((e) => e.id === 'okta:rule:0prfinance0000000000')!;
    expect(r).toMatchObject({ name: 'rule: Finance by department', application: 'Okta (group rule)' });
    expect(r.description).toContain('user.department=="Finance"');
    expect(out.data.links).toEqual([
      { memberId: 'okta:rule:0prfinance0000000000', groupId: `okta:${G_FIN}`, kind: 'rule', source: 'okta-rules.json' },
    ]);
    // Nothing is added or lost: three memberships, one of them the rule's.
    expect(out.data.assignments).toHaveLength(3);
    expect(countDirectAssignments(out.data)).toBe(2);
  });

  it('the same result whatever order the files come in (the rules are applied once every file is read)', () => {
    const a = importFiles(exportFiles());
    const b = importFiles([...exportFiles()].reverse());
    const key = (o: typeof a) => o.data.assignments.map((x) => `${x.identityId}>${x.entitlementId}:${(x.path ?? []).join('/')}`).sort();
    expect(key(b)).toEqual(key(a));
  });

  it('a user in a group the rule excludes keeps a direct membership', () => {
    const withGroupExclusion = [
      rule('0prfinance0000000000', 'Finance by department', 'ACTIVE', 'user.department=="Finance"', [G_FIN], { groups: [`${G_OPS}`] }),
    ];
    const out = importFiles([
      file('rules.json', withGroupExclusion),
      file(`group-${G_FIN}-users.json`, [ann, bob]),
      file(`group-${G_OPS}-users.json`, [bob]),
    ]);
    expect(find(out, ann.id, G_FIN)!.path).toEqual(['okta:rule:0prfinance0000000000']);
    expect(find(out, bob.id, G_FIN)!.path).toBeUndefined();
  });

  it('two rules assigning the same group: the path names one, derivedFrom both', () => {
    const two = [
      rule('0prb0000000000000000', 'B', 'ACTIVE', 'true', [G_FIN]),
      rule('0pra0000000000000000', 'A', 'ACTIVE', 'true', [G_FIN]),
    ];
    const out = importFiles([file('rules.json', two), file(`group-${G_FIN}-users.json`, [ann])]);
    expect(find(out, ann.id, G_FIN)).toMatchObject({
      path: ['okta:rule:0pra0000000000000000'],
      derivedFrom: ['okta:rule:0pra0000000000000000', 'okta:rule:0prb0000000000000000'],
    });
  });

  it('rules in a HAR recording of the Admin API, beside the members response', () => {
    const entry = (url: string, body: unknown) => ({
      request: { method: 'GET', url },
      response: { status: 200, content: { mimeType: 'application/json', text: JSON.stringify(body) } },
    });
    const har = {
      log: {
        version: '1.2',
        entries: [
          entry(`https://acme.okta.com/api/v1/groups/${G_FIN}/users`, [ann]),
          entry('https://acme.okta.com/api/v1/groups/rules?limit=50', rules),
        ],
      },
    };
    const out = importFiles([file('okta.har', har)]);
    expect(out.refused).toEqual([]);
    expect(find(out, ann.id, G_FIN)!.path).toEqual(['okta:rule:0prfinance0000000000']);
  });

  it('a rule whose action names no list of groups is rejected with its record number and field; a rule with no members read is noted', () => {
    const bad = {
      ...rule('0prbad00000000000000', 'Broken', 'ACTIVE', 'true', []),
      actions: { assignUserToGroups: { groupIds: 'not-a-list' } },
    };
    const out = importFiles([file('rules.json', [rules[0], bad])]);
    const errors = out.files[0]!.errors;
    expect(out.files[0]).toMatchObject({ rowsRead: 2, rowsRejected: 1 });
    expect(errors).toContainEqual({
      file: 'rules.json',
      line: 2,
      field: 'actions.assignUserToGroups.groupIds',
      message: 'group rule Broken: actions.assignUserToGroups.groupIds must be a list of group ids',
    });
    expect(errors).toContainEqual(
      expect.objectContaining({
        line: 1,
        message: expect.stringMatching(/^group rule Finance by department: none of the memberships read/),
      }),
    );
  });
});

const DATASETS = process.env.ARW_DATASETS ?? resolve(__dirname, '../../../shared/datasets');
const SAMPLE = join(DATASETS, 'okta', 'okta_api_v1_group_users.json');
describe.skipIf(!existsSync(SAMPLE))('Okta group rules over the real members sample', () => {
  it('the sample member of a group a rule assigns is granted by the rule (the sample itself holds no rules)', () => {
    const members = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { id: string }[];
    const group = '00gb64eq1ysZ8mcAH0h7';
    const out = importFiles([
      { name: `group-${group}-users.json`, bytes: new Uint8Array(readFileSync(SAMPLE)) },
      file('rules.json', [rule('0prsample00000000000', 'Sample rule', 'ACTIVE', 'user.lastName=="With-Group"', [group])]),
    ]);
    expect(out.refused).toEqual([]);
    expect(out.data.assignments.map((a) => [a.identityId, a.path])).toEqual(
      members.map((m) => [`okta:${m.id}`, ['okta:rule:0prsample00000000000']]),
    );
  });
});
