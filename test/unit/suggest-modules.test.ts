// Each signal module on its own, over the index built once (shared/suggest/snapshot-index.ts).
import { describe, expect, it } from 'vitest';
import type { Assignment, Identity, SnapshotData } from '../../shared/model';
import { DAY_MS } from '../../shared/model/time';
import { DEFAULT_POLICY, type Signal } from '../../shared/suggest';
import { findDuplicates } from '../../shared/suggest/duplicates';
import { buildIdentitySignals } from '../../shared/suggest/identity-signals';
import { buildLifecycle } from '../../shared/suggest/lifecycle';
import { buildNhi } from '../../shared/suggest/nhi';
import { buildScorer } from '../../shared/suggest/scoring';
import { buildIndex } from '../../shared/suggest/snapshot-index';
import { buildUsage } from '../../shared/suggest/usage';

const AS_OF = Date.parse('2026-06-30T00:00:00Z');
const daysAgo = (d: number) => new Date(AS_OF - d * DAY_MS).toISOString().slice(0, 10);
const person = (id: string, extra: Partial<Identity> = {}): Identity => ({
  id,
  displayName: id,
  type: 'human',
  status: 'active',
  ...extra,
});
const grant = (identityId: string, entitlementId: string, used: number | null): Assignment => ({
  identityId,
  entitlementId,
  source: 's',
  grantedAt: daysAgo(500),
  ...(used === null ? {} : { lastUsedAt: daysAgo(used) }),
});
const snap = (p: Partial<SnapshotData>): SnapshotData => ({ identities: [], entitlements: [], assignments: [], credentials: [], ...p });

describe('snapshot index', () => {
  it("holds assignments as typed arrays and lists each entitlement's holders", () => {
    const ix = buildIndex(
      snap({
        identities: [person('a'), person('b')],
        entitlements: [{ id: 'e', name: 'e', application: 'X', privilege: 'high' }],
        assignments: [grant('a', 'e', 3), grant('b', 'e', null), grant('ghost', 'e', 1)],
      }),
      AS_OF,
    );
    expect([...ix.aIdent]).toEqual([0, 1, -1]);
    expect(ix.daysSince(ix.dates[ix.aLastUsed[0]!]!)).toBe(3);
    expect(Number.isNaN(ix.dates[ix.aLastUsed[1]!]!)).toBe(true);
    expect(ix.maxLevel[0]).toBe(2);
    const h = ix.holders();
    expect([...h.ids.subarray(h.start[0]!, h.start[1]!)]).toEqual([0, 1]);
  });
});

describe('usage model', () => {
  it('infers coverage per application and entitlement, and the cadence of clustered last uses', () => {
    const people = Array.from({ length: 8 }, (_, k) => person(`p${k}`));
    const ix = buildIndex(
      snap({
        identities: people,
        entitlements: [
          { id: 'daily', name: 'daily', application: 'A', privilege: 'low' },
          { id: 'annual', name: 'annual', application: 'A', privilege: 'low' },
          { id: 'blind', name: 'blind', application: 'B', privilege: 'low' },
          { id: 'nodates', name: 'nodates', application: 'A', privilege: 'low' },
        ],
        assignments: people.flatMap((p, k) => [
          grant(p.id, 'daily', k),
          grant(p.id, 'annual', 150 + k),
          grant(p.id, 'blind', null),
          ...(k < 3 ? [grant(p.id, 'nodates', null)] : []),
        ]),
      }),
      AS_OF,
    );
    const u = buildUsage(ix, DEFAULT_POLICY);
    expect(u.unknownReason[0]).toBeNull();
    expect(u.unknownReason[2]).toContain('no assignment in application "B" has a last-use date');
    expect(u.unknownReason[3]).toContain('none of the 3 holders of nodates');
    expect(u.effectiveWindow[0]).toBe(90);
    // Last uses 150..157 days ago: quantiles 0.75 / 0.25 → 155 / 152 (nearest rank); 155 + 1.5 × 3 + 14 = 173.5 → 174.
    expect(u.cadence[1]).toBe(155);
    expect(u.effectiveWindow[1]).toBe(174);
    expect(u.usedWithin(0, 3)).toBe(4);
    expect(u.dated(2)).toBe(0);
  });
});

describe('scoring', () => {
  const finish = buildScorer(DEFAULT_POLICY, 'test');
  const risk = { tier: 'low' as const, reasons: [] };
  const base = { itemId: 'x', identityId: 'u' };
  const sig = (id: string, verdict?: Signal['verdict'], confidence?: number): Signal => ({
    id,
    message: id,
    value: null,
    threshold: null,
    ...(verdict ? { verdict } : {}),
    ...(confidence ? { confidence } : {}),
  });
  it('decides by priority, puts the decider first and combines agreeing confidences', () => {
    const s = finish(
      base,
      [sig('a', 'keep', 0.9), sig('unused-access', 'revoke', 0.8), sig('orphaned-identity', 'revoke', 0.5)],
      ['orphaned-identity', 'unused-access'],
      risk,
      false,
    );
    expect(s.action).toBe('revoke');
    expect(s.signals[0]!.id).toBe('orphaned-identity');
    expect(s.confidence).toBe(0.9); // 1 - 0.2 × 0.5
  });
  it('keeps only on positive evidence, named first; otherwise none with its reason', () => {
    const keep = finish(base, [sig('note'), sig('unused-access', 'keep', 0.7)], [], risk, false);
    expect(keep).toMatchObject({ action: 'keep', confidence: 0.7 });
    expect(keep.signals[0]!.id).toBe('unused-access');
    const none = finish(base, [sig('usage unknown: x')], [], risk, false);
    expect(none).toMatchObject({ action: 'none', confidence: 0 });
    expect(none.signals[0]).toMatchObject({
      id: 'no-evidence',
      message: 'no suggestion: no evidence for keeping or changing it (usage unknown: x)',
    });
  });
});

describe('lifecycle, duplicates, credentials, identity signals', () => {
  const data = snap({
    identities: [
      person('gone', { status: 'terminated' }),
      person('locked', { status: 'suspended', sourceStatus: 'LOCKED_OUT' }),
      person('a1', { email: 'x@y.z', sources: ['f'], lastLoginAt: daysAgo(1) }),
      person('a2', { email: 'X@y.z', sources: ['f'], lastLoginAt: daysAgo(300), mfa: false, passwordLogin: true }),
    ],
    credentials: [{ identityId: 'a2', credentialId: 'pw', kind: 'password', active: true, lastUsedAt: daysAgo(300) }],
  });
  const ix = buildIndex(data, AS_OF);
  const life = buildLifecycle(ix, DEFAULT_POLICY);
  it('orphans leavers and notes suspended accounts', () => {
    expect(life.orphanReason[0]).toBe('identity is terminated');
    expect(life.statusNote[1]!.message).toContain('suspended (LOCKED_OUT)');
  });
  it('finds the second account of one person and keeps the one in use', () => {
    const d = findDuplicates(ix);
    expect(d.get(3)).toMatchObject({ verdict: 'disable-login', value: 'a1' });
    expect(d.get(2)!.verdict).toBeUndefined();
  });
  it("disables a person's unused password and names MFA; flags dormancy and no MFA at identity level", () => {
    const nhi = buildNhi(ix, DEFAULT_POLICY, life);
    const c = nhi.credentialSignals(data.credentials[0]!, 3, data.identities[3]);
    expect(c[0]).toMatchObject({ id: 'password-unused', value: 300, verdict: 'disable-login' });
    expect(c[0]!.message).toContain('MFA is off');
    const ids = buildIdentitySignals(ix, DEFAULT_POLICY, life, nhi, findDuplicates(ix))
      .signals(3)
      .map((s) => s.id);
    expect(ids).toEqual(['identity.duplicate-account', 'identity.dormant', 'identity.no-mfa']);
  });
});
