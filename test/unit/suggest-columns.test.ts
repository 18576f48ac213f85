// The engine reads a snapshot's assignments as column chunks (what the app's suggest workers receive) and gives,
// byte for byte, what it gives for the same rows as objects: on seeded data with inherited rows (path, derivedFrom),
// rows without a last use, rows whose source reports no usage, several sources, ids not in the snapshot, instants
// as well as dates, and chunks of every size.
import { describe, expect, it } from 'vitest';
import type { Assignment, ColumnarSnapshotData, Entitlement, GrantLink, Identity, SnapshotData } from '../../shared/model';
import { DAY_MS, encodeAssignmentChunks } from '../../shared/model';
import { DEFAULT_POLICY, SIGNAL_IDS, questionedGroupGrants, suggest, type Suggestion } from '../../shared/suggest';
import { NeighbourIndex } from '../../shared/suggest/peers';
import { buildIndex } from '../../shared/suggest/snapshot-index';

const AS_OF = Date.parse('2026-06-30T00:00:00Z');
const day = (d: number) => new Date(AS_OF - d * DAY_MS).toISOString().slice(0, 10);
const instant = (d: number, h: number) => new Date(AS_OF - d * DAY_MS + h * 3_600_000).toISOString();

/** A small seeded organisation (mulberry32), every row kind the engine tells apart. */
function organisation(seed: number): SnapshotData {
  let t = seed >>> 0;
  const rnd = () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const identities: Identity[] = [];
  for (let k = 0; k < 120; k++) {
    const human = k % 11 !== 0;
    identities.push({
      id: `u${String(k).padStart(3, '0')}`,
      displayName: `User ${k}`,
      type: human ? 'human' : 'service',
      status: k % 17 === 3 ? 'suspended' : k % 13 === 5 ? 'terminated' : 'active',
      department: pick(['Finance', 'Sales', 'IT']),
      title: pick(['Clerk', 'Lead', 'Engineer']),
      managerId: `u${String(k % 7).padStart(3, '0')}`,
      ...(human ? {} : { ownerId: 'u001' }),
    });
  }
  const entitlements: Entitlement[] = [];
  for (const app of ['ERP', 'CRM', 'Cloud'])
    for (let k = 0; k < 8; k++)
      entitlements.push({
        id: `${app}:e${k}`,
        name: `${app} ${k}`,
        application: app,
        privilege: pick(['low', 'medium', 'high', 'critical']),
      });
  const groups = ['grp-finance', 'grp-sales', 'grp-admins'];
  for (const g of groups) entitlements.push({ id: g, name: g, application: 'Directory', privilege: 'low' });
  const links: GrantLink[] = [
    { memberId: 'grp-finance', groupId: 'ERP:e1', kind: 'group' },
    { memberId: 'grp-sales', groupId: 'CRM:e2', kind: 'group' },
    { memberId: 'grp-admins', groupId: 'grp-finance', kind: 'group' },
    { memberId: 'grp-admins', groupId: 'Cloud:e0', kind: 'role' },
  ];
  const assignments: Assignment[] = [];
  for (const who of identities) {
    const held = new Set<string>();
    for (let n = 1 + Math.floor(rnd() * 6); n > 0; n--) {
      const e = pick(entitlements.slice(0, 24));
      if (held.has(e.id)) continue;
      held.add(e.id);
      const source = e.application === 'ERP' ? 'erp-usage.csv' : e.application === 'CRM' ? 'crm-export.csv' : 'cloud.json';
      const used = rnd();
      const row: Assignment = { identityId: who.id, entitlementId: e.id, source, grantedAt: day(200 + Math.floor(rnd() * 600)) };
      // CRM's export never carries a last use (a source without usage); the others: recent, old, instants, none.
      if (source !== 'crm-export.csv') {
        if (used < 0.45) row.lastUsedAt = day(Math.floor(rnd() * 80));
        else if (used < 0.7) row.lastUsedAt = day(100 + Math.floor(rnd() * 400));
        else if (used < 0.8) row.lastUsedAt = instant(Math.floor(rnd() * 300), Math.floor(rnd() * 24));
        else if (used < 0.88) row.usageKnown = false;
        else if (used < 0.93) delete row.grantedAt;
      }
      if (used > 0.95) row.usageKnown = true;
      assignments.push(row);
    }
    // Group memberships, and what they grant inherited (with the path and the direct grant it derives from).
    if (rnd() < 0.5) {
      const g = pick(groups);
      assignments.push({ identityId: who.id, entitlementId: g, source: 'dir.ldif', grantedAt: day(700), lastUsedAt: day(3) });
      const via = g === 'grp-admins' ? ['grp-admins', 'grp-finance'] : [g];
      const target = g === 'grp-sales' ? 'CRM:e2' : 'ERP:e1';
      const old = rnd() < 0.85;
      assignments.push({
        identityId: who.id,
        entitlementId: target,
        source: 'erp-usage.csv',
        grantedAt: day(700),
        ...(old ? { lastUsedAt: day(150 + Math.floor(rnd() * 200)) } : { lastUsedAt: day(5) }),
        path: via,
        derivedFrom: [g],
      });
      if (g === 'grp-admins')
        assignments.push({ identityId: who.id, entitlementId: 'Cloud:e0', source: 'cloud.json', path: ['grp-admins'], derivedFrom: [g] });
    }
  }
  // Grants of an identity and of an entitlement the snapshot does not hold, and one without a source.
  assignments.push({ identityId: 'ghost', entitlementId: 'ERP:e3', source: 'erp-usage.csv', grantedAt: day(400) });
  assignments.push({ identityId: 'u002', entitlementId: 'gone:e9', source: 'cloud.json', lastUsedAt: day(20) });
  assignments.push({ identityId: 'u004', entitlementId: 'ERP:e4' } as Assignment);
  return { identities, entitlements, assignments, credentials: [], links };
}

function columnar(data: SnapshotData, perChunk?: number): ColumnarSnapshotData {
  const { assignments, ...rest } = data;
  return { ...rest, assignmentChunks: encodeAssignmentChunks(assignments, perChunk) };
}

const json = (out: Suggestion[]) => out.map((s) => JSON.stringify(s));

describe('suggestions from the assignments as columns', () => {
  const data = organisation(7);
  const rows = suggest(data, DEFAULT_POLICY, { asOf: AS_OF });

  it('the generated data exercises what the columns carry apart: paths, usage unknown, sources, ids not in the snapshot', () => {
    const signals = rows.flatMap((s) => s.signals);
    expect(signals.filter((s) => s.id === SIGNAL_IDS.groupGrantUnused).length).toBeGreaterThan(0);
    expect(signals.filter((s) => s.message.includes('the source reports no usage data for this assignment')).length).toBeGreaterThan(0);
    expect(signals.filter((s) => s.message.includes('source "crm-export.csv" has no last-use date')).length).toBeGreaterThan(0);
    expect(rows.find((s) => s.identityId === 'ghost')?.entitlementId).toBe('ERP:e3');
    expect(rows.find((s) => s.entitlementId === 'gone:e9')?.identityId).toBe('u002');
  });

  it.each([50_000, 64, 7, 1])('gives the same suggestions, byte for byte, from chunks of %i rows', (perChunk) => {
    const cols = columnar(data, perChunk);
    expect(cols.assignmentChunks.length).toBe(Math.ceil(data.assignments.length / perChunk));
    expect(json(suggest(cols, DEFAULT_POLICY, { asOf: AS_OF }))).toEqual(json(rows));
  });

  it('on other seeds too, and a part of the columnar run is that part of the whole', () => {
    for (const seed of [1, 2, 3]) {
      const other = organisation(seed);
      const whole = json(suggest(other, DEFAULT_POLICY, { asOf: AS_OF }));
      const cols = columnar(other, 33);
      expect(json(suggest(cols, DEFAULT_POLICY, { asOf: AS_OF }))).toEqual(whole);
      const parts = [0, 1, 2].flatMap((index) => json(suggest(cols, DEFAULT_POLICY, { asOf: AS_OF, part: { index, of: 3 } })));
      expect(parts).toEqual(whole);
    }
  });

  it('the index reads each row back from its chunk: ids, source, usage known, the link inherited through', () => {
    const cols = columnar(data, 10);
    const ix = buildIndex(cols, AS_OF);
    expect(ix.nA).toBe(data.assignments.length);
    data.assignments.forEach((x, a) => {
      expect(ix.identityIdOf(a)).toBe(x.identityId);
      expect(ix.entitlementIdOf(a)).toBe(x.entitlementId);
      expect(ix.sources[ix.aSource[a]!]).toBe(x.source ?? '');
      expect(ix.aUsageKnown[a]).toBe(x.usageKnown === undefined ? 0 : x.usageKnown ? 1 : 2);
      expect(ix.aVia![a]! < 0 ? undefined : ix.vias[ix.aVia![a]!]).toBe(x.path?.[x.path.length - 1]);
      expect(ix.dates[ix.aLastUsed[a]!]).toBe(x.lastUsedAt === undefined ? Number.NaN : Date.parse(x.lastUsedAt));
    });
  });

  it('more than 65,536 distinct dates: the date indexes widen to four bytes and keep every earlier row', () => {
    const n = 70_000;
    const rowsOfInstants: Assignment[] = Array.from({ length: n }, (_, k) => ({
      identityId: 'u001',
      entitlementId: 'ERP:e1',
      source: 'erp-usage.csv',
      lastUsedAt: new Date(AS_OF - (k + 1) * 60_000).toISOString(),
      grantedAt: day(900 + (k % 3)),
    }));
    const ix = buildIndex(columnar({ ...data, assignments: rowsOfInstants }, 20_000), AS_OF);
    expect(ix.aLastUsed).toBeInstanceOf(Uint32Array);
    expect(ix.aGranted).toBeInstanceOf(Uint32Array);
    rowsOfInstants.forEach((x, a) => {
      expect(ix.dates[ix.aLastUsed[a]!]).toBe(Date.parse(x.lastUsedAt!));
      expect(ix.dates[ix.aGranted[a]!]).toBe(Date.parse(x.grantedAt!));
    });
    // Fewer distinct dates: two bytes a row.
    expect(buildIndex(columnar(data), AS_OF).aLastUsed).toBeInstanceOf(Uint16Array);
  });

  it('the questioned group grants are the same from columns', () => {
    const fromRows = questionedGroupGrants(data, DEFAULT_POLICY, AS_OF);
    expect(fromRows.length).toBeGreaterThan(0);
    expect(questionedGroupGrants(columnar(data, 5), DEFAULT_POLICY, AS_OF)).toEqual(fromRows);
  });

  it('nearest neighbours asked again after another identity are the same as the first time (only the last is kept)', () => {
    const ix = buildIndex(organisation(5), AS_OF);
    const knn = new NeighbourIndex(ix.sets, ix.nE, ix.activeHuman, 10, 0.2);
    const first = Array.from({ length: ix.nI }, (_, i) => knn.neighbours(i));
    expect(first.some((nb) => nb.ids.length > 0)).toBe(true);
    // In reverse order, and each twice in a row: the same lists.
    for (let i = ix.nI - 1; i >= 0; i--) {
      const again = knn.neighbours(i);
      expect(Array.from(knn.neighbours(i).ids)).toEqual(Array.from(again.ids));
      expect(Array.from(again.ids)).toEqual(Array.from(first[i]!.ids));
      expect(Array.from(again.sims)).toEqual(Array.from(first[i]!.sims));
    }
  });
});
