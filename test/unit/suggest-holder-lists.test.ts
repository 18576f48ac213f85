// Rare peer views list the group's other active holders, sorted by id, without the identity itself: the lists are
// cut from runs of the group's grants (a counting sort by group and entitlement), so the order and the exclusion are
// checked here on a group whose ids are neither in snapshot order nor in import order.
import { describe, expect, it } from 'vitest';
import type { Assignment, Identity, SnapshotData } from '../../shared/model';
import { DEFAULT_POLICY, SIGNAL_IDS, suggest, type Policy } from '../../shared/suggest';

const ASOF = Date.UTC(2026, 10, 22);

function person(id: string, status: Identity['status'] = 'active', title = 'Engineer'): Identity {
  return { id, displayName: id, type: 'human', status, department: 'Ops', title };
}

describe('rare peer views: holder lists', () => {
  // 40 active members in Ops/Engineer (ids shuffled), one terminated member; everyone holds the common entitlement,
  // three active members and the terminated one hold the rare one.
  const ids = Array.from({ length: 40 }, (_, k) => `p${String((k * 17) % 40).padStart(2, '0')}`);
  const rareHolders = ['p31', 'p04', 'p18'];
  const identities = [...ids.map((id) => person(id)), person('t01', 'terminated')];
  const assignments: Assignment[] = [];
  for (const x of identities) {
    assignments.push({ identityId: x.id, entitlementId: 'common', lastUsedAt: '2026-11-01', source: 'test' });
    if (rareHolders.includes(x.id) || x.id === 't01')
      assignments.push({ identityId: x.id, entitlementId: 'rare', lastUsedAt: '2026-11-01', source: 'test' });
  }
  const data: SnapshotData = {
    identities,
    entitlements: [
      { id: 'common', name: 'Common', application: 'App', privilege: 'low' },
      { id: 'rare', name: 'Rare', application: 'App', privilege: 'low' },
    ],
    assignments,
    credentials: [],
  };
  const policy: Policy = {
    ...DEFAULT_POLICY,
    peerOutlier: {
      ...DEFAULT_POLICY.peerOutlier,
      groups: { ...DEFAULT_POLICY.peerOutlier.groups, manager: false },
      nearestNeighbours: { ...DEFAULT_POLICY.peerOutlier.nearestNeighbours, enabled: false },
    },
  };
  const out = suggest(data, policy, { asOf: ASOF });
  const view = (id: string) => {
    const s = out.find((x) => x.identityId === id && x.entitlementId === 'rare')!;
    return s.signals.find((g) => g.id === SIGNAL_IDS.peerDeptTitle)!;
  };

  it("lists an active member's other holders in id order, never the member itself", () => {
    for (const id of rareHolders) {
      const g = view(id);
      expect(g.value).toBe(round4(2 / 39));
      expect(g.peers).toEqual({
        group: 'department-title:Ops/Engineer',
        size: 39,
        holders: rareHolders.filter((h) => h !== id).sort(),
      });
    }
  });

  it('lists every active holder for a holder who is not a member (terminated)', () => {
    const g = view('t01');
    expect(g.peers).toEqual({ group: 'department-title:Ops/Engineer', size: 40, holders: [...rareHolders].sort() });
  });

  it('shares one group reference among the common views of active members', () => {
    const common = ids.map((id) => out.find((x) => x.identityId === id && x.entitlementId === 'common')!);
    const refs = new Set(common.map((s) => s.signals.find((g) => g.id === SIGNAL_IDS.peerDeptTitle)!.peers));
    expect(refs.size).toBe(1);
    expect([...refs][0]).toEqual({ group: 'department-title:Ops/Engineer', size: 39 });
  });
});

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
