// The group-grant signal alone (buildGroupGrants over the index and the usage model), on hand-made snapshots whose
// figures are counted here: a group whose members mostly do not use what it grants is named on every item inheriting
// through it; members without usage data, or who cannot sign in, are not counted; below the thresholds, nothing.
import { describe, expect, it } from 'vitest';
import type { Assignment, Entitlement, GrantLink, Identity, SnapshotData } from '../../shared/model';
import { DAY_MS, assignmentItemId } from '../../shared/model';
import { DEFAULT_POLICY, questionedGroupGrants, suggest, type Policy } from '../../shared/suggest';
import { GROUP_GRANT_MIN_MEMBERS, GROUP_GRANT_UNUSED_SHARE, buildGroupGrants } from '../../shared/suggest/group-grants';
import { buildIndex } from '../../shared/suggest/snapshot-index';
import { buildUsage } from '../../shared/suggest/usage';

const AS_OF = Date.parse('2026-06-30T00:00:00Z');
const daysAgo = (d: number) => new Date(AS_OF - d * DAY_MS).toISOString().slice(0, 10);
const person = (id: string, status: Identity['status'] = 'active'): Identity => ({ id, displayName: id, type: 'human', status });
const ent = (id: string, application = 'ERP'): Entitlement => ({ id, name: id, application, privilege: 'medium' });

/**
 * `used` members used erp-approve 10 days ago, `unused` last used it 120, 160, 200 ... days ago (spread, so no
 * periodic cadence widens the window), `unknown` members carry no usage data for it. All are in finance-all, which
 * grants erp-approve; the inherited grants carry the path.
 */
function finance(o: { used: number; unused: number; unknown?: number; disabled?: number; via?: string[] }): SnapshotData {
  const via = o.via ?? ['finance-all'];
  const identities: Identity[] = [];
  const assignments: Assignment[] = [];
  let n = 0;
  const member = (status: Identity['status'], usage: Partial<Assignment>) => {
    const id = `m${n++}`;
    identities.push(person(id, status));
    assignments.push({ identityId: id, entitlementId: via[0]!, source: 'dir.ldif', grantedAt: daysAgo(500), lastUsedAt: daysAgo(5) });
    assignments.push({
      identityId: id,
      entitlementId: 'erp-approve',
      source: 'erp-usage.csv',
      grantedAt: daysAgo(500),
      path: via,
      derivedFrom: [via[0]!],
      ...usage,
    });
  };
  for (let k = 0; k < o.used; k++) member('active', { lastUsedAt: daysAgo(10) });
  for (let k = 0; k < o.unused; k++) member('active', { lastUsedAt: daysAgo(120 + 40 * k) });
  for (let k = 0; k < (o.unknown ?? 0); k++) member('active', { usageKnown: false });
  for (let k = 0; k < (o.disabled ?? 0); k++) member('disabled', { lastUsedAt: daysAgo(300) });
  // Someone granted erp-approve directly: not a member, no path.
  identities.push(person('direct'));
  assignments.push({
    identityId: 'direct',
    entitlementId: 'erp-approve',
    source: 'erp-usage.csv',
    grantedAt: daysAgo(500),
    lastUsedAt: daysAgo(300),
  });
  const links: GrantLink[] = via.map((g, k) => ({ memberId: g, groupId: via[k + 1] ?? 'erp-approve', kind: 'group' }));
  return { identities, entitlements: [...via.map((g) => ent(g, 'Directory')), ent('erp-approve')], assignments, credentials: [], links };
}

function signals(data: SnapshotData, policy: Policy = DEFAULT_POLICY) {
  const ix = buildIndex(data, AS_OF);
  const of = buildGroupGrants(ix, policy, buildUsage(ix, policy));
  return data.assignments.map((a, k) => ({ a, signal: of(k) }));
}
const withSignal = (data: SnapshotData, policy?: Policy) => signals(data, policy).filter((x) => x.signal);

describe('group-grant signal', () => {
  it('9 of 10 members with usage data did not use what finance-all grants: every inherited item names the group, with the figures', () => {
    const data = finance({ used: 1, unused: 9, unknown: 2, disabled: 1 });
    const found = withSignal(data);
    // Every member's inherited erp-approve (13 members), and neither the group memberships nor the direct holder.
    expect(found.map((x) => x.a.identityId)).toEqual(data.identities.filter((i) => i.id !== 'direct').map((i) => i.id));
    expect(found.every((x) => x.a.entitlementId === 'erp-approve')).toBe(true);
    const s = found[0]!.signal!;
    expect(s).toEqual({
      id: 'group-grant.unused-by-members',
      message:
        "the grant comes through finance-all; 9 of 10 members with usage data have not used erp-approve in 90 days (90%); 2 more members have no usage data: consider removing finance-all's grant of erp-approve",
      value: 0.9,
      threshold: GROUP_GRANT_UNUSED_SHARE,
    });
    // Evidence about the group's grant, not a verdict on the person.
    expect(s.verdict).toBeUndefined();
  });

  it('below the share (7 of 10), or with too few members with usage data, nothing is said', () => {
    expect(withSignal(finance({ used: 3, unused: 7 }))).toEqual([]);
    expect(withSignal(finance({ used: 0, unused: GROUP_GRANT_MIN_MEMBERS - 1, unknown: 20 }))).toEqual([]);
    expect(withSignal(finance({ used: 0, unused: GROUP_GRANT_MIN_MEMBERS }))).toHaveLength(GROUP_GRANT_MIN_MEMBERS);
  });

  it('usage coverage per application: where the application reports no usage, no member counts', () => {
    const data = finance({ used: 0, unused: 8 });
    // No erp-approve assignment in the ERP application carries a last-use date any more: its usage is unknown.
    data.assignments = data.assignments.map((a) => (a.entitlementId === 'erp-approve' ? { ...a, lastUsedAt: undefined } : a));
    expect(withSignal(data)).toEqual([]);
    // The same figures once the policy says the application reports usage (never used, granted 500 days ago).
    const reported: Policy = {
      ...DEFAULT_POLICY,
      unusedAccess: { ...DEFAULT_POLICY.unusedAccess, rules: [{ application: 'ERP', usage: 'reported' }] },
    };
    data.assignments.push({
      identityId: 'direct',
      entitlementId: 'history',
      source: 'erp-usage.csv',
      grantedAt: daysAgo(500),
      lastUsedAt: daysAgo(400),
    });
    data.entitlements.push(ent('history'));
    expect(withSignal(data, reported).map((x) => x.signal!.message)[0]).toMatch(/^the grant comes through finance-all; 8 of 8 members/);
  });

  it('nested groups: the item names the group holding the entitlement, whose members include those inheriting it', () => {
    const data = finance({ used: 1, unused: 9, via: ['ap-team', 'finance-all'] });
    // Members hold ap-team directly and finance-all only through it.
    for (const i of data.identities.filter((x) => x.id !== 'direct'))
      data.assignments.push({
        identityId: i.id,
        entitlementId: 'finance-all',
        source: 'dir.ldif',
        path: ['ap-team'],
        derivedFrom: ['ap-team'],
        usageKnown: false,
      });
    const found = withSignal(data);
    expect(found).toHaveLength(10);
    expect(found[0]!.signal!.message).toMatch(/^the grant comes through finance-all; 9 of 10 members/);
  });

  it('a rule granting a group (Okta): the members are those the rule grants it to', () => {
    const data = finance({ used: 1, unused: 9, via: ['okta:rule:r1'] });
    data.entitlements.find((e) => e.id === 'okta:rule:r1')!.name = 'rule: Finance by department';
    // Nobody holds the rule itself: drop those rows; the path alone makes the members.
    data.assignments = data.assignments.filter((a) => a.entitlementId !== 'okta:rule:r1');
    const found = withSignal(data);
    expect(found).toHaveLength(10);
    expect(found[0]!.signal!.message).toMatch(/^the grant comes through rule: Finance by department; 9 of 10/);
  });

  it('off when disuse is off in the policy, and when the snapshot has no nesting links', () => {
    const off: Policy = { ...DEFAULT_POLICY, unusedAccess: { ...DEFAULT_POLICY.unusedAccess, enabled: false } };
    expect(withSignal(finance({ used: 0, unused: 9 }), off)).toEqual([]);
    const flat = finance({ used: 0, unused: 9 });
    delete flat.links;
    expect(withSignal(flat)).toEqual([]);
  });

  it("the engine lists it on the inherited item beside the member's own disuse signal", () => {
    const data = finance({ used: 1, unused: 9 });
    const s = suggest(data, DEFAULT_POLICY, { asOf: AS_OF }).find((x) => x.itemId === assignmentItemId('m1', 'erp-approve'))!;
    expect(s.signals.map((g) => g.id)).toEqual(expect.arrayContaining(['unused-access', 'group-grant.unused-by-members']));
    expect(s.action).toBe('revoke');
    const direct = suggest(data, DEFAULT_POLICY, { asOf: AS_OF }).find((x) => x.itemId === assignmentItemId('direct', 'erp-approve'))!;
    expect(direct.signals.map((g) => g.id)).not.toContain('group-grant.unused-by-members');
  });
});

describe('questioned group grants (what a screen shows at the link)', () => {
  it('lists each questioned link once with its figures and words; none when the members use it', () => {
    const list = questionedGroupGrants(finance({ used: 1, unused: 9, unknown: 2, disabled: 1 }), DEFAULT_POLICY, AS_OF);
    expect(list).toEqual([
      {
        via: 'finance-all',
        entitlementId: 'erp-approve',
        members: 12,
        covered: 10,
        unused: 9,
        windowDays: 90,
        message: expect.stringMatching(/^the grant comes through finance-all; 9 of 10 members/),
      },
    ]);
    expect(questionedGroupGrants(finance({ used: 5, unused: 5 }), DEFAULT_POLICY, AS_OF)).toEqual([]);
  });
});
