// People resolve ambiguous correlation matches: "merge" or "keep apart", with a rationale, recorded and applied.
// Resolutions are checked (the ambiguity and its candidates exist, no identity in two merges, no placeholder
// rationale), undo is a new entry, and applying them never loses nor duplicates an assignment.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandGrantPaths } from '../../shared/import/grant-paths';
import { mergeSnapshotData } from '../../shared/import/merge';
import {
  activeResolutions,
  applyCorrelationResolutions,
  checkResolution,
  checkResolutionRationale,
  resolutionStatus,
  type AmbiguousMatch,
  type CorrelationResolution,
} from '../../shared/import/resolutions';
import { emptySnapshotData, type Identity, type SnapshotData } from '../../shared/model';
import type { ReviewerRef } from '../../shared/review/types';

const IRIS: ReviewerRef = { id: 'rev-iris', name: 'Iris Lead', keyFingerprint: 'SHA256:00' };
const WHY = 'Same person: HR confirms the admin account belongs to Ann Lee (ticket HR-4411).';

function part(source: string, identities: Partial<Identity>[], assignments: [string, string][] = []): SnapshotData {
  const d = emptySnapshotData();
  d.identities = identities.map((i) => ({ displayName: i.id!, type: 'human', status: 'active', sources: [source], ...i }) as Identity);
  d.entitlements = [...new Set(assignments.map(([, e]) => e))].map((e) => ({ id: e, name: e, application: source, privilege: 'low' }));
  d.assignments = assignments.map(([identityId, entitlementId]) => ({ identityId, entitlementId, source }));
  return d;
}

/** Two identities of one source share an e-mail that one identity of another source has: ambiguous. */
function ambiguousImport() {
  const okta = part(
    'okta.json',
    [
      { id: 'okta:ann', email: 'ann@x.com', login: 'ann' },
      { id: 'okta:ann-admin', email: 'ann@x.com', login: 'ann-admin', managerId: 'okta:boss' },
      { id: 'okta:boss', email: 'boss@x.com' },
    ],
    [
      ['okta:ann', 'app-user'],
      ['okta:ann-admin', 'app-admin'],
    ],
  );
  okta.credentials = [{ identityId: 'okta:ann-admin', credentialId: 'key-1', kind: 'access-key', active: true }];
  const scim = part(
    'scim.json',
    [{ id: 'scim:ann', email: 'ANN@x.com' }],
    [
      ['scim:ann', 'app-user'],
      ['scim:ann', 'wiki'],
    ],
  );
  scim.credentials = [{ identityId: 'scim:ann', credentialId: 'key-2', kind: 'token', active: true }];
  return mergeSnapshotData([okta, scim]);
}

const entry = (over: Partial<CorrelationResolution>): CorrelationResolution => ({
  candidates: ['okta:ann', 'okta:ann-admin', 'scim:ann'],
  action: 'merge',
  identityIds: ['okta:ann', 'scim:ann'],
  rationale: WHY,
  by: IRIS,
  at: '2026-11-23T02:00:00.000Z',
  ...over,
});

describe('correlation resolutions', () => {
  it('the import leaves the match ambiguous (the starting point)', () => {
    const { data, correlation } = ambiguousImport();
    expect(correlation.ambiguous).toHaveLength(1);
    expect(correlation.ambiguous[0]!.candidates).toEqual(['okta:ann', 'okta:ann-admin', 'scim:ann']);
    expect(data.identities).toHaveLength(4);
  });

  it('a merge unites the chosen candidates: assignments, credentials and sources; the other candidate stays apart', () => {
    const { data, correlation } = ambiguousImport();
    const r = applyCorrelationResolutions(data, correlation.ambiguous, [entry({})]);
    expect(r.problems).toEqual([]);
    expect(r.data.identities.map((i) => i.id)).toEqual(['okta:ann', 'okta:ann-admin', 'okta:boss']);
    const ann = r.data.identities[0]!;
    expect(ann.sources).toEqual(['okta.json', 'scim.json']);
    expect(ann.mergeReason).toBe(`merged by Iris Lead: ${WHY}`);
    expect(r.merged).toEqual([{ identityId: 'okta:ann', from: ['okta:ann', 'scim:ann'], reason: `merged by Iris Lead: ${WHY}` }]);
    expect(r.idMap).toEqual(new Map([['scim:ann', 'okta:ann']]));
    // The grant both records hold is one assignment, with both sources; the SCIM-only grant follows.
    const annGrants = r.data.assignments.filter((a) => a.identityId === 'okta:ann');
    expect(annGrants.map((a) => [a.entitlementId, a.source])).toEqual([
      ['app-user', 'okta.json, scim.json'],
      ['wiki', 'scim.json'],
    ]);
    expect(r.data.assignments.filter((a) => a.identityId === 'okta:ann-admin').map((a) => a.entitlementId)).toEqual(['app-admin']);
    expect(r.data.credentials.map((c) => [c.identityId, c.credentialId])).toEqual([
      ['okta:ann-admin', 'key-1'],
      ['okta:ann', 'key-2'],
    ]);
    // The input is not modified.
    expect(data.identities).toHaveLength(4);
    expect(data.assignments.some((a) => a.identityId === 'scim:ann')).toBe(true);
  });

  it('the identity listed first keeps its id, whatever order the person picked; references follow the merge', () => {
    const { data, correlation } = ambiguousImport();
    data.entitlements[0]!.ownerId = 'scim:ann';
    const r = applyCorrelationResolutions(data, correlation.ambiguous, [entry({ identityIds: ['scim:ann', 'okta:ann-admin'] })]);
    expect(r.data.identities.map((i) => i.id)).toEqual(['okta:ann', 'okta:ann-admin', 'okta:boss']);
    expect(r.data.identities[1]!.managerId).toBe('okta:boss');
    expect(r.data.entitlements[0]!.ownerId).toBe('okta:ann-admin');
    expect(data.entitlements[0]!.ownerId).toBe('scim:ann');
  });

  it('keep apart and open ambiguities change nothing; the summary counts resolved ones', () => {
    const { data, correlation } = ambiguousImport();
    const keep = entry({
      action: 'keep-apart',
      identityIds: [],
      rationale: 'Three accounts of two people: the SCIM user is the contractor Ann Lee.',
    });
    const r = applyCorrelationResolutions(data, correlation.ambiguous, [keep]);
    expect(r.data).toBe(data);
    expect(resolutionStatus(correlation.ambiguous, []).map((s) => s.resolution)).toEqual([null]);
    expect(resolutionStatus(correlation.ambiguous, [keep])[0]!.resolution).toEqual({ entry: keep, index: 0 });
  });

  it('undo is a new entry: the merge stops applying, the history keeps both, and the ambiguity is open again', () => {
    const { data, correlation } = ambiguousImport();
    const merge = entry({});
    const undo = entry({
      action: 'undo',
      identityIds: [],
      undoes: 0,
      rationale: 'Merged too early: HR ticket HR-4411 was about another Ann.',
    });
    expect(checkResolution(undo, [merge], correlation.ambiguous, () => true)).toBeNull();
    const list = [merge, undo];
    expect(activeResolutions(list).size).toBe(0);
    expect(applyCorrelationResolutions(data, correlation.ambiguous, list).data.identities).toHaveLength(4);
    // Resolved again after the undo: applies.
    const again = entry({ identityIds: ['okta:ann-admin', 'scim:ann'], at: '2026-11-23T03:00:00.000Z' });
    expect(checkResolution(again, list, correlation.ambiguous, () => true)).toBeNull();
    expect(applyCorrelationResolutions(data, correlation.ambiguous, [...list, again]).idMap).toEqual(
      new Map([['scim:ann', 'okta:ann-admin']]),
    );
    // A prefix of the list is the state someone saw then.
    expect(applyCorrelationResolutions(data, correlation.ambiguous, list.slice(0, 1)).idMap).toEqual(new Map([['scim:ann', 'okta:ann']]));
  });

  it('refuses what is not a resolution of this snapshot, in words', () => {
    const { correlation } = ambiguousImport();
    const amb = correlation.ambiguous;
    const exists = (id: string) => id !== 'gone';
    const check = (e: Partial<CorrelationResolution>, list: CorrelationResolution[] = []) => checkResolution(entry(e), list, amb, exists);
    expect(check({})).toBeNull();
    expect(check({ candidates: ['a', 'b'] })).toMatch(/no ambiguous match with the candidates a, b/);
    expect(
      checkResolution(
        entry({ candidates: ['gone', 'x'], identityIds: ['gone', 'x'] }),
        [],
        [{ candidates: ['gone', 'x'], reason: 'r' }],
        exists,
      ),
    ).toMatch(/candidate "gone" is not in the snapshot/);
    expect(check({ identityIds: ['okta:ann'] })).toMatch(/at least two/);
    expect(check({ identityIds: ['okta:ann', 'okta:ann'] })).toMatch(/named twice/);
    expect(check({ identityIds: ['okta:ann', 'okta:boss'] })).toMatch(/"okta:boss" is not a candidate/);
    expect(check({ action: 'keep-apart', identityIds: ['okta:ann'] })).toMatch(/names no identities/);
    expect(check({ rationale: 'ok' })).toMatch(/nothing specific/);
    expect(check({ rationale: '  ' })).toMatch(/Say why/);
    expect(check({ rationale: 'same guy' })).toMatch(/too generic/);
    expect(check({ at: 'yesterday' })).toMatch(/not a date/);
    expect(check({}, [entry({})])).toMatch(/already resolved by entry #1 \(merge by Iris Lead, 2026-11-23\): undo that first/);
    expect(check({ action: 'undo', identityIds: [], undoes: 3 }, [entry({})])).toMatch(/no earlier entry #4/);
    const undo = entry({ action: 'undo', identityIds: [], undoes: 0 });
    expect(check({ action: 'undo', identityIds: [], undoes: 0 }, [entry({}), undo])).toMatch(/no longer in force/);
    expect(check({ action: 'undo', identityIds: [], undoes: 1 }, [entry({}), undo])).toMatch(/itself an undo/);
  });

  it('never puts one identity in two merges (two ambiguities sharing a candidate)', () => {
    const a = part('a.json', [{ id: 'a1', email: 'dan@x.com', login: 'dan' }]);
    const b = part('b.json', [
      { id: 'b1', email: 'dan@x.com' },
      { id: 'b2', login: 'DAN' },
    ]);
    const c = part('c.json', [
      { id: 'c1', email: 'dan@x.com' },
      { id: 'c2', email: 'DAN@x.com' },
    ]);
    const { data, correlation } = mergeSnapshotData([a, b, c]);
    const withA1 = correlation.ambiguous.filter((x) => x.candidates.includes('a1'));
    expect(withA1.length).toBeGreaterThanOrEqual(2);
    const [first, second] = withA1 as [AmbiguousMatch, AmbiguousMatch];
    const m1 = entry({ candidates: first.candidates, identityIds: ['a1', first.candidates.find((x) => x !== 'a1')!] });
    const m2 = entry({
      candidates: second.candidates,
      identityIds: ['a1', second.candidates.find((x) => x !== 'a1' && !m1.identityIds.includes(x))!],
    });
    expect(checkResolution(m1, [], correlation.ambiguous, () => true)).toBeNull();
    expect(checkResolution(m2, [m1], correlation.ambiguous, () => true)).toMatch(/"a1" is already merged by entry #1/);
    // A damaged list (the second merge stored anyway) applies the first only, and says so.
    const r = applyCorrelationResolutions(data, correlation.ambiguous, [m1, m2]);
    expect(r.problems).toEqual([{ index: 1, message: expect.stringMatching(/already merged/) as unknown as string }]);
    expect(r.merged).toHaveLength(1);
  });

  it('rationale rule is the decision rule', () => {
    expect(checkResolutionRationale('lgtm')).toMatch(/nothing specific/);
    expect(checkResolutionRationale('looks good to me')).toMatch(/nothing specific/);
    expect(checkResolutionRationale('Same employee number in the HR file and badge records.')).toBeNull();
  });
});

describe('applying resolutions (property)', () => {
  // Random snapshots: identities, grants without duplicates, ambiguities over random candidates, and random
  // resolution lists (valid and not). Whatever the list, every grant survives (re-pointed to the merged
  // identity) and no grant is there twice.
  const snapshotArb = fc
    .record({
      n: fc.integer({ min: 2, max: 12 }),
      grants: fc.uniqueArray(fc.tuple(fc.nat(11), fc.nat(5)), { maxLength: 60, selector: ([i, e]) => `${i}:${e}` }),
      creds: fc.array(fc.tuple(fc.nat(11), fc.nat(2)), { maxLength: 10 }),
      ambiguities: fc.array(fc.uniqueArray(fc.nat(11), { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
      steps: fc.array(
        fc.record({
          amb: fc.nat(3),
          kind: fc.constantFrom('merge', 'keep-apart', 'undo'),
          pick: fc.uniqueArray(fc.nat(3), { minLength: 1, maxLength: 4 }),
          undoes: fc.nat(9),
        }),
        { maxLength: 10 },
      ),
    })
    .map(({ n, grants, creds, ambiguities, steps }) => {
      const id = (k: number) => `i${k % n}`;
      const data = emptySnapshotData();
      data.identities = Array.from(
        { length: n },
        (_, k) => ({ id: `i${k}`, displayName: `I ${k}`, type: 'human', status: 'active', sources: [`s${k % 3}`] }) as Identity,
      );
      const seenGrant = new Set<string>();
      for (const [i, e] of grants) {
        const key = `${id(i)}:${e}`;
        if (seenGrant.has(key)) continue;
        seenGrant.add(key);
        data.assignments.push({ identityId: id(i), entitlementId: `e${e}`, source: `s${i % 3}`, grantedAt: `2024-0${1 + (i % 9)}-01` });
      }
      data.credentials = creds.map(([i, c]) => ({ identityId: id(i), credentialId: `c${c}`, kind: 'token', active: true }));
      const amb: AmbiguousMatch[] = ambiguities
        .map((c) => ({ candidates: [...new Set(c.map(id))].sort(), reason: 'random' }))
        .filter((a) => a.candidates.length >= 2);
      const list: CorrelationResolution[] = [];
      for (const s of steps) {
        const a = amb[s.amb % Math.max(1, amb.length)];
        if (!a) break;
        const picked = [...new Set(s.pick.map((p) => a.candidates[p % a.candidates.length]!))];
        list.push({
          candidates: a.candidates,
          action: s.kind,
          identityIds: s.kind === 'merge' ? picked : [],
          ...(s.kind === 'undo' ? { undoes: s.undoes } : {}),
          rationale: WHY,
          by: IRIS,
          at: '2026-11-23T02:00:00.000Z',
        });
      }
      return { data, amb, list };
    });

  it('never loses an assignment and never duplicates one; merged-away identities are gone', () => {
    let withMerges = 0;
    fc.assert(
      fc.property(snapshotArb, ({ data, amb, list }) => {
        const r = applyCorrelationResolutions(data, amb, list);
        if (r.merged.length) withMerges++;
        const final = (id: string) => r.idMap.get(id) ?? id;
        const expected = new Set(data.assignments.map((a) => `${final(a.identityId)}|${a.entitlementId}`));
        const got = r.data.assignments.map((a) => `${a.identityId}|${a.entitlementId}`);
        expect(new Set(got).size).toBe(got.length);
        expect(new Set(got)).toEqual(expected);
        const ids = new Set(r.data.identities.map((i) => i.id));
        expect(ids.size).toBe(r.data.identities.length);
        expect(r.data.identities.length).toBe(data.identities.length - r.idMap.size);
        for (const [from, to] of r.idMap) {
          expect(ids.has(from)).toBe(false);
          expect(ids.has(to)).toBe(true);
        }
        for (const a of r.data.assignments) expect(ids.has(a.identityId)).toBe(true);
        const creds = new Set(data.credentials.map((c) => `${final(c.identityId)}|${c.credentialId}`));
        expect(new Set(r.data.credentials.map((c) => `${c.identityId}|${c.credentialId}`))).toEqual(creds);
        const inMerge = new Set(r.merged.flatMap((m) => m.from));
        expect(r.data.credentials.filter((c) => !inMerge.has(c.identityId))).toEqual(
          data.credentials.filter((c) => !inMerge.has(c.identityId)),
        );
        const mergedCreds = r.data.credentials.filter((c) => inMerge.has(c.identityId)).map((c) => `${c.identityId}|${c.credentialId}`);
        expect(new Set(mergedCreds).size).toBe(mergedCreds.length);
        // Every merge applied is one a person recorded; the entries refused are named.
        for (const m of r.merged)
          expect(list.some((e) => e.action === 'merge' && [...e.identityIds].sort().join() === [...m.from].sort().join())).toBe(true);
        for (const p of r.problems) expect(p.index).toBeLessThan(list.length);
        if (!r.problems.length)
          expect(r.merged.length).toBe([...activeResolutions(list).values()].filter((x) => x.entry.action === 'merge').length);
      }),
      { numRuns: 300 },
    );
    // The property is about merges: many runs must apply some (about 120 of 300 do; 99 was seen once, so the
    // bar sits well below that, where it still proves the runs are not vacuous).
    expect(withMerges).toBeGreaterThan(60);
  });
});

describe('correlation resolutions and grant paths', () => {
  // ldap:ann is in ap-team; scim:ann in finance-ops. Both groups are nested in finance-all, which grants erp-approve.
  function nestedImport() {
    const ldap = part(
      'dir.ldif',
      [
        { id: 'ldap:ann', email: 'ann@x.com', login: 'ann' },
        { id: 'ldap:ann2', email: 'ann@x.com', login: 'ann2' },
      ],
      [['ldap:ann', 'ap-team']],
    );
    ldap.links = [
      { memberId: 'ap-team', groupId: 'finance-all', kind: 'group' },
      { memberId: 'finance-ops', groupId: 'finance-all', kind: 'group' },
      { memberId: 'finance-all', groupId: 'erp-approve', kind: 'group' },
      { memberId: 'erp-approve', groupId: 'finance-all', kind: 'group' },
    ];
    ldap.entitlements.push(
      ...['finance-ops', 'finance-all', 'erp-approve'].map((id) => ({ id, name: id, application: 'dir.ldif', privilege: 'low' as const })),
    );
    const scim = part('scim.json', [{ id: 'scim:ann', email: 'ANN@x.com' }], [['scim:ann', 'finance-ops']]);
    const { data, correlation } = mergeSnapshotData([ldap, scim]);
    const expansion = expandGrantPaths(data.assignments, data.links);
    return { data: { ...data, assignments: expansion.assignments, cycles: expansion.cycles }, ambiguities: correlation.ambiguous };
  }
  const merge = (ids: string[]) => entry({ candidates: ['ldap:ann', 'ldap:ann2', 'scim:ann'], identityIds: ids });
  const grantsOf = (d: SnapshotData, id: string) =>
    d.assignments
      .filter((a) => a.identityId === id)
      .map((a) => ({ entitlementId: a.entitlementId, path: a.path ?? [], derivedFrom: a.derivedFrom ?? [] }));

  it("a merge keeps the nesting links and cycles, and the merged person's paths are those an import of that person gives", () => {
    const { data, ambiguities } = nestedImport();
    expect(ambiguities.map((a) => a.candidates)).toEqual([['ldap:ann', 'ldap:ann2', 'scim:ann']]);
    expect(data.cycles).toEqual([['erp-approve', 'finance-all']]);
    const r = applyCorrelationResolutions(data, ambiguities, [merge(['ldap:ann', 'scim:ann'])]);
    expect(r.problems).toEqual([]);
    expect(r.data.links).toEqual(data.links);
    expect(r.data.cycles).toEqual(data.cycles);
    // The person, imported as one identity holding both groups directly.
    const fresh = expandGrantPaths(
      [
        { identityId: 'ldap:ann', entitlementId: 'ap-team', source: 'dir.ldif' },
        { identityId: 'ldap:ann', entitlementId: 'finance-ops', source: 'scim.json' },
      ],
      data.links,
    ).assignments;
    const byId = (list: { entitlementId: string }[]) => [...list].sort((a, b) => a.entitlementId.localeCompare(b.entitlementId));
    expect(byId(grantsOf(r.data, 'ldap:ann'))).toEqual(byId(grantsOf({ ...data, assignments: fresh }, 'ldap:ann')));
    // Both groups lead to finance-all: the path names one (the first by id), derivedFrom both direct grants.
    expect(grantsOf(r.data, 'ldap:ann').find((g) => g.entitlementId === 'erp-approve')).toEqual({
      entitlementId: 'erp-approve',
      path: ['ap-team', 'finance-all'],
      derivedFrom: ['ap-team', 'finance-ops'],
    });
    expect(r.data.assignments.some((a) => a.identityId === 'scim:ann')).toBe(false);
  });

  it('a merge where one record holds directly what the other inherits: the direct grant stands, and what it passes on starts there', () => {
    const { data, ambiguities } = nestedImport();
    data.assignments.push({ identityId: 'scim:ann', entitlementId: 'finance-all', source: 'scim.json' });
    const r = applyCorrelationResolutions(data, ambiguities, [merge(['ldap:ann', 'scim:ann'])]);
    const grants = grantsOf(r.data, 'ldap:ann');
    expect(grants.find((g) => g.entitlementId === 'finance-all')).toEqual({ entitlementId: 'finance-all', path: [], derivedFrom: [] });
    expect(grants.find((g) => g.entitlementId === 'erp-approve')).toMatchObject({ path: ['finance-all'] });
    expect(grants.map((g) => g.entitlementId).sort()).toEqual(['ap-team', 'erp-approve', 'finance-all', 'finance-ops']);
  });

  it('an undo splits the person again: each record has exactly its imported grants and paths', () => {
    const { data, ambiguities } = nestedImport();
    const list = [
      merge(['ldap:ann', 'scim:ann']),
      entry({
        candidates: ['ldap:ann', 'ldap:ann2', 'scim:ann'],
        action: 'undo',
        undoes: 0,
        identityIds: [],
        rationale: 'Undone: the SCIM record is the contractor Ann Lee, HR ticket HR-4412.',
      }),
    ];
    const r = applyCorrelationResolutions(data, ambiguities, list);
    expect(r.problems).toEqual([]);
    expect(r.data.assignments).toEqual(data.assignments);
    expect(grantsOf(r.data, 'scim:ann').map((g) => [g.entitlementId, g.path])).toEqual([
      ['finance-ops', []],
      ['finance-all', ['finance-ops']],
      ['erp-approve', ['finance-ops', 'finance-all']],
    ]);
  });
});
