// The baton CLI's JSON output (`baton resource-types|resources|entitlements|grants -o json`). The JSON is derived
// here from the .c1z samples' own rows (protobuf → protojson, as the CLI's protojson.Marshal writes it), and must give
// the same snapshot as the .c1z; bad files are refused or rejected naming the file, the position or record and the field.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decompress } from 'fzstd';
import protobuf from 'protobufjs';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFiles, type ImportOutcome } from '../../shared/import';
import { batonTypes } from '../../shared/import/formats/baton/c1z';
import { READABLE_EXPORT } from '../../shared/import/formats/baton';
import type { SnapshotData } from '../../shared/model';
import { utf8 } from '../../shared/codec/digest';

const DATASETS = process.env.ARW_DATASETS ?? resolve(__dirname, '../../../shared/datasets');
const DIR = join(DATASETS, 'baton-c1z');
const present = existsSync(DIR);
if (!present) console.warn(`import-baton-json: skipped, dataset folder ${DIR} not found (set ARW_DATASETS)`);
const EXPANDED = 'sync.36zfOAoWMxQdISbixanQCRBiX7E.expanded.c1z';
const UNEXPANDED = 'sync.36zfOAoWMxQdISbixanQCRBiX7E.unexpanded.c1z';

type Obj = Record<string, unknown>;
let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await initSqlJs();
});
const bytes = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));
const file = (name: string, body: unknown) => ({ name, bytes: utf8(typeof body === 'string' ? body : JSON.stringify(body)) });

/** protojson of a decoded message: camelCase names, enum names, Timestamps as RFC 3339, Any as {"@type", ...fields}. */
function protojson(type: protobuf.Type, message: protobuf.Message): Obj {
  return fix(type, type.toObject(message, { json: true, enums: String, longs: String }) as Obj);
}
function fix(type: protobuf.Type, obj: Obj): Obj {
  for (const field of type.fieldsArray) {
    const v = obj[field.name];
    if (v === undefined || v === null) continue;
    field.resolve();
    const rt = field.resolvedType;
    if (!(rt instanceof protobuf.Type)) continue;
    const conv = (x: Obj): unknown => {
      if (rt.fullName === '.google.protobuf.Timestamp')
        return new Date(Number(x.seconds) * 1000 + Math.floor(Number(x.nanos ?? 0) / 1e6)).toISOString();
      if (rt.fullName === '.google.protobuf.Any') {
        if ('type_url' in x) return { '@type': x.type_url };
        const t = batonTypes().lookup(String(x['@type']).slice(String(x['@type']).lastIndexOf('/') + 1));
        return t instanceof protobuf.Type ? { ...fix(t, x), '@type': x['@type'] } : x;
      }
      return fix(rt, x);
    };
    if (field.repeated) obj[field.name] = (v as Obj[]).map(conv);
    else if (field.map) obj[field.name] = Object.fromEntries(Object.entries(v as Record<string, Obj>).map(([k, x]) => [k, conv(x)]));
    else obj[field.name] = conv(v as Obj);
  }
  return obj;
}

/** The four CLI outputs of a .c1z sample, built from its SQLite rows in table order. */
function cliOutputs(name: string): { resourceTypes: Obj[]; resources: Obj[]; entitlements: Obj[]; grants: Obj[] } {
  const db = new SQL.Database(decompress(bytes(name).subarray(5)));
  const T = batonTypes();
  const read = (table: string, typeName: string) => {
    const type = T.lookupType(typeName);
    const st = db.prepare(`SELECT data FROM ${table}`);
    const out: Obj[] = [];
    while (st.step()) out.push(protojson(type, type.decode(st.get()[0] as Uint8Array)));
    st.free();
    return out;
  };
  const types = read('v1_resource_types', 'c1.connector.v2.ResourceType');
  const resources = read('v1_resources', 'c1.connector.v2.Resource');
  const entitlements = read('v1_entitlements', 'c1.connector.v2.Entitlement');
  const grants = read('v1_grants', 'c1.connector.v2.Grant');
  db.close();
  const key = (id: unknown) => `${String((id as Obj).resourceType)}:${String((id as Obj).resource)}`;
  const typeById = new Map(types.map((t) => [t.id, t]));
  const resourceByKey = new Map(resources.map((r) => [key(r.id), r]));
  return {
    resourceTypes: types.map((resourceType) => ({ resourceType })),
    resources: resources.map((resource) => ({ resource, resourceType: typeById.get((resource.id as Obj).resourceType) })),
    entitlements: entitlements.map((entitlement) => ({ entitlement, resource: resourceByKey.get(key((entitlement.resource as Obj).id)) })),
    grants: grants.map((grant) => ({ grant, principal: resourceByKey.get(key((grant.principal as Obj).id)) })),
  };
}
const asFiles = (o: ReturnType<typeof cliOutputs>) => [
  file('resource-types.json', { resourceTypes: o.resourceTypes }),
  file('resources.json', { resources: o.resources }),
  file('entitlements.json', { entitlements: o.entitlements }),
  file('grants.json', { grants: o.grants }),
];

/** The snapshot without the file names it came from (the .c1z and the JSON files are named differently). */
function unnamed(data: SnapshotData) {
  const strip = <T extends object>(x: T) => {
    const { sources: _s, source: _f, ...rest } = x as T & { sources?: unknown; source?: unknown };
    return rest;
  };
  const sorted = <T>(list: T[]) => list.map((x) => JSON.stringify(strip(x as object))).sort();
  return {
    identities: sorted(data.identities),
    entitlements: sorted(data.entitlements),
    assignments: sorted(data.assignments),
    links: sorted(data.links ?? []),
    credentials: data.credentials.length,
    cycles: data.cycles,
  };
}
let expanded: { outputs: ReturnType<typeof cliOutputs>; all: ImportOutcome } | undefined;
/** The expanded sample's CLI outputs and their import, built once for the tests that vary them. */
function expandedOutputs() {
  if (!expanded) {
    const outputs = cliOutputs(EXPANDED);
    expanded = { outputs, all: importFiles(asFiles(outputs)) };
  }
  return expanded;
}
const pairs = (out: ImportOutcome) => new Set(out.data.assignments.map((a) => `${a.identityId} > ${a.entitlementId}`));

describe.skipIf(!present)('baton CLI JSON: the same snapshot as the .c1z it was listed from', () => {
  it.each([EXPANDED, UNEXPANDED])(
    '%s',
    (name) => {
      const c1z = importFiles([{ name, bytes: bytes(name) }], { sqlite: { open: (b: Uint8Array) => new SQL.Database(b) } });
      const json = name === EXPANDED ? expandedOutputs().all : importFiles(asFiles(cliOutputs(name)));
      expect(json.refused).toEqual([]);
      expect(json.sources.map((s) => [s.file, s.format, s.rowsRejected])).toEqual([
        ['resource-types.json', 'baton-json', 0],
        ['resources.json', 'baton-json', 0],
        ['entitlements.json', 'baton-json', 0],
        ['grants.json', 'baton-json', 0],
      ]);
      expect(json.sources[3]!.formatReason).toBe('JSON object {grants: [{grant, ...}]}: output of baton grants -o json (Baton CLI)');
      expect(c1z.data.assignments.some((a) => a.path?.length)).toBe(true);
      expect(unnamed(json.data)).toEqual(unnamed(c1z.data));
    },
    180_000,
  );

  it('grants.json alone still gives the users (its principals) and the access', () => {
    const { outputs: o, all } = expandedOutputs();
    const byId = new Map(o.entitlements.map((e) => [(e.entitlement as Obj).id, e.entitlement]));
    const alone = importFiles([
      file('grants.json', { grants: o.grants.map((g) => ({ ...g, entitlement: byId.get(((g.grant as Obj).entitlement as Obj).id) })) }),
    ]);
    expect(alone.refused).toEqual([]);
    expect(pairs(alone)).toEqual(pairs(all));
  }, 180_000);

  it("a newer SDK keeps GrantExpandable out of the grant record: the expanded grants' sources still give the nesting", () => {
    const { outputs: o, all } = expandedOutputs();
    const stripped = {
      ...o,
      grants: o.grants.map((g) => ({
        ...g,
        grant: {
          ...(g.grant as Obj),
          annotations: ((g.grant as Obj).annotations as Obj[] | undefined)?.filter((a) => !String(a['@type']).endsWith('GrantExpandable')),
        },
      })),
    };
    expect(JSON.stringify(stripped.grants)).not.toContain('GrantExpandable');
    expect(pairs(importFiles(asFiles(stripped)))).toEqual(pairs(all));
  }, 180_000);
});

describe('baton CLI JSON: bad files', () => {
  const user = {
    id: { resourceType: 'user', resource: 'u1' },
    displayName: 'Ann',
    annotations: [
      {
        '@type': 'type.googleapis.com/c1.connector.v2.UserTrait',
        emails: [{ address: 'ann@x.com', isPrimary: true }],
        login: 'ann',
        lastLogin: '2025-11-02T08:30:00.250Z',
        mfaStatus: { mfaEnabled: true },
        accountType: 'ACCOUNT_TYPE_HUMAN',
      },
    ],
  };
  const group = { id: { resourceType: 'group', resource: 'g1' }, displayName: 'Finance' };
  const ent = { id: 'group:g1:member', resource: group, slug: 'member', displayName: 'Finance member' };
  const types = {
    resourceTypes: [
      { resourceType: { id: 'user', displayName: 'User', traits: ['TRAIT_USER'] } },
      { resourceType: { id: 'group', displayName: 'Group', traits: ['TRAIT_GROUP'] } },
    ],
  };

  it('a hand-built export in protojson: the user trait read as from a .c1z (timestamps as text, Any by @type)', () => {
    const out = importFiles([
      file('types.json', types),
      file('resources.json', { resources: [{ resource: user }, { resource: group }] }),
      file('entitlements.json', { entitlements: [{ entitlement: ent }] }),
      file('grants.json', { grants: [{ grant: { id: 'x', entitlement: ent, principal: user } }] }),
    ]);
    expect(out.refused).toEqual([]);
    expect(out.data.identities).toEqual([
      expect.objectContaining({
        id: 'baton:user:u1',
        email: 'ann@x.com',
        login: 'ann',
        lastLoginAt: '2025-11-02T08:30:00.000Z',
        mfa: true,
        type: 'human',
      }),
    ]);
    expect(out.data.entitlements).toEqual([
      expect.objectContaining({ id: 'baton:group:g1:member', name: 'Finance: member', application: 'Baton Group' }),
    ]);
    expect(out.data.assignments).toEqual([
      expect.objectContaining({ identityId: 'baton:user:u1', entitlementId: 'baton:group:g1:member', source: 'grants.json' }),
    ]);
  });

  it('a grant without a principal is rejected with its record number and field; the others are kept', () => {
    const out = importFiles([
      file('types.json', types),
      file('grants.json', {
        grants: [{ grant: { id: 'x', entitlement: ent, principal: user } }, { grant: { id: 'y', entitlement: ent } }],
      }),
    ]);
    const grants = out.files.find((f) => f.file === 'grants.json')!;
    expect(grants).toMatchObject({ rowsRead: 2, rowsRejected: 1 });
    expect(grants.errors).toContainEqual({
      file: 'grants.json',
      line: 2,
      field: 'grants[1].grant.principal.id',
      message: 'grants[1]: the grant names no principal (resourceType and resource)',
    });
    expect(out.data.assignments).toHaveLength(1);
  });

  it('output cut short is refused as a whole, naming the line and column where the JSON breaks', () => {
    const whole = JSON.stringify({ grants: [{ grant: { id: 'x', entitlement: ent, principal: user } }] }, null, 1);
    const cut = whole.slice(0, whole.indexOf('"principal"'));
    const out = importFiles([file('grants.json', cut)]);
    expect(out.refused).toHaveLength(1);
    expect(out.refused[0]).toMatchObject({ file: 'grants.json', line: cut.split('\n').length });
    expect(out.refused[0]!.message).toMatch(/^not valid JSON: .* \(line \d+, column \d+\); the file may be cut short$/);
    expect(out.data.assignments).toEqual([]);
    // protojson writes one line: a file cut after a value ends the JSON input; the column is where it stops.
    const compact = JSON.stringify({ grants: [{ grant: { id: 'x', entitlement: ent, principal: user } }] });
    const short = compact.slice(0, compact.indexOf('"principal"') - 1);
    const out2 = importFiles([file('grants.json', short)]);
    expect(out2.refused[0]).toMatchObject({ file: 'grants.json', line: 1 });
    expect(out2.refused[0]!.message).toMatch(new RegExp(`\\(line 1, column ${short.length + 1}\\); the file may be cut short$`));
  });

  it("an object with a list that is not the CLI's output is not taken for it", () => {
    const out = importFiles([file('other.json', { grants: [{ amount: 5 }] })]);
    expect(out.refused[0]!.message).toMatch(/^not a known identity-data format/);
  });

  it('the C1Z3 refusal names the four commands whose output this importer reads', () => {
    for (const cmd of ['resource-types', 'resources', 'entitlements', 'grants'])
      expect(READABLE_EXPORT).toContain(`baton ${cmd} -f FILE.c1z -o json > ${cmd}.json`);
    // Each command's output shape is detected as such.
    for (const [cmd, body] of [
      ['resource-types', types],
      ['resources', { resources: [{ resource: user }] }],
      ['entitlements', { entitlements: [{ entitlement: ent }] }],
      ['grants', { grants: [{ grant: { id: 'x', entitlement: ent, principal: user } }] }],
    ] as const) {
      const out = importFiles([file(`${cmd}.json`, body)]);
      expect(out.sources[0]!.formatReason).toContain(`output of baton ${cmd} -o json`);
    }
  });
});
