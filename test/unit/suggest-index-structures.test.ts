// The engine's shared structures: the slot cache behind its shared signals (a slot table, a Map beyond), the
// index's integer ids (they must agree with the string lookups they replace), and the peer views read per
// assignment (a scratch view must not leak one assignment's figures into another's signal).
import { describe, expect, it } from 'vitest';
import type { Assignment, Identity, SnapshotData } from '../../shared/model';
import { DAY_MS } from '../../shared/model/time';
import { DEFAULT_POLICY, suggest } from '../../shared/suggest';
import { mulberry32 } from '../../shared/suggest/peers';
import { PairCache } from '../../shared/suggest/pair-cache';
import { buildIndex } from '../../shared/suggest/snapshot-index';

const AS_OF = Date.parse('2026-06-30T00:00:00Z');
const daysAgo = (d: number) => new Date(AS_OF - d * DAY_MS).toISOString().slice(0, 10);

describe('PairCache', () => {
  it('agrees with a Map model over spread keys, first and last slots included', () => {
    const range = 1 << 24; // beyond the slot table's limit (2^22): the Map
    const cache = new PairCache<number>(range);
    const model = new Map<number, number>();
    const rnd = mulberry32(7);
    const keys = [0, 4095, 4096, range - 1];
    for (let k = 0; k < 2000; k++) keys.push(rnd() % range);
    keys.forEach((key, n) => {
      cache.set(key, n);
      model.set(key, n);
    });
    // Overwrites keep one entry per key.
    cache.set(4096, -1);
    model.set(4096, -1);
    for (const [key, value] of model) expect(cache.get(key)).toBe(value);
    for (let k = 0; k < 2000; k++) {
      const key = rnd() % range;
      expect(cache.get(key)).toBe(model.get(key));
    }
  });

  it('keys beyond 2^31 are kept', () => {
    const cache = new PairCache<string>(2 ** 33);
    cache.set(2 ** 32 + 5, 'far');
    cache.set(5, 'near');
    expect(cache.get(2 ** 32 + 5)).toBe('far');
    expect(cache.get(5)).toBe('near');
    expect(cache.get(2 ** 32 + 6)).toBeUndefined();
  });
});

describe('snapshot index ids', () => {
  it('the integer ids of every assignment agree with the string lookups (unknown ids -1, a repeated id its first row)', () => {
    const rnd = mulberry32(3);
    const identities: Identity[] = Array.from({ length: 40 }, (_, k) => ({
      id: `u${k % 37}`, // three ids repeated: the first row wins
      displayName: `u${k}`,
      type: 'human',
      status: 'active',
    }));
    const entitlements = Array.from({ length: 15 }, (_, k) => ({
      id: `e${k}`,
      name: `E${k}`,
      application: `A${k % 4}`,
      privilege: 'low' as const,
    }));
    const assignments: Assignment[] = [];
    for (let k = 0; k < 600; k++)
      assignments.push({
        // Runs of the same identity (the lookup reuses the previous row's) broken by unknown ids.
        identityId: rnd() % 10 === 0 ? `ghost${k}` : `u${Math.floor(k / 7) % 45}`,
        entitlementId: rnd() % 12 === 0 ? `gone${k}` : `e${rnd() % 15}`,
        source: 's',
        grantedAt: daysAgo(400),
      });
    const data: SnapshotData = { identities, entitlements, assignments, credentials: [] };
    const ix = buildIndex(data, AS_OF);
    const firstIdentity = (id: string) => identities.findIndex((x) => x.id === id);
    const firstEntitlement = (id: string) => entitlements.findIndex((x) => x.id === id);
    assignments.forEach((x, a) => {
      expect(ix.aIdent[a]).toBe(firstIdentity(x.identityId));
      expect(ix.aEnt[a]).toBe(firstEntitlement(x.entitlementId));
    });
    expect(ix.aIdent.includes(-1) && ix.aEnt.includes(-1)).toBe(true);
    // Each identity's entitlement set lists exactly its known grants, sorted.
    for (let i = 0; i < identities.length; i++) {
      const want = assignments
        .filter((x, a) => ix.aIdent[a] === i && ix.aEnt[a]! >= 0)
        .map((x) => firstEntitlement(x.entitlementId))
        .sort((p, q) => p - q);
      expect([...ix.sets.ents.subarray(ix.sets.start[i]!, ix.sets.start[i + 1]!)]).toEqual(want);
    }
  });
});

describe('peer views per assignment', () => {
  it("an assignment's peer signals keep their own figures after the next assignment is assessed", () => {
    // One department/title group of 25 active people and one suspended member: a rare grant held by two of them
    // (rare views are built per assignment), a common one held by all.
    const people: Identity[] = Array.from({ length: 25 }, (_, k) => ({
      id: `p${String(k).padStart(2, '0')}`,
      displayName: `p${k}`,
      type: 'human',
      status: 'active',
      department: 'Ops',
      title: 'Clerk',
      managerId: 'boss',
    }));
    people.push({
      id: 'p99',
      displayName: 'p99',
      type: 'human',
      status: 'suspended',
      department: 'Ops',
      title: 'Clerk',
      managerId: 'boss',
    });
    const entitlements = [
      { id: 'rare', name: 'Rare', application: 'A', privilege: 'low' as const },
      { id: 'common', name: 'Common', application: 'A', privilege: 'low' as const },
    ];
    const assignments: Assignment[] = [];
    for (const p of people) {
      if (p.id === 'p00' || p.id === 'p01' || p.id === 'p99')
        assignments.push({ identityId: p.id, entitlementId: 'rare', source: 's', grantedAt: daysAgo(400), lastUsedAt: daysAgo(200) });
      assignments.push({ identityId: p.id, entitlementId: 'common', source: 's', grantedAt: daysAgo(400), lastUsedAt: daysAgo(3) });
    }
    const out = suggest({ identities: people, entitlements, assignments, credentials: [] }, DEFAULT_POLICY, { asOf: AS_OF });
    const peer = (identityId: string, ent: string) =>
      out
        .find((s) => s.identityId === identityId && s.entitlementId === ent)!
        .signals.find((g) => g.id === 'peer-outlier.department-title')!;
    // p00's rare view: the other holders are p01 (active) — the suspended p99 is no peer.
    expect(peer('p00', 'rare').peers).toEqual({ group: 'department-title:Ops/Clerk', size: 24, holders: ['p01'] });
    expect(peer('p01', 'rare').peers).toEqual({ group: 'department-title:Ops/Clerk', size: 24, holders: ['p00'] });
    // The suspended member compares with all 25 active peers, two of whom hold it.
    expect(peer('p99', 'rare').peers).toEqual({ group: 'department-title:Ops/Clerk', size: 25, holders: ['p00', 'p01'] });
    expect(peer('p99', 'rare').value).toBe(Math.round((2 / 25) * 1e4) / 1e4);
    expect(peer('p00', 'common').value).toBe(1);
    expect(peer('p99', 'common').value).toBe(1);
    expect(peer('p99', 'common').peers).toEqual({ group: 'department-title:Ops/Clerk', size: 25 });
  });
});

describe('fastDate', () => {
  it('reads every real day of leap and common years, and gives NaN past the month end (the caller then parses it)', async () => {
    const { fastDate } = await import('../../shared/suggest/helpers');
    const two = (n: number) => String(n).padStart(2, '0');
    let checked = 0;
    for (const y of [1900, 2000, 2023, 2024, 2026, 2100])
      for (let m = 1; m <= 12; m++)
        for (let d = 1; d <= 31; d++) {
          const text = `${y}-${two(m)}-${two(d)}`;
          const t = Date.UTC(y, m - 1, d);
          const real = new Date(t).getUTCDate() === d;
          if (real) expect(fastDate(text), text).toBe(t);
          else expect(fastDate(text), text).toBeNaN();
          checked++;
        }
    expect(checked).toBe(6 * 12 * 31);
    expect(fastDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(fastDate('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
    expect(fastDate('1900-02-29')).toBeNaN();
    expect(fastDate('2026-04-31')).toBeNaN();
  });
});
