// The compact campaign table and its views must show exactly what the object-based review list showed:
// the same rows, in the same order, under every filter, search, grouping and sort.
import { describe, expect, it } from 'vitest';
import type { Credential, Entitlement, Identity, Snapshot } from '../../shared/model';
import { deriveItemStates, chainEvent, type AuditEvent, type AuditEventBody, type ItemState } from '../../shared/review';
import { EVERYTHING } from '../../shared/review/scope';
import { DECISION_CLASSES, RISK_TIERS, SUGGESTED_ACTIONS, type Suggestion } from '../../shared/suggest/types';
import {
  buildCampaignTable,
  campaignData,
  indexOfItem,
  itemDetail,
  packTable,
  titleOf,
  unpackTable,
  type CampaignData,
} from '../../renderer/workers/campaign-table';
import { tableView, type GroupBy, type SortBy, type ViewFilters } from '../../renderer/features/review/table-view';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function fixture(seed: number): { data: CampaignData; states: Map<string, ItemState> } {
  const r = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const names = ['Ann Berg', 'ann berg', 'Émile Zola', 'Zoë Ax', 'Bob', 'bob', 'Carla Diaz', 'Dmitri', 'Öz Kaya'];
  const identities: Identity[] = Array.from({ length: 30 }, (_, i) => ({
    id: `u${i}`,
    displayName: pick(names),
    type: pick(['human', 'service', 'workload', 'agent'] as const),
    status: 'active',
    sources: ['ids.csv'],
  }));
  const entitlements: Entitlement[] = Array.from({ length: 8 }, (_, i) => ({
    id: `e${i}`,
    name: pick(['Read', 'Write', 'Admin', 'read', 'Billing-Approve']),
    application: pick(['Billing', 'Wiki', 'wiki', 'CRM']),
    privilege: pick(RISK_TIERS),
  }));
  const credentials: Credential[] = [{ identityId: 'u1', credentialId: 'k1', kind: 'access-key', active: true }];
  const assignments = identities.flatMap((i) =>
    entitlements.filter(() => r() < 0.4).map((e) => ({ identityId: i.id, entitlementId: e.id, source: 'grants.csv' })),
  );
  const suggestions: Suggestion[] = [];
  for (const a of assignments)
    suggestions.push({
      itemId: `a:${a.identityId}\u001f${a.entitlementId}`,
      identityId: a.identityId,
      entitlementId: a.entitlementId,
      action: pick(SUGGESTED_ACTIONS),
      confidence: Math.round(r() * 100) / 100,
      riskTier: pick(RISK_TIERS),
      decisionClass: pick(DECISION_CLASSES),
      signals: [],
      engine: 'e',
      policyDigest: 'p',
    });
  suggestions.push({
    itemId: 'c:u1\u001fk1',
    identityId: 'u1',
    credentialId: 'k1',
    action: 'rotate',
    confidence: 0.7,
    riskTier: 'high',
    decisionClass: 'step-up',
    signals: [],
    engine: 'e',
    policyDigest: 'p',
  });
  suggestions.push({
    itemId: 'i:ghost',
    identityId: 'ghost',
    action: 'disable-login',
    confidence: 0.5,
    riskTier: 'low',
    decisionClass: 'suggest',
    signals: [],
    engine: 'e',
    policyDigest: 'p',
  });
  const snapshot: Snapshot = { id: 's', name: 's', createdAt: '', sources: [], identities, entitlements, assignments, credentials };
  const assigned = new Map(
    suggestions.filter(() => r() < 0.7).map((s) => [s.itemId, { reviewerId: pick(['me', 'other']), reason: 'rule' }]),
  );
  const data = campaignData(EVERYTHING, snapshot, suggestions, assigned);
  const actor = { id: 'me', name: 'Me', keyFingerprint: 'x' };
  const events: AuditEvent[] = [];
  let last: AuditEvent | null = null;
  for (const s of suggestions.filter(() => r() < 0.3)) {
    const body: AuditEventBody = {
      campaignId: 'c',
      type: 'decision',
      at: '2026-11-22T00:00:00Z',
      actor,
      itemId: s.itemId,
      action: 'keep',
      acceptedSuggestion: true,
    };
    last = chainEvent(last, body);
    events.push(last);
    if (s.decisionClass === 'step-up' && r() < 0.5) {
      last = chainEvent(last, {
        campaignId: 'c',
        type: 'approval',
        at: '2026-11-22T00:00:00Z',
        actor: { ...actor, id: 'other' },
        itemId: s.itemId,
        refersTo: last.seq,
      });
      events.push(last);
    }
  }
  return { data, states: deriveItemStates(events) };
}

/** The review list as it was computed before the compact table (ReviewScreen over ReviewItem objects). */
function reference(data: CampaignData, f: ViewFilters, states: Map<string, ItemState>): { order: string[]; groups: string[] } {
  const TIER_RANK = { critical: 0, high: 1, medium: 2, low: 3 } as const;
  const items = data.items.map((s) => ({
    s,
    t: titleOf(data, s),
    identity: data.identities.get(s.identityId),
    reviewer: data.assigned.get(s.itemId)?.reviewerId,
  }));
  const status = (i: (typeof items)[number]) => {
    const d = states.get(i.s.itemId)?.current;
    if (!d) return 'open';
    // Issue #16: a can't-decide is escalated, and never-delegate (critical) items wait for a second person too.
    if (d.action === 'cant-decide') return 'escalated';
    return (i.s.decisionClass === 'step-up' || i.s.decisionClass === 'never-delegate') && !d.approval ? 'pending approval' : 'decided';
  };
  const q = f.search.trim().toLowerCase();
  const list = items.filter((item) => {
    if (f.risk && item.s.riskTier !== f.risk) return false;
    if (f.action && item.s.action !== f.action) return false;
    if (f.identityClass && item.identity?.type !== f.identityClass) return false;
    if (f.mine !== null && item.reviewer && item.reviewer !== f.mine) return false;
    if (f.status && status(item) !== f.status) return false;
    if (q && !`${item.t.who} ${item.t.what} ${item.t.app} ${item.s.identityId} ${item.s.action}`.toLowerCase().includes(q)) return false;
    return true;
  });
  const key = (i: (typeof items)[number]) =>
    f.groupBy === 'identity' ? i.t.who : f.groupBy === 'entitlement' ? i.t.what : f.groupBy === 'application' ? i.t.app : '';
  const order = (a: (typeof items)[number], b: (typeof items)[number]) => {
    if (f.sortBy === 'risk') return TIER_RANK[a.s.riskTier] - TIER_RANK[b.s.riskTier];
    if (f.sortBy === 'confidence') return b.s.confidence - a.s.confidence;
    if (f.sortBy === 'identity') return a.t.who.localeCompare(b.t.who);
    return 0;
  };
  const sorted =
    f.groupBy === 'none' && f.sortBy === 'engine'
      ? list
      : list
          .map((item, i) => ({ item, i }))
          .sort((x, y) => key(x.item).localeCompare(key(y.item)) || order(x.item, y.item) || x.i - y.i)
          .map((x) => x.item);
  const groups: string[] = [];
  if (f.groupBy !== 'none') for (const i of sorted) if (groups[groups.length - 1] !== key(i)) groups.push(key(i));
  return { order: sorted.map((i) => i.s.itemId), groups };
}

const base: ViewFilters = {
  search: '',
  risk: null,
  action: null,
  identityClass: null,
  status: null,
  mine: null,
  groupBy: 'none',
  sortBy: 'engine',
};

describe('campaign table views', () => {
  const cases: Partial<ViewFilters>[] = [
    {},
    { risk: 'low' },
    { risk: 'critical', action: 'revoke' },
    { identityClass: 'service' },
    { status: 'open' },
    { status: 'decided' },
    { status: 'pending approval' },
    { mine: 'me' },
    { search: 'ann' },
    { search: 'ann berg' },
    { search: 'zola read' },
    { search: 'REVOKE' },
    { search: 'u1' },
    { search: 'k1' },
    { search: 'nobody at all' },
    ...(['identity', 'entitlement', 'application'] as GroupBy[]).flatMap((groupBy) =>
      (['engine', 'risk', 'confidence', 'identity'] as SortBy[]).map((sortBy) => ({ groupBy, sortBy })),
    ),
    ...(['risk', 'confidence', 'identity'] as SortBy[]).map((sortBy) => ({ sortBy })),
    { groupBy: 'application', sortBy: 'risk', risk: 'high', search: 'b' },
  ];
  for (const seed of [1, 2, 3]) {
    const { data, states } = fixture(seed);
    const table = buildCampaignTable(data);
    it(`seed ${seed}: every filter, search, grouping and sort shows the same rows in the same order`, () => {
      expect(table.count).toBe(data.items.length);
      data.items.forEach((s, i) => expect(indexOfItem(table, s.itemId)).toBe(i));
      expect(indexOfItem(table, 'a:nobody\u001fe0')).toBe(-1);
      for (const c of cases) {
        const f = { ...base, ...c };
        const view = tableView(table, f, states);
        const want = reference(data, f, states);
        expect(
          Array.from(view.items, (i) => table.itemIds[i]),
          JSON.stringify(c),
        ).toEqual(want.order);
        expect(
          view.groups.map((g) => g.label),
          JSON.stringify(c),
        ).toEqual(want.groups);
        // Rows: every item once, each group header before its items, rowOf pointing at the item's row.
        expect(view.rows.length).toBe(view.items.length + view.groups.length);
        for (let k = 0; k < view.items.length; k++) expect(view.rows[view.rowOf[k]!]).toBe(k);
        if (f.groupBy !== 'none') expect(view.groups.reduce((n, g) => n + g.count, 0)).toBe(view.items.length);
      }
    });
  }
  it('some filters do select a strict, non-empty part (the cases are not vacuous)', () => {
    const { data, states } = fixture(1);
    const table = buildCampaignTable(data);
    for (const c of [{ risk: 'low' }, { status: 'decided' }, { search: 'ann' }, { mine: 'me' }]) {
      const n = tableView(table, { ...base, ...c }, states).items.length;
      expect(n, JSON.stringify(c)).toBeGreaterThan(0);
      expect(n, JSON.stringify(c)).toBeLessThan(table.count);
    }
  });
});

describe('item detail from the campaign worker', () => {
  it('gives the suggestion, identity, entitlement, assignment, credentials, evidence and peers with their holdings', () => {
    const identities: Identity[] = [
      { id: 'u1', displayName: 'Ann', type: 'service', status: 'active', sources: ['ids.csv'] },
      { id: 'u2', displayName: 'Bob', type: 'human', status: 'active' },
      { id: 'u3', displayName: 'Cy', type: 'human', status: 'active' },
    ];
    const entitlements: Entitlement[] = [{ id: 'e1', name: 'Admin', application: 'CRM', privilege: 'high' }];
    const s: Suggestion = {
      itemId: 'a:u1\u001fe1',
      identityId: 'u1',
      entitlementId: 'e1',
      action: 'revoke',
      confidence: 0.8,
      riskTier: 'high',
      decisionClass: 'step-up',
      signals: [
        { id: 'unused', message: 'not used', value: 1, threshold: 90 },
        { id: 'peer', message: 'rare', value: 0.1, threshold: 0.2, peers: { group: 'dept', size: 2, members: ['u2', 'u3'] } },
      ],
      engine: 'e',
      policyDigest: 'p',
    };
    const snapshot: Snapshot = {
      id: 's',
      name: 's',
      createdAt: '',
      sources: [
        {
          file: 'grants.csv',
          size: 1,
          sha256: 'ab'.repeat(32),
          format: 'csv',
          formatVersion: '1',
          formatReason: '',
          parser: 'p',
          parserVersion: '1',
          rowsRead: 1,
          rowsStored: 1,
          rowsRejected: 0,
          importedAt: '',
        },
      ],
      identities,
      entitlements,
      assignments: [
        { identityId: 'u1', entitlementId: 'e1', source: 'grants.csv', grantedAt: '2024-01-01' },
        { identityId: 'u3', entitlementId: 'e1', source: 'grants.csv' },
      ],
      credentials: [{ identityId: 'u1', credentialId: 'k1', kind: 'token', active: true }],
    };
    const data = campaignData(EVERYTHING, snapshot, [s], new Map([[s.itemId, { reviewerId: 'r1', reason: 'named' }]]));
    const d = itemDetail(data, 0);
    expect(d.suggestion).toBe(s);
    expect(d.identity?.displayName).toBe('Ann');
    expect(d.entitlement?.name).toBe('Admin');
    expect(d.assignment?.grantedAt).toBe('2024-01-01');
    expect(d.credentials.map((c) => c.credentialId)).toEqual(['k1']);
    expect(d.evidence).toMatch(/^grants\.csv \(csv, sha256 abababababab…\)$/);
    expect(d.assignedReviewerId).toBe('r1');
    expect(d.peers[0]).toBeNull();
    expect(d.peers[1]).toEqual([
      { id: 'u2', name: 'Bob', holds: false },
      { id: 'u3', name: 'Cy', holds: true },
    ]);
    expect(() => itemDetail(data, 1)).toThrow(/no item 1/);
  });
});

describe('stored and posted table', () => {
  it('packs the string lists into one string each and unpacks them unchanged', () => {
    const { data } = fixture(4);
    const table = buildCampaignTable(data);
    const packed = packTable(table);
    expect('packedItemIds' in packed).toBe(true);
    const back = unpackTable(structuredClone(packed));
    expect(back.itemIds).toEqual(table.itemIds);
    expect(back.strings).toEqual(table.strings);
    expect(Array.from(back.who)).toEqual(Array.from(table.who));
  });
  it('keeps the lists as they are when a string holds the separator', () => {
    const { data } = fixture(5);
    const table = buildCampaignTable(data);
    table.strings.push('odd\u0000name');
    const packed = packTable(table);
    expect('packedItemIds' in packed).toBe(false);
    expect(unpackTable(packed).strings).toEqual(table.strings);
  });
});

describe('item detail: grant path', () => {
  it('an inherited grant names the groups it comes through; a direct one has no path', () => {
    const entitlements: Entitlement[] = [
      { id: 'g-ap', name: 'ap-team', application: 'LDAP', privilege: 'low' },
      { id: 'g-fin', name: 'finance-all', application: 'LDAP', privilege: 'medium' },
      { id: 'erp', name: 'erp-payments-approve', application: 'LDAP', privilege: 'high' },
    ];
    const snapshot: Snapshot = {
      id: 's',
      name: 's',
      createdAt: '',
      sources: [],
      credentials: [],
      entitlements,
      identities: [{ id: 'ann', displayName: 'Ann', type: 'human', status: 'active' }],
      assignments: [
        { identityId: 'ann', entitlementId: 'g-ap', source: 'd.ldif' },
        { identityId: 'ann', entitlementId: 'erp', source: 'd.ldif', usageKnown: false, path: ['g-ap', 'g-fin'], derivedFrom: ['g-ap'] },
      ],
    };
    const item = (e: string): Suggestion => ({
      itemId: `a:ann\u001f${e}`,
      identityId: 'ann',
      entitlementId: e,
      action: 'keep',
      confidence: 0.5,
      riskTier: 'low',
      decisionClass: 'suggest',
      signals: [],
      engine: 'e',
      policyDigest: 'p',
    });
    const data = campaignData(EVERYTHING, snapshot, [item('erp'), item('g-ap')], new Map());
    expect(itemDetail(data, 0).grantPath).toEqual(['ap-team', 'finance-all']);
    expect(itemDetail(data, 1).grantPath).toBeUndefined();
  });
});

describe('review by path: granting group and remediation options', () => {
  const entitlements: Entitlement[] = [
    { id: 'g-ap', name: 'ap-team', application: 'LDAP', privilege: 'low' },
    { id: 'g-fin', name: 'finance-all', application: 'LDAP', privilege: 'medium' },
    { id: 'erp', name: 'erp-payments-approve', application: 'LDAP', privilege: 'high' },
  ];
  const snapshot: Snapshot = {
    id: 's',
    name: 's',
    createdAt: '',
    sources: [],
    credentials: [],
    entitlements,
    identities: [
      { id: 'ann', displayName: 'Ann', type: 'human', status: 'active' },
      { id: 'bob', displayName: 'Bob', type: 'human', status: 'active' },
    ],
    assignments: [
      { identityId: 'ann', entitlementId: 'g-ap', source: 'd.ldif' },
      { identityId: 'bob', entitlementId: 'g-fin', source: 'd.ldif' },
      { identityId: 'ann', entitlementId: 'g-fin', source: 'd.ldif', usageKnown: false, path: ['g-ap'], derivedFrom: ['g-ap'] },
      { identityId: 'ann', entitlementId: 'erp', source: 'd.ldif', usageKnown: false, path: ['g-ap', 'g-fin'], derivedFrom: ['g-ap'] },
      { identityId: 'bob', entitlementId: 'erp', source: 'd.ldif', usageKnown: false, path: ['g-fin'], derivedFrom: ['g-fin'] },
    ],
    links: [
      { memberId: 'g-ap', groupId: 'g-fin', kind: 'group' },
      { memberId: 'g-fin', groupId: 'erp', kind: 'group' },
    ],
  };
  const item = (who: string, e: string): Suggestion => ({
    itemId: `a:${who}\u001f${e}`,
    identityId: who,
    entitlementId: e,
    action: 'revoke',
    confidence: 0.5,
    riskTier: 'low',
    decisionClass: 'suggest',
    signals: [],
    engine: 'e',
    policyDigest: 'p',
  });
  const data = campaignData(
    EVERYTHING,
    snapshot,
    [item('ann', 'erp'), item('ann', 'g-ap'), item('bob', 'erp'), item('bob', 'g-fin'), item('ann', 'g-fin')],
    new Map(),
  );

  it('groups by the first group of the path, direct grants first', () => {
    const table = buildCampaignTable(data);
    const f: ViewFilters = {
      search: '',
      risk: null,
      action: null,
      identityClass: null,
      status: null,
      mine: null,
      groupBy: 'via',
      sortBy: 'engine',
    };
    const view = tableView(table, f, new Map());
    expect(view.groups).toEqual([
      { label: '', count: 2, direct: true },
      { label: 'ap-team', count: 2 },
      { label: 'finance-all', count: 1 },
    ]);
    const under = (g: number) =>
      Array.from(view.items.subarray(view.groups.slice(0, g).reduce((n, x) => n + x.count, 0)).subarray(0, view.groups[g]!.count)).map(
        (i) => table.itemIds[i],
      );
    expect(under(1).sort()).toEqual(['a:ann\u001ferp', 'a:ann\u001fg-fin']);
  });

  it('the detail of an inherited item offers the membership and the group link with names and blast radius', () => {
    const detail = itemDetail(data, 0);
    expect(detail.remediation!.map((o) => [o.link.kind, o.memberName, o.groupName, o.link.blastRadius])).toEqual([
      ['membership', 'Ann', 'ap-team', { identities: 1, entitlements: 3 }],
      ['group-link', 'finance-all', 'erp-payments-approve', { identities: 2, entitlements: 1 }],
    ]);
    expect(detail.remediation![1]!.lossNames).toEqual([
      { who: 'Ann', what: 'erp-payments-approve' },
      { who: 'Bob', what: 'erp-payments-approve' },
    ]);
    // A direct grant others derive from: removing it is shown with what goes with it; a leaf grant: nothing.
    expect(itemDetail(data, 1).remediation![0]!.link).toMatchObject({ kind: 'direct', blastRadius: { identities: 1, entitlements: 3 } });
  });
});
