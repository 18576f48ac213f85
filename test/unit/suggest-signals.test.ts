// Each signal on small hand-made snapshots; expected values are computed here from the dates and counts.
import { describe, expect, it } from 'vitest';
import {
  assignmentItemId,
  credentialItemId,
  identityItemId,
  type Assignment,
  type Credential,
  type Entitlement,
  type Identity,
  type SnapshotData,
} from '../../shared/model';
import { DAY_MS } from '../../shared/model/time';
import { DEFAULT_POLICY, suggest, type Policy, type Signal, type Suggestion } from '../../shared/suggest';

const AS_OF = Date.parse('2026-06-30T00:00:00Z');
const daysAgo = (d: number) => new Date(AS_OF - d * DAY_MS).toISOString().slice(0, 10);
const round2 = (x: number) => Math.round(x * 100) / 100;

function person(id: string, extra: Partial<Identity> = {}): Identity {
  return { id, displayName: id, type: 'human', status: 'active', ...extra };
}
function ent(id: string, privilege: Entitlement['privilege'] = 'low', name = id): Entitlement {
  return { id, name, application: 'App', privilege };
}
function grant(identityId: string, entitlementId: string, usedDaysAgo: number | null, grantedDaysAgo = 400, source = 'src'): Assignment {
  const a: Assignment = { identityId, entitlementId, source, grantedAt: daysAgo(grantedDaysAgo) };
  if (usedDaysAgo !== null) a.lastUsedAt = daysAgo(usedDaysAgo);
  return a;
}
function snapshot(parts: Partial<SnapshotData>): SnapshotData {
  return { identities: [], entitlements: [], assignments: [], credentials: [], ...parts };
}
function run(data: SnapshotData, policy: Policy = DEFAULT_POLICY): Map<string, Suggestion> {
  return new Map(suggest(data, policy, { asOf: AS_OF }).map((s) => [s.itemId, s]));
}
function signal(s: Suggestion | undefined, id: string): Signal {
  const found = s?.signals.find((g) => g.id === id);
  if (!found) throw new Error(`no signal ${id} in ${JSON.stringify(s?.signals.map((g) => g.id))}`);
  return found;
}
/** A source's usage history must cover the window for never-used grants to count: one old use in the source. */
const historyRow = (source = 'src') => grant('h0', 'e-history', 300, 400, source);

describe('unused access', () => {
  const base = () => ({ identities: [person('u1'), person('h0')], entitlements: [ent('e1'), ent('e-history')] });

  it('revokes access last used longer ago than the window, with the days and the window', () => {
    const s = run(snapshot({ ...base(), assignments: [grant('u1', 'e1', 212), historyRow()] })).get(assignmentItemId('u1', 'e1'))!;
    expect(s.action).toBe('revoke');
    const g = signal(s, 'unused-access');
    expect(g).toMatchObject({ value: 212, threshold: 90, verdict: 'revoke', message: 'last used 212 days ago; policy window 90 days' });
    expect(s.signals[0]!.id).toBe('unused-access');
    expect(g.confidence).toBe(round2(0.7 + 0.25 * Math.min(1, (212 - 90) / 90)));
  });

  it('keeps access used within the window', () => {
    const s = run(snapshot({ ...base(), assignments: [grant('u1', 'e1', 10)] })).get(assignmentItemId('u1', 'e1'))!;
    expect(s.action).toBe('keep');
    expect(signal(s, 'unused-access')).toMatchObject({
      value: 10,
      threshold: 90,
      verdict: 'keep',
      confidence: round2(0.6 + 0.3 * (1 - 10 / 90)),
    });
  });

  it('revokes a never-used grant older than the grace period when the usage data covers the window', () => {
    const s = run(snapshot({ ...base(), assignments: [grant('u1', 'e1', null, 200), historyRow()] })).get(assignmentItemId('u1', 'e1'))!;
    expect(s.action).toBe('revoke');
    const g = signal(s, 'unused-access');
    expect(g.value).toBe(200);
    expect(g.threshold).toBe(90);
    expect(g.message).toContain('never used; granted 200 days ago');
    expect(g.message).toContain('usage data covers 200 days (100% of the 90-day window)');
  });

  it('does not judge a never-used grant when the usage data covers too little of the window', () => {
    // The source's earliest recorded use is 30 days ago: 30 / 90 = 33% < 50%.
    const s = run(snapshot({ ...base(), assignments: [grant('u1', 'e1', null, 200), grant('h0', 'e-history', 30)] })).get(
      assignmentItemId('u1', 'e1'),
    )!;
    expect(s.action).toBe('none');
    const g = signal(s, 'unused-access');
    expect(g.verdict).toBeUndefined();
    expect(g.message).toContain('usage data covers 30 days (33.3% of the 90-day window)');
  });

  it('gives no suggestion for a never-used grant inside the grace period', () => {
    const s = run(snapshot({ ...base(), assignments: [grant('u1', 'e1', null, 30), historyRow()] })).get(assignmentItemId('u1', 'e1'))!;
    expect(s.action).toBe('none');
    expect(signal(s, 'unused-access')).toMatchObject({ value: 30, threshold: 90 });
  });

  it('says usage is unknown instead of "never used" when the source has no usage data', () => {
    const flagged = { ...grant('u1', 'e1', null, 500), usageKnown: false };
    const noDates: Assignment = { identityId: 'h0', entitlementId: 'e1', source: 'src' };
    const m = run(snapshot({ ...base(), assignments: [flagged, noDates, historyRow()] }));
    for (const id of [assignmentItemId('u1', 'e1'), assignmentItemId('h0', 'e1')]) {
      const s = m.get(id)!;
      expect(s.action).toBe('none');
      expect(signal(s, 'unused-access')).toMatchObject({ value: null });
      expect(signal(s, 'unused-access').message).toMatch(/^usage unknown: /);
    }
  });

  it('infers a source without usage data (no last-use date on any of at least 20 rows)', () => {
    const identities = Array.from({ length: 20 }, (_, k) => person(`p${k}`));
    const assignments = identities.map((p) => grant(p.id, 'e1', null, 300, 'legacy'));
    const s = run(snapshot({ identities, entitlements: [ent('e1')], assignments })).get(assignmentItemId('p0', 'e1'))!;
    expect(s.action).toBe('keep');
    expect(signal(s, 'unused-access').message).toContain('source "legacy" has no last-use date on any of its 20 assignments');
  });
});

describe('peer-group outlier', () => {
  // 49 AP clerks in Finance holding two entitlements; "sales-x" belongs to 30 sales reps, and two clerks hold it too.
  function finance(extra: Assignment[] = [], identitiesExtra: Identity[] = []): SnapshotData {
    const clerks = Array.from({ length: 49 }, (_, k) =>
      person(`c${String(k).padStart(2, '0')}`, { department: 'Finance', title: 'AP Clerk' }),
    );
    const reps = Array.from({ length: 30 }, (_, k) => person(`r${String(k).padStart(2, '0')}`, { department: 'Sales', title: 'Rep' }));
    const assignments = [
      ...clerks.flatMap((c) => [grant(c.id, 'ap-read', 3), grant(c.id, 'ap-write', 3)]),
      ...reps.flatMap((r) => [grant(r.id, 'crm', 3), grant(r.id, 'sales-x', 3)]),
      grant('c00', 'sales-x', 5),
      grant('c01', 'sales-x', 5),
      ...extra,
    ];
    return snapshot({
      identities: [...clerks, ...reps, ...identitiesExtra],
      entitlements: [ent('ap-read'), ent('ap-write'), ent('crm'), ent('sales-x', 'medium', 'Sales-X'), ent('ap-extra')],
      assignments,
    });
  }

  it('revokes an entitlement held by 1 of 48 peers that belongs to another role, naming the figures and the peers', () => {
    const s = run(finance()).get(assignmentItemId('c00', 'sales-x'))!;
    expect(s.action).toBe('revoke');
    const g = signal(s, 'peer-outlier.department-title');
    expect(s.signals[0]).toBe(g);
    expect(g.message).toContain('Sales-X held by 1 of 48 peers in Finance/AP Clerk (2.1%)');
    expect(g.value).toBe(Math.round((1 / 48) * 10000) / 10000);
    expect(g.threshold).toBe(0.1);
    expect(g.verdict).toBe('revoke');
    expect(g.peers).toEqual({ group: 'department-title:Finance/AP Clerk', size: 48, holders: ['c01'] });
    // Its 31 other holders: 1 inside Finance/AP Clerk, 30 in Sales/Rep.
    const home = signal(s, 'peer-outlier.entitlement-home');
    expect(home.value).toBe(Math.round((1 / 31) * 10000) / 10000);
    expect(home.message).toContain('30 of the 31 other holders of Sales-X are outside Finance/AP Clerk; most hold it in Sales/Rep (30)');
  });

  it('keeps an entitlement common among peers', () => {
    const s = run(finance()).get(assignmentItemId('c05', 'ap-read'))!;
    expect(s.action).toBe('keep');
    expect(signal(s, 'peer-outlier.department-title')).toMatchObject({ value: 1, threshold: 0.7, verdict: 'keep' });
    expect(signal(s, 'peer-outlier.department-title').message).toContain('held by 48 of 48 peers in Finance/AP Clerk (100%)');
  });

  it("does not revoke a rare extra of the identity's own role (its other holders are in the same group)", () => {
    const s = run(finance([grant('c10', 'ap-extra', 2), grant('c11', 'ap-extra', 2)])).get(assignmentItemId('c10', 'ap-extra'))!;
    expect(s.action).toBe('keep');
    const g = signal(s, 'peer-outlier.department-title');
    expect(g.value).toBe(Math.round((1 / 48) * 10000) / 10000);
    expect(g.verdict).toBeUndefined();
    expect(signal(s, 'peer-outlier.entitlement-home')).toMatchObject({ value: 1, threshold: 0.5 });
  });

  it('uses the manager group and ignores groups smaller than the minimum', () => {
    const team = Array.from({ length: 6 }, (_, k) => person(`t${k}`, { department: 'Ops', title: `Title ${k}`, managerId: 'boss' }));
    const data = snapshot({
      identities: [person('boss'), ...team, ...Array.from({ length: 8 }, (_, k) => person(`o${k}`, { department: 'Other', title: 'X' }))],
      entitlements: [ent('ops'), ent('other-app')],
      assignments: [
        ...team.map((t) => grant(t.id, 'ops', 1)),
        ...Array.from({ length: 8 }, (_, k) => grant(`o${k}`, 'other-app', 1)),
        grant('t0', 'other-app', 1),
      ],
    });
    const s = run(data).get(assignmentItemId('t0', 'other-app'))!;
    expect(signal(s, 'peer-outlier.department-title')).toMatchObject({ value: null, threshold: 5 });
    const g = signal(s, 'peer-outlier.manager');
    expect(g.message).toContain('held by 0 of 5 peers reporting to boss (boss)');
    expect(g.peers).toEqual({ group: 'manager:boss', size: 5, holders: [] });
    expect(s.action).toBe('revoke');
  });
});

describe('department stands in for a small department/title group', () => {
  it('compares with the whole department when the title has fewer than 5 peers', () => {
    const analysts = Array.from({ length: 3 }, (_, k) => person(`a${k}`, { department: 'Research', title: 'Analyst' }));
    const others = Array.from({ length: 12 }, (_, k) => person(`r${k}`, { department: 'Research', title: 'Scientist' }));
    const sales = Array.from({ length: 10 }, (_, k) => person(`s${k}`, { department: 'Sales', title: 'Rep' }));
    const data = snapshot({
      identities: [...analysts, ...others, ...sales],
      entitlements: [ent('lab'), ent('crm', 'low', 'CRM')],
      assignments: [
        ...[...analysts, ...others].map((p) => grant(p.id, 'lab', 2)),
        ...sales.map((p) => grant(p.id, 'crm', 2)),
        grant('a0', 'crm', 2),
      ],
    });
    const s = run(data).get(assignmentItemId('a0', 'crm'))!;
    expect(signal(s, 'peer-outlier.department-title')).toMatchObject({ value: null, threshold: 5 });
    const g = signal(s, 'peer-outlier.department');
    expect(g.message).toContain('CRM held by 0 of 14 peers in department Research (0%)');
    expect(g.peers).toEqual({ group: 'department:Research', size: 14, holders: [] });
    expect(s.action).toBe('revoke');
    // A common entitlement of the department is kept.
    expect(signal(run(data).get(assignmentItemId('a0', 'lab')), 'peer-outlier.department')).toMatchObject({ value: 1, verdict: 'keep' });
  });
});

describe('orphaned or disabled identities', () => {
  it('revokes everything a terminated or disabled identity holds', () => {
    const data = snapshot({
      identities: [person('gone', { status: 'terminated' }), person('off', { status: 'disabled' })],
      entitlements: [ent('e1')],
      assignments: [grant('gone', 'e1', 1), grant('off', 'e1', 1)],
    });
    const m = run(data);
    for (const [id, status] of [
      ['gone', 'terminated'],
      ['off', 'disabled'],
    ] as const) {
      const s = m.get(assignmentItemId(id, 'e1'))!;
      expect(s.action).toBe('revoke');
      expect(s.signals[0]).toMatchObject({ id: 'orphaned-identity', value: status, message: `identity is ${status} and still holds e1` });
    }
  });

  it('revokes access of people missing from the authoritative source named by the policy', () => {
    const policy: Policy = { ...DEFAULT_POLICY, orphaned: { ...DEFAULT_POLICY.orphaned, authoritativeSources: ['hr-*.csv'] } };
    const data = snapshot({
      identities: [
        person('in-hr', { sources: ['hr-2026.csv', 'ad.ldif'] }),
        person('ad-only', { sources: ['ad.ldif'] }),
        { ...person('svc'), type: 'service', ownerId: 'in-hr', sources: ['ad.ldif'] },
      ],
      entitlements: [ent('e1')],
      assignments: [grant('in-hr', 'e1', 1), grant('ad-only', 'e1', 1), grant('svc', 'e1', 1)],
    });
    const m = run(data, policy);
    expect(m.get(assignmentItemId('ad-only', 'e1'))!.action).toBe('revoke');
    expect(m.get(assignmentItemId('ad-only', 'e1'))!.signals[0]!.message).toContain('not in the authoritative source (hr-*.csv)');
    expect(m.get(assignmentItemId('in-hr', 'e1'))!.action).toBe('keep');
    // Non-human identities are not expected in HR.
    expect(m.get(assignmentItemId('svc', 'e1'))!.action).toBe('keep');
    // No identity from the source at all: the check is not made (the source was not imported).
    const none = run({ ...data, identities: data.identities.map((i) => ({ ...i, sources: ['ad.ldif'] })) }, policy);
    expect(none.get(assignmentItemId('ad-only', 'e1'))!.action).toBe('keep');
  });
});

describe('non-human identity hygiene', () => {
  const cred = (c: Partial<Credential>): Credential => ({
    identityId: 'svc',
    credentialId: 'k1',
    kind: 'access-key',
    active: true,
    createdAt: daysAgo(30),
    lastRotatedAt: daysAgo(30),
    lastUsedAt: daysAgo(1),
    ...c,
  });
  const data = (
    identity: Partial<Identity>,
    credentials: Credential[] = [],
    entitlements = [ent('e1')],
    assignments = [grant('svc', 'e1', 1)],
  ) =>
    snapshot({
      identities: [
        person('owner'),
        person('left', { status: 'terminated' }),
        { ...person('svc'), type: 'service', ownerId: 'owner', ...identity },
      ],
      entitlements,
      assignments,
      credentials,
    });

  it('asks for an owner when there is none, or the owner has left', () => {
    expect(run(data({ ownerId: undefined })).get(identityItemId('svc'))).toMatchObject({ action: 'assign-owner' });
    const s = run(data({ ownerId: 'left' })).get(identityItemId('svc'))!;
    expect(s.action).toBe('assign-owner');
    expect(s.signals[0]!.message).toContain('owner left (left) is terminated');
    expect(run(data({})).get(identityItemId('svc'))!.action).toBe('keep');
  });

  it('rotates a key older than the rotation policy', () => {
    const s = run(data({}, [cred({ createdAt: daysAgo(500), lastRotatedAt: daysAgo(200) })])).get(credentialItemId('svc', 'k1'))!;
    expect(s.action).toBe('rotate');
    expect(s.signals[0]).toMatchObject({
      id: 'nhi.credential-rotation',
      value: 200,
      threshold: 90,
      message: 'access-key last rotated 200 days ago; rotation policy 90 days',
    });
  });

  it('revokes a key unused past the window, or never used past the grace period', () => {
    const unused = run(data({}, [cred({ lastUsedAt: daysAgo(150) })])).get(credentialItemId('svc', 'k1'))!;
    expect(unused.action).toBe('revoke');
    expect(unused.signals[0]).toMatchObject({ id: 'nhi.credential-unused', value: 150, threshold: 90 });
    const never = run(data({}, [cred({ lastUsedAt: undefined, createdAt: daysAgo(60), lastRotatedAt: daysAgo(60) })])).get(
      credentialItemId('svc', 'k1'),
    )!;
    expect(never.action).toBe('revoke');
    expect(never.signals[0]).toMatchObject({ id: 'nhi.credential-unused', value: 60, threshold: 45 });
  });

  it('disables password login on a service identity (credential or identity flag)', () => {
    const s = run(data({}, [cred({ credentialId: 'console', kind: 'password' })])).get(credentialItemId('svc', 'console'))!;
    expect(s.action).toBe('disable-login');
    expect(run(data({ passwordLogin: true })).get(identityItemId('svc'))!.action).toBe('disable-login');
  });

  it('reduces high or critical privilege on a workload, and tiers it critical with the reasons', () => {
    const s = run(data({ type: 'workload' }, [], [ent('admin', 'high', 'Cluster-Admin')], [grant('svc', 'admin', 1)])).get(
      assignmentItemId('svc', 'admin'),
    )!;
    expect(s.action).toBe('reduce');
    expect(s.signals[0]).toMatchObject({ id: 'nhi.privileged-workload', value: 'high' });
    expect(s.riskTier).toBe('critical');
    expect(s.decisionClass).toBe('never-delegate');
    expect(s.riskReasons?.some((r) => r.includes('identity class workload'))).toBe(true);
  });
});

describe('separation of duties', () => {
  it('revokes the side of a toxic pair that peers do not hold, and explains which and why', () => {
    const clerks = Array.from({ length: 10 }, (_, k) => person(`c${k}`, { department: 'Finance', title: 'AP Clerk' }));
    const data = snapshot({
      identities: clerks,
      entitlements: [ent('vc', 'high', 'Finance-Vendor-Create'), ent('pa', 'high', 'Finance-Payment-Approve')],
      assignments: [...clerks.map((c) => grant(c.id, 'vc', 2)), grant('c0', 'pa', 2, 100)],
    });
    const m = run(data);
    const victim = m.get(assignmentItemId('c0', 'pa'))!;
    expect(victim.action).toBe('revoke');
    expect(victim.signals[0]!.id).toBe('separation-of-duties');
    expect(victim.signals[0]!.message).toContain(
      'holds Finance-Vendor-Create and Finance-Payment-Approve together (rule sod-vendor-payment: create vendors and approve payments); revoke Finance-Payment-Approve: held by 0% of peers against 100% for Finance-Vendor-Create',
    );
    const kept = m.get(assignmentItemId('c0', 'vc'))!;
    expect(kept.action).toBe('keep');
    expect(signal(kept, 'separation-of-duties').verdict).toBeUndefined();
  });
});

describe('privileged access', () => {
  it('always lands high and critical grants in a stricter class, with a capped keep confidence', () => {
    const policy: Policy = {
      ...DEFAULT_POLICY,
      decisionClasses: { low: 'suggest', medium: 'suggest', high: 'suggest', critical: 'suggest' },
    };
    const s = run(
      snapshot({ identities: [person('u1')], entitlements: [ent('root', 'critical')], assignments: [grant('u1', 'root', 1)] }),
      policy,
    ).get(assignmentItemId('u1', 'root'))!;
    expect(s.action).toBe('keep');
    expect(s.decisionClass).toBe('step-up');
    expect(s.confidence).toBeLessThanOrEqual(0.7);
    expect(signal(s, 'privileged-access')).toMatchObject({ value: 'critical' });
  });
});

describe('every item gets one suggestion with the engine and policy version', () => {
  it('covers assignments, credentials and non-human identities', () => {
    const data = snapshot({
      identities: [person('u1'), { ...person('svc'), type: 'service', ownerId: 'u1' }],
      entitlements: [ent('e1')],
      assignments: [grant('u1', 'e1', 1), grant('svc', 'e1', 1)],
      credentials: [{ identityId: 'svc', credentialId: 'k', kind: 'access-key', active: true }],
    });
    const out = suggest(data, DEFAULT_POLICY, { asOf: AS_OF });
    expect(out.map((s) => s.itemId)).toEqual([
      assignmentItemId('u1', 'e1'),
      assignmentItemId('svc', 'e1'),
      credentialItemId('svc', 'k'),
      identityItemId('svc'),
    ]);
    for (const s of out) {
      expect(s.engine).toMatch(/^arw-engine\//);
      expect(s.policyDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
      // 'none' (the key has no dates: no evidence) carries no confidence.
      if (s.action === 'none') expect(s.confidence).toBe(0);
      else expect(s.confidence).toBeGreaterThan(0);
      expect(s.confidence).toBeLessThan(1);
    }
  });

  it('stops with "cancelled" when asked to, and reports progress to the end', () => {
    const data = snapshot({ identities: [person('u1')], entitlements: [ent('e1')], assignments: [grant('u1', 'e1', 1)] });
    expect(() => suggest(data, DEFAULT_POLICY, { asOf: AS_OF, isCancelled: () => true })).toThrow('cancelled');
    const seen: [number, number][] = [];
    suggest(data, DEFAULT_POLICY, { asOf: AS_OF, onProgress: (d, t) => seen.push([d, t]) });
    expect(seen.at(-1)).toEqual([1, 1]);
  });
});

describe('each signal can be switched off in the policy', () => {
  it('drops the signal and its action when disabled', () => {
    const data = snapshot({
      identities: [person('u1', { status: 'terminated' }), { ...person('svc'), type: 'workload' }],
      entitlements: [ent('e1'), ent('root', 'critical')],
      assignments: [grant('u1', 'e1', 200), grant('svc', 'root', 1)],
      credentials: [
        {
          identityId: 'svc',
          credentialId: 'k',
          kind: 'access-key',
          active: true,
          createdAt: daysAgo(400),
          lastRotatedAt: daysAgo(400),
          lastUsedAt: daysAgo(1),
        },
      ],
    });
    const off = (patch: Partial<Policy>): Policy => ({ ...DEFAULT_POLICY, ...patch });
    const ids = (p: Policy) => new Set(suggest(data, p, { asOf: AS_OF }).flatMap((s) => s.signals.map((g) => g.id)));
    const all = ids(DEFAULT_POLICY);
    for (const id of [
      'unused-access',
      'orphaned-identity',
      'privileged-access',
      'nhi.privileged-workload',
      'nhi.credential-rotation',
      'nhi.owner',
    ])
      expect(all.has(id), id).toBe(true);
    expect(ids(off({ unusedAccess: { ...DEFAULT_POLICY.unusedAccess, enabled: false } })).has('unused-access')).toBe(false);
    expect(ids(off({ orphaned: { ...DEFAULT_POLICY.orphaned, enabled: false } })).has('orphaned-identity')).toBe(false);
    expect(ids(off({ privileged: { ...DEFAULT_POLICY.privileged, enabled: false } })).has('privileged-access')).toBe(false);
    const noNhi = ids(off({ nonHuman: { ...DEFAULT_POLICY.nonHuman, enabled: false } }));
    expect([...noNhi].some((id) => id.startsWith('nhi.'))).toBe(false);
    const m = new Map(
      suggest(
        data,
        off({ orphaned: { ...DEFAULT_POLICY.orphaned, enabled: false }, unusedAccess: { ...DEFAULT_POLICY.unusedAccess, enabled: false } }),
        { asOf: AS_OF },
      ).map((s) => [s.itemId, s]),
    );
    // Nothing left pointing either way: no suggestion rather than a keep.
    expect(m.get(assignmentItemId('u1', 'e1'))!.action).toBe('none');
  });
});
