// Inherited access survives the chunked snapshot storage: path and derivedFrom columns round-trip; chunks of direct
// grants only carry no extra columns (and older chunks without them still decode).
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { WorkbenchDatabase, loadSnapshot, storeSnapshot } from '../../renderer/db';
import { decodeAssignments, encodeAssignments } from '../../renderer/db/chunk-codec';
import type { Assignment } from '../../shared/model';

describe('chunk codec: grant paths', () => {
  it('round-trips path and derivedFrom, and leaves direct grants without them', () => {
    const rows: Assignment[] = [
      { identityId: 'ann', entitlementId: 'ap-team', source: 'd.ldif', usageKnown: false },
      {
        identityId: 'ann',
        entitlementId: 'erp',
        source: 'd.ldif',
        usageKnown: false,
        path: ['ap-team', 'finance-all'],
        derivedFrom: ['ap-team'],
      },
    ];
    const cols = encodeAssignments(rows, 0, rows.length);
    expect(cols.path).toBeInstanceOf(Uint32Array);
    const out: Assignment[] = [];
    decodeAssignments(cols, out);
    expect(out).toEqual(rows);
    const direct = encodeAssignments(rows, 0, 1);
    expect(direct.path).toBeUndefined();
    const back: Assignment[] = [];
    decodeAssignments(direct, back);
    expect(back).toEqual([rows[0]]);
  });
});

describe('snapshot storage: nesting links', () => {
  it('a stored snapshot keeps its links (remediation asks who else a cut link reaches); one without has none', async () => {
    const db = new WorkbenchDatabase(`links-${Math.random()}`);
    const identities = [{ id: 'ann', displayName: 'Ann', type: 'human' as const, status: 'active' as const }];
    const entitlements = ['a', 'b', 'c'].map((id) => ({ id, name: id, application: 'LDAP', privilege: 'low' as const }));
    const links = [
      { memberId: 'a', groupId: 'b', kind: 'group' as const },
      { memberId: 'b', groupId: 'c', kind: 'rule' as const, source: 'd.ldif' },
    ];
    const data = {
      identities,
      entitlements,
      credentials: [],
      assignments: [{ identityId: 'ann', entitlementId: 'a', source: 'd.ldif' }],
      links,
    };
    await storeSnapshot(db, { id: 's1', name: 's1', createdAt: '2026-12-06T00:00:00Z', data, sources: [] });
    expect((await loadSnapshot(db, 's1')).links).toEqual(links);
    await storeSnapshot(db, { id: 's2', name: 's2', createdAt: '2026-12-06T00:00:00Z', data: { ...data, links: undefined }, sources: [] });
    expect((await loadSnapshot(db, 's2')).links).toBeUndefined();
    db.close();
  });
});
