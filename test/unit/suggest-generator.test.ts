// The organisation generator (test/bench/org-generator.ts): reproducible, imports cleanly, and every planted
// anomaly in its ground truth really is in the generated data. Plus the engine on an organisation it never saw.
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import { assignmentItemId, credentialItemId, identityItemId } from '../../shared/model';
import { sha256Hex, utf8 } from '../../shared/codec/digest';
import { DAY_MS, parseInstant } from '../../shared/model/time';
import { DEFAULT_POLICY, globToRegExp } from '../../shared/suggest';
import { ANOMALY_KINDS, SHAPES, generateOrganisation } from '../bench/org-generator';
import { evaluate, runOrganisation } from '../bench/stages/quality';

function imported(seed: number, shape: string, identities = 1200) {
  const org = generateOrganisation({ seed, identities, shape });
  const result = importFiles(org.files.map((f) => ({ name: f.name, bytes: utf8(f.text) })));
  return { org, result };
}

describe('generateOrganisation', () => {
  it('is reproducible from its seed and differs across seeds', () => {
    const digest = (seed: number) =>
      sha256Hex(
        generateOrganisation({ seed, identities: 500 })
          .files.map((f) => f.text)
          .join('\u0000'),
      );
    expect(digest(1)).toBe(digest(1));
    expect(digest(2)).not.toBe(digest(1));
  });

  it('writes workbench CSV v1 that imports without a single error, in every shape', () => {
    for (const shape of Object.keys(SHAPES)) {
      const { org, result } = imported(3, shape, 800);
      expect(result.refused).toEqual([]);
      expect(result.files.flatMap((f) => f.errors)).toEqual([]);
      expect(result.data.identities).toHaveLength(org.counts.identities);
      expect(result.data.assignments).toHaveLength(org.counts.assignments);
      expect(result.data.credentials).toHaveLength(org.counts.credentials);
      expect(org.counts.identities).toBe(800);
      // About ten assignments per identity.
      expect(org.counts.assignments / org.counts.identities).toBeGreaterThan(7);
      expect(org.counts.assignments / org.counts.identities).toBeLessThan(14);
    }
  });

  it('plants every kind of anomaly, and each one is really in the data', () => {
    for (const shape of ['balanced', 'nhi-heavy']) {
      const { org, result } = imported(5, shape);
      const { data } = result;
      const asOf = Date.parse(org.truth.asOf);
      const ageDays = (t: string | undefined) => (t ? Math.floor((asOf - parseInstant(t)) / DAY_MS) : Number.NaN);
      const identity = new Map(data.identities.map((i) => [i.id, i]));
      const entitlement = new Map(data.entitlements.map((e) => [e.id, e]));
      const assignment = new Map(data.assignments.map((a) => [assignmentItemId(a.identityId, a.entitlementId), a]));
      const credential = new Map(data.credentials.map((c) => [credentialItemId(c.identityId, c.credentialId), c]));
      const held = new Map<string, string[]>();
      for (const a of data.assignments) held.set(a.identityId, [...(held.get(a.identityId) ?? []), a.entitlementId]);
      for (const kind of ANOMALY_KINDS) expect(org.truth.counts[kind], `${shape}: ${kind}`).toBeGreaterThan(0);
      expect(new Set(org.truth.items.map((t) => t.itemId)).size).toBe(org.truth.items.length);
      for (const t of org.truth.items) {
        const a = assignment.get(t.itemId);
        const c = credential.get(t.itemId);
        const why = `${t.kind} ${t.itemId}`;
        switch (t.kind) {
          case 'terminated-entitled':
            expect(['terminated', 'disabled'], why).toContain(identity.get(a!.identityId)!.status);
            break;
          case 'unused-grant':
            expect(ageDays(a!.lastUsedAt), why).toBeGreaterThan(DEFAULT_POLICY.unusedAccess.windowDays);
            break;
          case 'never-used-grant':
            expect(a!.lastUsedAt, why).toBeUndefined();
            expect(ageDays(a!.grantedAt), why).toBeGreaterThan(DEFAULT_POLICY.unusedAccess.graceDays);
            break;
          case 'transfer-leftover':
          case 'privileged-one-off': {
            // The entitlement comes from another department's bundle (entitlement names start with their department).
            const i = identity.get(a!.identityId)!;
            expect(entitlement.get(a!.entitlementId)!.name.startsWith(`${i.department}-`), why).toBe(false);
            if (t.kind === 'privileged-one-off') expect(['high', 'critical'], why).toContain(entitlement.get(a!.entitlementId)!.privilege);
            break;
          }
          case 'sod-conflict': {
            const names = held.get(a!.identityId)!.map((e) => entitlement.get(e)!.name);
            const conflict = DEFAULT_POLICY.separationOfDuties.pairs.some(
              (p) => names.some((n) => globToRegExp(p.a).test(n)) && names.some((n) => globToRegExp(p.b).test(n)),
            );
            expect(conflict, why).toBe(true);
            break;
          }
          case 'ownerless-service': {
            const s = data.identities.find((i) => identityItemId(i.id) === t.itemId)!;
            expect(s.type).toBe('service');
            expect(!s.ownerId || identity.get(s.ownerId)?.status !== 'active', why).toBe(true);
            break;
          }
          case 'stale-key':
            expect(ageDays(c!.lastRotatedAt), why).toBeGreaterThan(DEFAULT_POLICY.nonHuman.rotationDays);
            break;
          case 'unused-key':
            expect(
              c!.lastUsedAt === undefined
                ? ageDays(c!.createdAt) > DEFAULT_POLICY.nonHuman.credentialGraceDays
                : ageDays(c!.lastUsedAt) > DEFAULT_POLICY.nonHuman.unusedCredentialDays,
              why,
            ).toBe(true);
            break;
          case 'service-password':
            expect(c!.kind, why).toBe('password');
            expect(identity.get(c!.identityId)!.type).toBe('service');
            break;
          case 'privileged-workload':
            expect(identity.get(a!.identityId)!.type, why).toBe('workload');
            expect(['high', 'critical'], why).toContain(entitlement.get(a!.entitlementId)!.privilege);
            break;
        }
      }
    }
  });

  it('the engine finds the planted anomalies of an organisation it has never seen (default policy)', () => {
    const org = generateOrganisation({ seed: 9001, identities: 2000, shape: 'fragmented' });
    const r = evaluate(runOrganisation(org).suggestions, org.truth);
    expect(r.precision).toBeGreaterThanOrEqual(0.9);
    expect(r.recall).toBeGreaterThanOrEqual(0.9);
    expect(r.normalFlaggedShare).toBeLessThanOrEqual(0.03);
  });
});
