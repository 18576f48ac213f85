// Property-based tests: random and mutated inputs to every parser. Nothing throws, nothing hangs, and every
// rejection is a RowError naming the file with a message a person can read.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORMATS, decodeFile, importFiles, type DecodedFile, type FormatParser, type ParsedBatch } from '../../shared/import';
import { utf8 } from '../../shared/codec/digest';

/** A small valid sample per format, to mutate. */
const SAMPLES: Record<string, { name: string; text: string }> = {
  'workbench-csv': {
    name: 'identities.csv',
    text: 'id,displayName,email,type,status,department,title,managerId,ownerId,createdAt\nu1,Ann,a@x.com,human,active,IT,Eng,,,2024-01-01\nsvc,Svc,,service,active,,,,u1,2024-02-01\n',
  },
  'aws-credential-report': {
    name: 'report.csv',
    text: 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n<root_account>,arn:aws:iam::1:root,2018-08-12T17:20:55+00:00,not_supported,2019-03-03T16:58:16+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\nci,arn:aws:iam::1:user/ci,2019-05-07T15:35:54+00:00,false,N/A,N/A,N/A,false,true,2019-05-07T15:35:55+00:00,no_information,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n',
  },
  'aws-authorization-details': {
    name: 'authz.json',
    text: JSON.stringify({
      UserDetailList: [
        {
          UserName: 'a',
          Arn: 'arn:aws:iam::1:user/a',
          GroupList: ['g'],
          AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', PolicyName: 'AdministratorAccess' }],
        },
      ],
      GroupDetailList: [
        {
          GroupName: 'g',
          Arn: 'arn:aws:iam::1:group/g',
          GroupPolicyList: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
        },
      ],
      RoleDetailList: [
        {
          RoleName: 'r',
          Arn: 'arn:aws:iam::1:role/r',
          AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'ec2.amazonaws.com' } }] },
        },
      ],
      Policies: [],
    }),
  },
  'aws-iam-api': {
    name: 'getgroup.json',
    text: JSON.stringify({
      Group: { GroupName: 'Admins', Arn: 'arn:aws:iam::1:group/Admins' },
      Users: [{ UserName: 'x', Arn: 'arn:aws:iam::1:user/x' }],
    }),
  },
  ldif: {
    name: 'dump.ldif',
    text: 'version: 1\n# c\ndn: cn=Ann,ou=People,dc=ex,dc=com\nobjectClass: inetOrgPerson\ncn: Ann\nsn:: QW5u\nmail: ann@ex.com\nuid: ann\n\ndn: cn=Admins,ou=Groups,dc=ex,dc=com\nobjectClass: groupOfNames\ncn: Admins\nmember: cn=Ann,ou=People,dc=e\n x,dc=com\n',
  },
  scim: {
    name: 'scim.json',
    text: JSON.stringify({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      Resources: [
        { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'u1', userName: 'ann', active: false },
        { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: 'g1', displayName: 'G', members: [{ value: 'u1' }] },
      ],
    }),
  },
  okta: {
    name: 'users.json',
    text: JSON.stringify([
      { id: '00u1', status: 'ACTIVE', lastLogin: '2024-01-01T00:00:00.000Z', profile: { login: 'a@x.com', email: 'a@x.com' } },
    ]),
  },
  'gcp-iam': {
    name: 'policy.json',
    text: JSON.stringify({
      bindings: [{ role: 'roles/owner', members: ['user:a@x.com', 'serviceAccount:s@p.iam.gserviceaccount.com', 'allUsers'] }],
    }),
  },
  'kubernetes-rbac': {
    name: 'rbac.yaml',
    text: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n- kind: ServiceAccount\n  name: sa\n  namespace: ns\n',
  },
  'entra-graph': {
    name: 'users.json',
    text: JSON.stringify({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users',
      value: [{ id: 'i1', userPrincipalName: 'a@x.com', signInActivity: { lastSignInDateTime: '2024-01-01T00:00:00Z' } }],
    }),
  },
  'user-permission-pairs': { name: 'pairs.txt', text: '1 2\n1 3\n2 3\n' },
  'baton-json': {
    name: 'grants.json',
    text: JSON.stringify({
      grants: [
        {
          grant: {
            id: 'group:g1:member:user:u1',
            entitlement: {
              id: 'group:g1:member',
              resource: { id: { resourceType: 'group', resource: 'g1' }, displayName: 'Finance' },
              slug: 'member',
            },
            principal: {
              id: { resourceType: 'user', resource: 'u1' },
              displayName: 'Ann',
              annotations: [{ '@type': 'type.googleapis.com/c1.connector.v2.UserTrait', login: 'ann', lastLogin: '2025-01-01T00:00:00Z' }],
            },
            sources: { sources: { 'group:g2:member': {} } },
            annotations: [{ '@type': 'type.googleapis.com/c1.connector.v2.GrantExpandable', entitlementIds: ['group:g2:member'] }],
          },
        },
      ],
    }),
  },
  'reference-data': { name: 'policy.json', text: JSON.stringify({ Version: '2012-10-17', Statement: [] }) },
};

function checkBatch(batch: ParsedBatch, files: DecodedFile[]): void {
  const names = new Set(files.map((f) => f.name));
  for (const o of batch.files) {
    expect(names.has(o.file)).toBe(true);
    expect(o.rowsRejected).toBeGreaterThanOrEqual(0);
    expect(o.rowsRejected).toBeLessThanOrEqual(o.rowsRead);
    for (const e of [...o.errors, ...(o.fatal ? [o.fatal] : [])]) {
      expect(typeof e.message).toBe('string');
      expect(e.message.length).toBeGreaterThan(3);
      expect(e.file).toBe(o.file);
      expect(Number.isInteger(e.line) && e.line >= 0).toBe(true);
    }
  }
  for (const i of batch.data.identities) expect(typeof i.id === 'string' && i.id.length > 0).toBe(true);
}

function decoded(name: string, text: string): DecodedFile {
  return decodeFile({ name, bytes: utf8(text) });
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), len: fc.nat({ max: 40 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.string({
      maxLength: 12,
      unit: fc.constantFrom('"', ',', '\n', ' ', ':', '{', '}', '[', ']', '\t', '#', '-', 'a', '0', '=', '\\', '\r'),
    }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dupLine' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, ms: Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const at = t.length ? m.at % (t.length + 1) : 0;
    if (m.kind === 'cut') t = t.slice(0, at) + t.slice(at + m.len);
    else if (m.kind === 'insert') t = t.slice(0, at) + m.text + t.slice(at);
    else if (m.kind === 'truncate') t = t.slice(0, at);
    else {
      const lines = t.split('\n');
      const i = lines.length ? m.at % lines.length : 0;
      lines.splice(i, 0, lines[i] ?? '');
      t = lines.join('\n');
    }
  }
  return t;
}

describe('every parser survives random and mutated input', () => {
  it('has a sample for every registered format', () => {
    expect(FORMATS.map((f) => f.id).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it.each(FORMATS.map((f) => [f.id, f] as [string, FormatParser]))(
    '%s: mutated samples parse or are rejected with messages',
    (id, parser) => {
      const sample = SAMPLES[id]!;
      // The unmutated sample is recognised by its own format.
      expect(parser.detect(decoded(sample.name, sample.text))).toBeTruthy();
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (ms) => {
          const file = decoded(sample.name, mutate(sample.text, ms));
          const started = Date.now();
          parser.detect(file);
          checkBatch(parser.parse([file], {}), [file]);
          // No hang: a few hundred bytes never take long, whatever was cut or inserted.
          expect(Date.now() - started).toBeLessThan(2000);
          const outcome = importFiles([{ name: sample.name, bytes: utf8(file.text) }]);
          for (const r of outcome.refused) expect(r.message.length).toBeGreaterThan(3);
        }),
        { numRuns: 150 },
      );
    },
  );

  it.each(FORMATS.map((f) => [f.id, f] as [string, FormatParser]))(
    '%s: arbitrary JSON values and text, parsed directly, never throw',
    (id, parser) => {
      const name = SAMPLES[id]!.name;
      fc.assert(
        fc.property(
          fc.oneof(
            fc.jsonValue().map((v) => JSON.stringify(v)),
            fc.string({ maxLength: 300 }),
            fc.string({ maxLength: 200, unit: 'binary' }),
          ),
          (text) => {
            const file = decoded(name, text);
            parser.detect(file);
            checkBatch(parser.parse([file], {}), [file]);
          },
        ),
        { numRuns: 150 },
      );
    },
  );

  it('random bytes through importFiles: refused with a message or parsed, never thrown', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom('x.csv', 'identities.csv', 'a.ldif', 'b.json', 'c.yaml', 'd.txt'),
        (bytes, name) => {
          const out = importFiles([{ name, bytes }]);
          for (const r of out.refused) {
            expect(r.file).toBe(name);
            expect(r.message.length).toBeGreaterThan(3);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a deeply structured LDIF of 20,000 entries with pathological folding finishes quickly', () => {
    const entries: string[] = [];
    for (let i = 0; i < 20000; i++) entries.push(`dn: uid=u${i},ou=P,dc=x\nobjectClass: person\ncn: U\n ${'x'.repeat(5)}\n`);
    const t = Date.now();
    const out = importFiles([{ name: 'big.ldif', bytes: utf8(entries.join('\n')) }]);
    expect(out.data.identities).toHaveLength(20000);
    expect(Date.now() - t).toBeLessThan(5000);
  });
});
