// The confounded organisations of the quality bench: deterministic by seed, every kind planted at small size, labels
// pointing at items that exist and carrying the property their kind claims, and the scoring itself.
import { describe, expect, it } from 'vitest';
import { assignmentItemId, credentialItemId, identityItemId, type Assignment } from '../../shared/model';
import type { Suggestion } from '../../shared/suggest/types';
import { generateEnterpriseOrg } from '../bench/confounded-org-a';
import { generateCloudOrg } from '../bench/confounded-org-b';
import { confoundedPlan, resultMetrics, seedsFor, targetMisses, vendorRules } from '../bench/confounded-report';
import {
  ANOMALY_KINDS,
  CONFOUNDER_KINDS,
  SCOPE_KINDS,
  emptyResult,
  scoreConfounded,
  type ConfoundedOrganisation,
  type LabelKind,
} from '../bench/confounded-truth';

const DAY = 86_400_000;
const GENERATORS = { A: generateEnterpriseOrg, B: generateCloudOrg };
const A_KINDS: LabelKind[] = [
  'unused-access',
  'never-used-access',
  'old-department-access',
  'periodic-lapsed',
  'terminated-entitled',
  'duplicate-account',
  'dormant-account',
  'password-never-expires',
  'stale-key',
  'unused-key',
  'ownerless-nhi',
  'usage-blind-app',
  'periodic-work',
  'specialist',
  'cohort-still-used',
  'new-hire',
  'namesake',
  'break-glass-account',
];
const B_KINDS: LabelKind[] = [
  'unused-access',
  'never-used-access',
  'old-department-access',
  'periodic-lapsed',
  'terminated-entitled',
  'suspended-entitled',
  'never-activated-entitled',
  'duplicate-account',
  'dormant-account',
  'console-no-mfa',
  'stale-key',
  'unused-key',
  'ownerless-nhi',
  'usage-blind-app',
  'periodic-work',
  'specialist',
  'cohort-still-used',
  'new-hire',
  'staged-new-hire',
  'locked-out-recently',
  'namesake',
  'nhi-no-interactive-login',
  'contractor-no-peers',
  'root-account',
  'break-glass-account',
];

const SEEDS = [5, 8];
const small = (name: 'A' | 'B', seed: number) => GENERATORS[name]({ seed, identities: 1000 });

function itemIndex(org: ConfoundedOrganisation) {
  const items = new Set<string>();
  const assignment = new Map<string, Assignment>();
  for (const i of org.data.identities) items.add(identityItemId(i.id));
  for (const a of org.data.assignments) {
    const id = assignmentItemId(a.identityId, a.entitlementId);
    items.add(id);
    assignment.set(id, a);
  }
  for (const c of org.data.credentials) items.add(credentialItemId(c.identityId, c.credentialId));
  return { items, assignment };
}

describe.each((['A', 'B'] as const).flatMap((name) => SEEDS.map((seed) => [name, seed] as const)))(
  'confounded organisation %s, seed %i',
  (name, seed) => {
    const org = small(name, seed);
    const generate = GENERATORS[name];
    const asOf = Date.parse(`${org.asOf}T00:00:00Z`);
    const ago = (iso: string | undefined) => (iso ? (asOf - Date.parse(iso)) / DAY : Infinity);

    it('is the same for the same seed and differs for another', () => {
      const again = generate({ seed, identities: 1000 });
      expect(JSON.stringify(again)).toBe(JSON.stringify(org));
      const other = generate({ seed: seed + 1, identities: 1000 });
      expect(JSON.stringify(other.data)).not.toBe(JSON.stringify(org.data));
    });

    it('plants every kind of its shape at 1,000 identities', () => {
      const kinds = new Set(org.labels.filter((l) => l.truth !== 'covered').map((l) => l.kind));
      for (const k of name === 'A' ? A_KINDS : B_KINDS) expect(kinds, k).toContain(k);
      expect(org.data.identities.length).toBeGreaterThanOrEqual(1000);
      expect(org.data.identities.length).toBeLessThan(1150);
    });

    it('labels items that exist, one label per item, with unique ids and known entitlements', () => {
      const { items } = itemIndex(org);
      const ids = new Set<string>();
      for (const l of org.labels) {
        expect(items.has(l.itemId), l.itemId).toBe(true);
        expect(ids.has(l.itemId), `label twice: ${l.itemId}`).toBe(false);
        ids.add(l.itemId);
        for (const other of [...(l.alternates ?? []), ...(l.allOf ?? [])]) expect(items.has(other), other).toBe(true);
      }
      expect(new Set(org.data.identities.map((i) => i.id)).size).toBe(org.data.identities.length);
      const assignmentIds = org.data.assignments.map((a) => assignmentItemId(a.identityId, a.entitlementId));
      expect(new Set(assignmentIds).size).toBe(assignmentIds.length);
      const ents = new Set(org.data.entitlements.map((e) => e.id));
      const identities = new Set(org.data.identities.map((i) => i.id));
      for (const a of org.data.assignments) {
        expect(ents.has(a.entitlementId), a.entitlementId).toBe(true);
        expect(identities.has(a.identityId), a.identityId).toBe(true);
      }
    });

    it('gives each label the property its kind claims', () => {
      const { assignment } = itemIndex(org);
      const identity = new Map(org.data.identities.map((i) => [identityItemId(i.id), i]));
      const credential = new Map(org.data.credentials.map((c) => [credentialItemId(c.identityId, c.credentialId), c]));
      for (const l of org.labels) {
        const a = assignment.get(l.itemId);
        const i = identity.get(l.itemId);
        const c = credential.get(l.itemId);
        const label = `${l.kind} ${l.itemId}`;
        if (l.truth === 'covered') continue;
        switch (l.kind) {
          case 'unused-access':
            expect(ago(a!.lastUsedAt), label).toBeGreaterThan(120);
            break;
          case 'never-used-access':
            expect(a!.lastUsedAt, label).toBeUndefined();
            expect(ago(a!.grantedAt), label).toBeGreaterThan(120);
            break;
          case 'dormant-account':
            expect(i!.status, label).toBe('active');
            expect(ago(i!.lastLoginAt), label).toBeGreaterThan(180);
            break;
          case 'terminated-entitled':
            expect(identity.get(identityItemId(a!.identityId))!.status, label).toBe('terminated');
            break;
          case 'console-no-mfa':
            expect([i!.passwordLogin, i!.mfa], label).toEqual([true, false]);
            expect(ago(i!.passwordLastUsedAt), label).toBeGreaterThan(365);
            break;
          case 'stale-key':
            expect(ago(c!.lastRotatedAt), label).toBeGreaterThan(180);
            expect(ago(c!.lastUsedAt), label).toBeLessThan(7);
            break;
          case 'unused-key':
            expect(ago(c!.lastUsedAt), label).toBeGreaterThan(180);
            break;
          case 'ownerless-nhi':
            expect(i!.type, label).not.toBe('human');
            expect(i!.ownerId, label).toBeUndefined();
            break;
          case 'specialist':
            expect(ago(a!.lastUsedAt), label).toBeLessThan(10);
            break;
          case 'usage-blind-app':
            expect(a!.lastUsedAt, label).toBeUndefined();
            expect(a!.usageKnown, label).toBeUndefined();
            break;
          case 'root-account':
            expect([i!.type, i!.specialAccount], label).toEqual(['system', 'root']);
            break;
          case 'break-glass-account':
            if (i) expect(i.specialAccount, label).toBe('break-glass');
            break;
          case 'never-activated-entitled':
          case 'staged-new-hire':
            if (a) expect(a.lastUsedAt, label).toBeUndefined();
            else expect([i!.status, i!.lastLoginAt], label).toEqual(['never-activated', undefined]);
            break;
        }
      }
    });

    it('plants usage-blind applications in a source that carries usage for other applications, with no holder used', () => {
      const blind = new Set(org.labels.filter((l) => l.kind === 'usage-blind-app').map((l) => l.itemId));
      const blindEnts = new Set(
        org.data.assignments.filter((a) => blind.has(assignmentItemId(a.identityId, a.entitlementId))).map((a) => a.entitlementId),
      );
      const sources = new Set(org.data.assignments.filter((a) => blindEnts.has(a.entitlementId)).map((a) => a.source));
      for (const a of org.data.assignments) if (blindEnts.has(a.entitlementId)) expect(a.lastUsedAt).toBeUndefined();
      for (const s of sources) expect(org.data.assignments.some((a) => a.source === s && a.lastUsedAt)).toBe(true);
    });

    it("clusters each periodic entitlement's holders in one season past the 90-day window, lapsed holders a cycle earlier", () => {
      const byEnt = new Map<string, number[]>();
      const { assignment } = itemIndex(org);
      for (const l of org.labels.filter((x) => x.kind === 'periodic-work' && x.truth === 'normal')) {
        const a = assignment.get(l.itemId)!;
        byEnt.set(a.entitlementId, [...(byEnt.get(a.entitlementId) ?? []), ago(a.lastUsedAt)]);
      }
      expect(byEnt.size).toBeGreaterThan(0);
      for (const [, days] of byEnt) {
        expect(Math.min(...days)).toBeGreaterThan(90);
        expect(Math.max(...days) - Math.min(...days)).toBeLessThanOrEqual(14);
      }
      for (const l of org.labels.filter((x) => x.kind === 'periodic-lapsed')) {
        const a = assignment.get(l.itemId)!;
        const season = byEnt.get(a.entitlementId);
        if (season) expect(ago(a.lastUsedAt)).toBeGreaterThan(Math.max(...season) + 60);
      }
    });

    it('makes duplicate accounts share an e-mail or employee id with another account of the same source', () => {
      const dups = org.labels.filter((l) => l.kind === 'duplicate-account' && l.truth === 'anomaly');
      const byId = new Map(org.data.identities.map((i) => [identityItemId(i.id), i]));
      for (const l of dups) {
        const d = byId.get(l.itemId)!;
        const other = byId.get(l.alternates![0]!)!;
        expect(d.id).not.toBe(other.id);
        expect(d.email === other.email || (d.employeeId !== undefined && d.employeeId === other.employeeId)).toBe(true);
        expect(d.sources!.some((s) => other.sources!.includes(s))).toBe(true);
      }
    });
  },
);

describe('scoring against the labels', () => {
  const org = small('B', 5);
  const items = [...itemIndex(org).items];
  const labels = new Map(org.labels.map((l) => [l.itemId, l]));
  const base = (itemId: string): Suggestion => ({
    itemId,
    identityId: 'x',
    action: 'keep',
    confidence: 0.5,
    riskTier: 'low',
    decisionClass: 'suggest',
    signals: [{ id: 'test', message: '', value: null, threshold: null }],
    engine: 'test',
    policyDigest: '',
  });

  it('gives a perfect answer precision 1, recall 1 and no normal access flagged', () => {
    const perfect = items.map((id) => {
      const l = labels.get(id);
      const s = base(id);
      if (l?.truth === 'anomaly') s.action = l.accept![0]!;
      if (l?.truth === 'scope') s.riskTier = 'critical';
      return s;
    });
    const r = scoreConfounded(perfect, org.labels);
    expect(r.anomalies.n).toBe(r.anomalies.of);
    expect(r.anomalies.of).toBeGreaterThan(20);
    expect(r.revokes.n).toBe(r.revokes.of);
    expect(r.normalAssignments.n).toBe(0);
    for (const k of SCOPE_KINDS) expect(r.scope[k].n).toBe(r.scope[k].of);
  });

  it('counts revoking everything as every confounder flagged and precision at the anomaly share', () => {
    const all = items.map((id) => ({ ...base(id), action: 'revoke' as const }));
    const r = scoreConfounded(all, org.labels);
    for (const k of CONFOUNDER_KINDS) if (r.confounders[k].of) expect(r.confounders[k].n, k).toBe(r.confounders[k].of);
    expect(r.revokes.n / r.revokes.of).toBeLessThan(0.2);
    expect(r.normalAssignments.n).toBe(r.normalAssignments.of);
    expect(r.perKind['stale-key'].n).toBe(0);
    expect(r.wrongFlags['root-account.revoke']).toBeUndefined();
  });

  it('counts none as no flag and misses anomalies without a suggestion', () => {
    const none = items.map((id) => ({ ...base(id), action: 'none' as Suggestion['action'] }));
    const r = scoreConfounded(none, org.labels);
    expect(r.flags.of).toBe(0);
    expect(r.anomalies.n).toBe(0);
    expect(scoreConfounded([], org.labels).anomalies.of).toBe(r.anomalies.of);
  });

  it('has the vendor 90-day rule revoke usage-blind access, as products do', () => {
    const asOf = Date.parse(`${org.asOf}T00:00:00Z`);
    const r = scoreConfounded(vendorRules(org.data, asOf, 'unused90'), org.labels);
    expect(r.confounders['usage-blind-app'].n).toBe(r.confounders['usage-blind-app'].of);
  });

  it('knows every kind name once', () => {
    const all = [...ANOMALY_KINDS, ...CONFOUNDER_KINDS, ...SCOPE_KINDS];
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('the quality stage plan and metrics', () => {
  it('reads sizes and the seed base from the environment, 0 skipping the confounded runs', () => {
    expect(confoundedPlan({})).toEqual({ sizes: [1000, 10000], seedBase: 7000 });
    expect(confoundedPlan({ ARW_QUALITY_CONFOUNDED_SIZES: '2000, 100000', ARW_QUALITY_SEED_BASE: '9000' })).toEqual({
      sizes: [2000, 100000],
      seedBase: 9000,
    });
    expect(confoundedPlan({ ARW_QUALITY_CONFOUNDED_SIZES: '0' }).sizes).toEqual([]);
    expect(seedsFor(1000, 7000)).toEqual([7010, 7011, 7012]);
    expect(seedsFor(10000, 9000)).toEqual([9100, 9101]);
    expect(seedsFor(100000, 7000)).toHaveLength(1);
  });

  it('names each missed target and none when all are met', () => {
    const r = emptyResult();
    Object.assign(r, { revokes: { n: 90, of: 100 }, anomalies: { n: 99, of: 100 }, normalAssignments: { n: 2, of: 100 } });
    r.perKind['stale-key'] = { n: 1, of: 2 };
    r.perKind['ownerless-nhi'] = { n: 3, of: 3 };
    expect(targetMisses(r)).toEqual(['revoke precision 0.9 < 0.95', '2% normal flagged > 1%', 'stale keys recall 0.5 < 1']);
    Object.assign(r, { revokes: { n: 96, of: 100 }, normalAssignments: { n: 1, of: 100 } });
    r.perKind['stale-key'] = { n: 2, of: 2 };
    expect(targetMisses(r)).toEqual([]);
  });

  it('keys the metrics by organisation, figure and kind', () => {
    const r = scoreConfounded([], small('A', 5).labels);
    const m = resultMetrics('confoundedA', r, true);
    expect(m['confoundedA.recall']).toBe(0);
    expect(m['confoundedA.recall.dormant-account']).toMatch(/^0 \(0\/\d+\)$/);
    expect(m['confoundedA.flagged.periodic-work']).toMatch(/^0 \(0\/\d+\)$/);
    expect(m['confoundedA.inScopeCritical.break-glass-account']).toMatch(/^0 \(0\/\d+\)$/);
    expect(Object.keys(resultMetrics('x', r, false)).sort()).toEqual([
      'x.flagPrecision',
      'x.normalFlaggedPercent',
      'x.recall',
      'x.revokePrecision',
      'x.revokeRecall',
    ]);
  });
});
