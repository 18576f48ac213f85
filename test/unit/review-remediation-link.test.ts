// Remediation at the link that can be cut: the options for a revoke of inherited access and their blast radius
// (who else loses what), exact on diamonds and cycles, from the links or, for older snapshots, from the paths.
import { describe, expect, it } from 'vitest';
import { expandGrantPaths } from '../../shared/import';
import type { Assignment, GrantLink } from '../../shared/model';
import { GrantGraph, remediationLinkOf, type RemediationOption } from '../../shared/review';

const direct = (identityId: string, entitlementId: string): Assignment => ({ identityId, entitlementId, source: 'hand.ldif' });
const link = (memberId: string, groupId: string, kind: GrantLink['kind'] = 'group'): GrantLink => ({ memberId, groupId, kind });
const losses = (o: RemediationOption) => o.losses.map((l) => `${l.identityId}>${l.entitlementId}`);

// ann, bob in ap-team; carl in finance-all; dana holds erp directly; eve in ap-team and other-group (a second way).
const LINKS = [link('ap-team', 'finance-all'), link('finance-all', 'erp'), link('finance-all', 'fin-reports'), link('other-group', 'erp')];
const DIRECT = [
  direct('ann', 'ap-team'),
  direct('bob', 'ap-team'),
  direct('carl', 'finance-all'),
  direct('dana', 'erp'),
  direct('eve', 'ap-team'),
  direct('eve', 'other-group'),
];

function graph(withLinks = true): GrantGraph {
  const { assignments } = expandGrantPaths(DIRECT, LINKS);
  return new GrantGraph(assignments, withLinks ? LINKS : undefined);
}

describe('GrantGraph.options', () => {
  it('membership cut: the person loses the group and everything they get only through it', () => {
    const [membership, groupLink] = graph().options('ann', 'erp');
    expect(membership!.link).toEqual({
      kind: 'membership',
      member: 'ann',
      group: 'ap-team',
      entitlement: 'erp',
      blastRadius: { identities: 1, entitlements: 4 },
    });
    expect(losses(membership!)).toEqual(['ann>erp', 'ann>ap-team', 'ann>fin-reports', 'ann>finance-all']);
    expect(membership!.removesItem).toBe(true);
    // group link: every member who gets erp only through finance-all loses it; eve (other-group) and dana (direct) keep it.
    expect(groupLink!.link).toEqual({
      kind: 'group-link',
      member: 'finance-all',
      group: 'erp',
      entitlement: 'erp',
      blastRadius: { identities: 3, entitlements: 1 },
    });
    expect(losses(groupLink!)).toEqual(['ann>erp', 'bob>erp', 'carl>erp']);
  });

  it('a membership cut that leaves another way to the access says it does not remove it', () => {
    const [membership, groupLink] = graph().options('eve', 'erp');
    // eve's shortest way to erp is other-group; leaving it, she keeps erp through ap-team → finance-all.
    expect(membership!.link).toMatchObject({ member: 'eve', group: 'other-group' });
    expect(membership!.removesItem).toBe(false);
    expect(losses(membership!)).toEqual(['eve>other-group']);
    // Cutting other-group → erp takes erp from no one: every holder has another way.
    expect(groupLink!.removesItem).toBe(false);
    expect(groupLink!.link.blastRadius).toEqual({ identities: 0, entitlements: 0 });
  });

  it('older snapshots without stored links: the paths stand in for them', () => {
    const [membership, groupLink] = graph(false).options('ann', 'erp');
    expect(membership!.link.blastRadius).toEqual({ identities: 1, entitlements: 4 });
    expect(groupLink!.link.blastRadius).toEqual({ identities: 3, entitlements: 1 });
  });

  it('a direct grant: no options unless other grants derive from it', () => {
    const g = graph();
    expect(g.options('dana', 'erp')).toEqual([]);
    const [d] = g.options('carl', 'finance-all');
    expect(d!.link).toMatchObject({
      kind: 'direct',
      member: 'carl',
      group: 'finance-all',
      blastRadius: { identities: 1, entitlements: 3 },
    });
    expect(losses(d!)).toEqual(['carl>finance-all', 'carl>erp', 'carl>fin-reports']);
  });

  it('cutting a group link also removes what lies beyond it; cycles are walked once', () => {
    const links = [link('a', 'b'), link('b', 'a'), link('b', 'mid'), link('mid', 'leaf')];
    const { assignments } = expandGrantPaths([direct('fay', 'a'), direct('gus', 'b')], links);
    const g = new GrantGraph(assignments, links);
    const [, cut] = g.options('fay', 'mid');
    expect(cut!.link).toMatchObject({ kind: 'group-link', member: 'b', group: 'mid', blastRadius: { identities: 2, entitlements: 2 } });
    expect(losses(cut!)).toEqual(['fay>mid', 'gus>mid', 'fay>leaf', 'gus>leaf']);
  });

  it('access made by a rule: changing the rule comes first', () => {
    const links = [link('rule-sales', 'sales-team', 'rule'), link('sales-team', 'crm')];
    const { assignments } = expandGrantPaths([direct('gina', 'rule-sales'), direct('hal', 'sales-team')], links);
    const opts = new GrantGraph(assignments, links).options('gina', 'crm');
    expect(opts.map((o) => o.link.kind)).toEqual(['rule', 'membership', 'group-link']);
    // Changing the rule removes sales-team (and crm) from gina only: hal is in sales-team directly.
    expect(opts[0]!.link).toMatchObject({ member: 'rule-sales', group: 'sales-team', blastRadius: { identities: 1, entitlements: 2 } });
    expect(opts[0]!.removesItem).toBe(true);
  });

  it('lists at most 20 losses but counts them all', () => {
    const many = Array.from({ length: 30 }, (_, i) => direct(`u${String(i).padStart(2, '0')}`, 'team'));
    const { assignments } = expandGrantPaths(many, [link('team', 'app')]);
    const [, cut] = new GrantGraph(assignments, [link('team', 'app')]).options('u07', 'app');
    expect(cut!.link.blastRadius.identities).toBe(30);
    expect(cut!.losses).toHaveLength(20);
    expect(cut!.losses[0]).toEqual({ identityId: 'u00', entitlementId: 'app' });
  });
});

describe('remediationLinkOf', () => {
  it('reads the link a decision event holds and refuses a malformed one', () => {
    const good = {
      kind: 'group-link',
      member: 'finance-all',
      group: 'erp',
      entitlement: 'erp',
      blastRadius: { identities: 3, entitlements: 1 },
    };
    expect(remediationLinkOf({ remediation: good })).toEqual(good);
    expect(remediationLinkOf({ remediation: { ...good, kind: 'cut-everything' } })).toBeUndefined();
    expect(remediationLinkOf({ remediation: { ...good, blastRadius: null } })).toBeUndefined();
    expect(remediationLinkOf(undefined)).toBeUndefined();
  });
});
